"""A meeting stage as committees really work: the meeting a paper goes to, deferral, late papers,
chair's action and its ratification.

Rules:
- When a meeting stage opens it is booked on the first meeting of its calendar whose paper
  deadline has not passed (a deadline that falls today has not passed); the booking keeps that
  meeting and its paper deadline. The stage is due ``due_working_days`` after the meeting.
- An outcome is recorded on or after the meeting date, never before.
- ``defer`` moves the stage to the committee's next meeting after the one that deferred it.
- A late paper, agreed by the chair, goes to the next meeting on or after today although its
  paper deadline has passed.
- An approval by chair's action is ratified at the committee's first meeting after the action.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from governance.domain.errors import DecisionRefused
from governance.domain.meetings import meeting_dates, paper_deadline
from governance.domain.route import Calendar, Route, Stage
from governance.domain.stage_dates import MEETING_HORIZON, meeting_taking_papers
from governance.domain.workdays import WorkingDays

ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Booking:
    """The meeting a paper goes to and the day the paper is due there."""

    meeting: date
    paper_deadline: date


@dataclass(frozen=True)
class Deferral:
    """The committee deferred the paper from one meeting to another, minuted with a reason."""

    from_meeting: date
    to_meeting: date
    reason: str
    at: datetime
    minute_ref: str = ""


@dataclass
class ChairsAction:
    """A chair's action asked for between meetings, taken, and ratified at the next meeting."""

    requested_at: datetime
    reason: str
    requested_by: str = ""
    by: str | None = None
    at: datetime | None = None
    ratify_at: date | None = None
    ratified_at: datetime | None = None
    minute_ref: str | None = None

    @property
    def awaiting_ratification(self) -> bool:
        return self.at is not None and self.ratified_at is None


@dataclass(frozen=True)
class Minutes:
    """What a secretary records with a committee's outcome."""

    minute_ref: str
    amendments: str = ""
    quorate: bool = False
    interests: str = ""


@dataclass(frozen=True)
class CommitteeDates:
    """The committee dates of one route over one calendar of working days."""

    route: Route
    workdays: WorkingDays

    def calendar(self, stage: Stage) -> Calendar:
        if stage.calendar is None or stage.calendar not in self.route.calendars:
            msg = f"stage '{stage.id}' has no calendar on route '{self.route.id}'"
            raise DecisionRefused(msg)
        return self.route.calendars[stage.calendar]

    def booking(self, stage: Stage, meeting: date) -> Booking:
        """A booking on ``meeting`` with its paper deadline."""
        return Booking(meeting, paper_deadline(meeting, self.calendar(stage), self.workdays))

    def on_opening(self, stage: Stage, *, today: date) -> Booking | None:
        """The first meeting whose paper deadline is today or later (None within the horizon)."""
        meeting = meeting_taking_papers(self.calendar(stage), self.workdays, ready=today)
        return self.booking(stage, meeting) if meeting else None

    def first_from(self, stage: Stage, day: date) -> Booking | None:
        """The first meeting on or after ``day``, whatever its paper deadline."""
        found = meeting_dates(self.calendar(stage), since=day, until=day + MEETING_HORIZON)
        return self.booking(stage, found[0]) if found else None

    def after(self, stage: Stage, meeting: date) -> Booking | None:
        """The committee's next meeting after ``meeting`` (where a deferral goes)."""
        return self.first_from(stage, meeting + ONE_DAY)

    def due(self, stage: Stage, meeting: date) -> date:
        """When the secretary must have recorded the outcome of ``meeting``."""
        return self.workdays.after(meeting, stage.due_working_days or 0)


PAPER_PHASE, OUTCOME_PHASE = "paper", "outcome"


def reminder_phase(
    *, meeting: date | None, paper_deadline: date | None, submitted: bool, today: date
) -> str | None:
    """Whom a booked meeting stage nudges today: the lead until the paper deadline while the paper
    is not marked submitted (``paper``), the secretary once the meeting is past (``outcome``)."""
    if meeting is None:
        return OUTCOME_PHASE
    if paper_deadline is not None and today <= paper_deadline and not submitted:
        return PAPER_PHASE
    return OUTCOME_PHASE if today > meeting else None


def may_record_outcome(meeting: date | None, today: date) -> bool:
    """An outcome can be recorded on or after the meeting date (always, when nothing is booked)."""
    return meeting is None or today >= meeting


def late_paper_booking(dates: CommitteeDates, stage: Stage, booked: date | None, *, today: date) -> Booking:
    """The earlier meeting a late paper goes to; DecisionRefused when there is no earlier one."""
    earlier = dates.first_from(stage, today)
    if earlier is None or (booked is not None and earlier.meeting >= booked):
        msg = f"stage '{stage.id}' is already on the committee's next meeting; a late paper changes nothing"
        raise DecisionRefused(msg)
    return earlier
