"""Read models of sign-offs as the lead sees them: typed, with dates as dates.

``signoff status --json``, the API, the timeline and the command line render them at the edge
(``governance.entrypoints.status_json`` for JSON). The at-risk, late and stalled flags are the
domain's rules, worked out here on dates.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time

from governance.domain.access import Account
from governance.domain.committee_stage import ChairsAction, Deferral, Minutes
from governance.domain.london_time import london_date, utc_now
from governance.domain.route import Stage, StageKind
from governance.domain.signoff import Decision, SignOff, SignOffState, StageState
from governance.domain.stage_risk import StageRisk, stage_risk
from governance.services.awaiting import HandedOver, awaited
from governance.services.key_dates import KeyDates, StageKeyDates, key_dates_of
from governance.services.ports import UnitOfWork, UnitsOfWork
from governance.services.reminder_history import EscalationLine, NudgeLines, ReminderLine, stage_nudge_lines
from governance.services.stored_records import SignOffLine


@dataclass(frozen=True)
class DecisionLine:
    reviewer: str
    decision: str
    comment: str
    at: datetime
    version: int = 1
    meeting: date | None = None  # a committee's outcome: the meeting, and what the minutes say
    minutes: Minutes | None = None
    on_behalf_of: str | None = None  # a deputy's decision: the reviewer whose seat it filled


@dataclass(frozen=True)
class BookedMeeting:
    """A meeting stage's booking as it stands: the meeting, its deadline, the paper, deferrals, chair."""

    meeting: date | None
    paper_deadline: date | None
    deferrals: tuple[Deferral, ...] = ()
    paper_submitted_at: datetime | None = None
    late_paper: str | None = None
    chairs_action: ChairsAction | None = None
    at: time | None = None  # the committee's time of day, Europe/London


@dataclass(frozen=True)
class StageStatus:
    """One stage: who decides, what happened, its planned dates beside its forecast, its flags."""

    id: str
    name: str
    kind: StageKind
    group: str | None
    state: StageState
    reviewers: tuple[str, ...]
    approvals: str
    awaiting: tuple[str, ...]
    opened_at: datetime | None
    due: date | None
    planned: StageKeyDates
    completed_at: datetime | None
    decisions: tuple[DecisionLine, ...]
    nudges: NudgeLines
    risk: StageRisk
    # A meeting stage's planned meeting and paper deadline, which only the timeline shows.
    meeting: date | None = None
    paper_deadline: date | None = None
    booked: BookedMeeting | None = None  # a meeting stage: what actually happened to its booking
    skipped_reason: str | None = None  # a conditional stage that does not run for this sign-off
    version: int = 1  # the document version the stage is (or was last) open for
    handed_over: tuple[HandedOver, ...] = ()  # outstanding reviews held by a deputy: ``awaiting`` has them

    @property
    def stalled(self) -> bool:
        return self.risk.stalled

    @property
    def at_risk(self) -> bool:
        return self.risk.at_risk

    @property
    def late(self) -> bool:
        return self.risk.late

    @property
    def reminders(self) -> tuple[ReminderLine, ...]:
        return self.nudges.reminders

    @property
    def escalation(self) -> EscalationLine | None:
        return self.nudges.escalation

    @property
    def start_by(self) -> date | None:
        return self.planned.start_by

    @property
    def decide_by(self) -> date | None:
        return self.planned.decide_by

    @property
    def forecast_decide(self) -> date | None:
        return self.planned.forecast_decide


@dataclass(frozen=True)
class DocumentFacts:
    filename: str
    version: int


@dataclass(frozen=True)
class VersionLine:
    """One version of the document: the lead's note, what changed since the one before, who sent it."""

    version: int
    filename: str
    sha256: str
    note: str
    change_summary: str
    by: str
    at: datetime


@dataclass(frozen=True)
class SignOffStatus:
    """Everything about one sign-off, its key dates forecast as of one day."""

    id: str
    title: str
    state: SignOffState
    route: str
    route_name: str
    organisation: str
    lead: str
    document: DocumentFacts
    document_sha256: str
    created_at: datetime
    completed_at: datetime | None
    target: date | None
    forecast: date | None
    slack_working_days: int | None
    rag: str | None
    stages: tuple[StageStatus, ...]
    route_sha256: str = ""  # of the route text the sign-off started on and keeps
    versions: tuple[VersionLine, ...] = ()  # oldest first
    prefect_flow_run_id: str | None = None  # the sign-off's story in Prefect, once told

    @property
    def document_version(self) -> int:
        return self.document.version

    @property
    def awaiting(self) -> tuple[str, ...]:
        """Everyone awaited on any open stage, once each, in route order."""
        return tuple(dict.fromkeys(person for stage in self.stages for person in stage.awaiting))


