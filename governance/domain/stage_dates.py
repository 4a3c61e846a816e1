"""When one stage is decided: the rule the planner, the forecast and a newly opened stage share.

A review stage is decided ``due_working_days`` working days after it starts. A meeting stage is
decided at the first meeting of its calendar whose paper deadline it can still make, looking no
further ahead than ``MEETING_HORIZON``; the secretary then has the stage's working days, if any,
to record the decision. "n working days after D" never counts D.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from governance.domain.errors import PlanningError
from governance.domain.meetings import latest_meeting, next_meeting_for_papers, paper_deadline
from governance.domain.route import Calendar, Route, Stage, StageKind
from governance.domain.workdays import WorkingDays

# How far ahead a stage looks for a meeting that can take its papers.
MEETING_HORIZON = timedelta(days=3 * 366)


def meeting_taking_papers(calendar: Calendar, workdays: WorkingDays, *, ready: date) -> date | None:
    """The first meeting within the horizon whose paper deadline is on or after ``ready``."""
    return next_meeting_for_papers(calendar, workdays, ready=ready, until=ready + MEETING_HORIZON)


def due_when_opened(route: Route, stage: Stage, *, opened_on: date, workdays: WorkingDays) -> date | None:
    """The due date of a stage opened on ``opened_on``: for a review, its working days later; for a
    meeting, the meeting that can take its papers plus the working days to record the decision
    (None when no meeting within the horizon can)."""
    if stage.calendar is None:
        return workdays.after(opened_on, stage.due_working_days or 0)
    meeting = meeting_taking_papers(route.calendars[stage.calendar], workdays, ready=opened_on)
    return workdays.after(meeting, stage.due_working_days or 0) if meeting else None


class NoMeetingError(Exception):
    """No meeting fits; the message says which stage and why (an answer for plans, not a failure)."""


@dataclass(frozen=True)
class LatestDates:
    """The latest a stage can start and be decided for a later step to keep its dates."""

    start_by: date
    decide_by: date
    meeting: date | None = None
    paper_deadline: date | None = None


@dataclass(frozen=True)
class StageDater:
    """Dates of the stages of one route over one calendar of working days."""

    route: Route
    workdays: WorkingDays

    def calendar(self, stage: Stage) -> Calendar:
        """The meeting stage's calendar; PlanningError when the route lacks it."""
        calendar = self.route.calendars.get(stage.calendar or "")
        if calendar is None:
            msg = f"stage '{stage.id}' names calendar '{stage.calendar}', which route '{self.route.id}' lacks"
            raise PlanningError(msg)
        return calendar

    def review_days(self, stage: Stage) -> int:
        """A review stage's working days; PlanningError when it has none."""
        if stage.due_working_days is None:
            msg = f"review stage '{stage.id}' has no due_working_days"
            raise PlanningError(msg)
        return stage.due_working_days

    def back(self, stage: Stage, decide_by: date) -> LatestDates:
        """The stage's latest dates for it to be decided by ``decide_by``."""
        if stage.kind is StageKind.REVIEW:
            return LatestDates(self.workdays.before(decide_by, self.review_days(stage)), decide_by)
        calendar = self.calendar(stage)
        meeting = latest_meeting(calendar, on_or_before=decide_by)
        if meeting is None:
            msg = (
                f"stage '{stage.id}' needs a {calendar.name} meeting on or before {decide_by}: there is none"
            )
            raise NoMeetingError(msg)
        deadline = paper_deadline(meeting, calendar, self.workdays)
        return LatestDates(deadline, meeting, meeting, deadline)

    def forward(self, stage: Stage, start: date, *, today: date | None = None) -> date:
        """The day the stage is decided when it starts on ``start``, never in the past of ``today``."""
        if stage.kind is StageKind.REVIEW:
            decided = self.workdays.after(start, self.review_days(stage))
            if today is not None and decided < today:
                return self.workdays.after(today, 1)
            return decided
        calendar = self.calendar(stage)
        ready = start if today is None else max(start, today)
        meeting = meeting_taking_papers(calendar, self.workdays, ready=ready)
        if meeting is None:
            until = ready + MEETING_HORIZON
            msg = f"stage '{stage.id}': no {calendar.name} meeting up to {until} takes papers on {ready}"
            raise NoMeetingError(msg)
        return meeting