def signoff_status(uows: UnitsOfWork, signoff_id: str, *, now: datetime | None = None) -> SignOffStatus:
    """Everything about one sign-off (raises SignOffNotFound); key dates forecast as of ``now``."""
    with uows.read() as uow:
        return status_of(uow, uow.signoffs.get(signoff_id), now=now)


def status_of(uow: UnitOfWork, signoff: SignOff, *, now: datetime | None = None) -> SignOffStatus:
    """The status of ``signoff``, read in the caller's unit of work."""
    row = uow.signoffs.record(signoff.id)
    today = london_date(now or utc_now())
    dates = key_dates_of(signoff, today=today)
    return SignOffStatus(
        id=signoff.id,
        title=signoff.title,
        state=signoff.state,
        route=signoff.route.id,
        route_name=signoff.route.name,
        organisation=signoff.route.organisation,
        lead=signoff.lead,
        document=DocumentFacts(row.document_filename, signoff.document_version),
        document_sha256=signoff.document_sha256,
        created_at=signoff.created_at,
        completed_at=row.completed_at,
        target=signoff.target,
        forecast=dates.forecast,
        slack_working_days=dates.slack_working_days,
        rag=dates.rag,
        stages=stages_of(signoff, dates, nudges=stage_nudge_lines(uow, signoff.id), today=today),
        route_sha256=row.route_sha256,
        versions=tuple(
            VersionLine(v.version, v.filename, v.sha256, v.note, v.change_summary, v.by, v.at)
            for v in uow.versions.of_signoff(signoff.id)
        ),
        prefect_flow_run_id=uow.stories.get(signoff.id).flow_run_id,
    )


def stages_of(
    signoff: SignOff, key_dates: KeyDates, *, nudges: dict[str, NudgeLines], today: date
) -> tuple[StageStatus, ...]:
    """Stages in route order, members of a parallel group one by one with their group named.

    Each stage's ``due`` counts from the day it opened; its planned ``decide_by`` works back from the target.
    """
    running = signoff.state is SignOffState.IN_PROGRESS
    listed = []
    for stage in signoff.route.stages:
        progress = signoff.stages[stage.id]
        planned = key_dates.stages.get(stage.id, StageKeyDates())
        risk = stage_risk(
            progress.state,
            due=progress.due,
            decide_by=planned.decide_by,
            forecast_decide=planned.forecast_decide,
            today=today,
            running=running,
        )
        listed.append(_stage_status(signoff, stage, planned, nudges.get(stage.id, NudgeLines()), risk))
    return tuple(listed)


def _stage_status(
    signoff: SignOff, stage: Stage, planned: StageKeyDates, nudges: NudgeLines, risk: StageRisk
) -> StageStatus:
    progress = signoff.stages[stage.id]
    waiting = awaited(signoff, stage.id)
    return StageStatus(
        id=stage.id,
        name=stage.name,
        kind=stage.kind,
        group=stage.group,
        state=progress.state,
        reviewers=stage.deciders,
        approvals=str(stage.approvals),
        awaiting=waiting.people,
        opened_at=progress.opened_at,
        due=progress.due,
        planned=planned,
        completed_at=progress.completed_at,
        decisions=tuple(decision_line(d) for d in progress.decisions),
        nudges=nudges,
        risk=risk,
        booked=booked_meeting(signoff, stage) if stage.kind is StageKind.MEETING else None,
        skipped_reason=progress.skipped_reason,
        version=progress.version,
        handed_over=waiting.handed_over,
    )


def decision_line(d: Decision) -> DecisionLine:  # one decision as the read model lists it
    return DecisionLine(
        d.reviewer, d.verdict.value, d.comment, d.at, d.document_version, d.meeting, d.minutes, d.on_behalf_of
    )


def booked_meeting(signoff: SignOff, stage: Stage) -> BookedMeeting:
    progress = signoff.stages[stage.id]
    calendar = signoff.route.calendars.get(stage.calendar or "")
    action = progress.chairs_action
    return BookedMeeting(
        progress.meeting,
        progress.paper_deadline,
        tuple(progress.deferrals),
        progress.paper_submitted_at,
        progress.late_paper,
        replace(action) if action else None,
        calendar.time if calendar else None,
    )


def all_signoffs(uows: UnitsOfWork, *, seen_by: Account | None = None) -> list[SignOffLine]:
    """A line per sign-off, newest first, for the dashboard and ``signoff status``.

    ``seen_by``: only the sign-offs that this signed-in person may see."""
    with uows.read() as uow:
        lines = uow.signoffs.listing()
    return visible(lines, seen_by)


def visible(lines: list[SignOffLine], seen_by: Account | None) -> list[SignOffLine]:
    """The lines ``seen_by`` may see (all of them when no one is signed in)."""
    if seen_by is None:
        return lines
    return [line for line in lines if seen_by.may_see(organisation=line.organisation, lead=line.lead)]
