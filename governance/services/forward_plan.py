"""The committees' forward plan: each committee's coming meetings and the papers each will take.

For every calendar of every route (the route files and the routes sign-offs started on), its
meetings from today over a horizon, each with its paper deadline, and for each meeting the papers
sign-offs bring: ``booked`` (an open stage booked on it), ``submitted`` (and its paper marked
submitted), ``late`` (a late paper agreed by the chair), ``deferred_here`` (deferred from an
earlier meeting), ``forecast`` (a stage still to open, forecast to go there) or ``planned`` (where
the plan back from the target puts it, when the forecast says otherwise); and the chair's actions
it is to ratify. Cancelled meetings in the horizon are listed too.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from governance.domain.access import Account
from governance.domain.meetings import meeting_dates, paper_deadline
from governance.domain.route import Calendar, Route, Stage, StageKind
from governance.domain.signoff import SignOff, SignOffState, StageState
from governance.services.dates import committee_dates
from governance.services.key_dates import key_dates_of
from governance.services.ports import UnitsOfWork
from governance.services.status import visible

SHOWN_STATES = frozenset({SignOffState.IN_PROGRESS.value, SignOffState.APPROVED.value})


@dataclass(frozen=True)
class Paper:
    signoff: str
    title: str
    lead: str
    stage: str
    stage_name: str
    status: str
    paper_deadline: date | None
    submitted: bool = False
    late_paper: str | None = None
    deferred_from: date | None = None


@dataclass(frozen=True)
class Ratification:
    signoff: str
    title: str
    stage: str
    chair: str | None
    chairs_action_at: datetime | None


@dataclass
class Meeting:
    day: date
    at: time | None
    paper_deadline: date
    papers: list[Paper] = field(default_factory=list)
    ratifications: list[Ratification] = field(default_factory=list)


@dataclass
class CommitteePlan:
    key: str  # ROUTE_ID/CALENDAR_ID: calendar ids are only unique within a route
    name: str
    route_id: str
    calendar_id: str
    meetings: dict[date, Meeting] = field(default_factory=dict)
    cancelled: tuple[date, ...] = ()


def forward_plan(
    uows: UnitsOfWork,
    routes: Iterable[Route],
    *,
    today: date,
    days: int = 366,
    seen_by: Account | None = None,
) -> list[CommitteePlan]:
    """Every committee's coming meetings (``days`` ahead) and what each will take, by route then name.

    ``seen_by``: only the sign-offs that account may see bring papers (every one when None)."""
    until = today + timedelta(days=days)
    plans: dict[str, CommitteePlan] = {}
    for route in routes:
        _add_route(plans, route, today=today, until=until)
    with uows.read() as uow:
        lines = [line for line in visible(uow.signoffs.listing(), seen_by) if line.state in SHOWN_STATES]
        signoffs = [uow.signoffs.get(line.id) for line in lines]
    for signoff in signoffs:
        _add_route(plans, signoff.route, today=today, until=until)
        for stage in signoff.route.stages:
            if stage.kind is StageKind.MEETING and stage.calendar:
                plan = plans[f"{signoff.route.id}/{stage.calendar}"]
                _place(plan, signoff, stage, today=today, until=until)
    for plan in plans.values():
        plan.meetings = dict(sorted(plan.meetings.items()))
    return sorted(plans.values(), key=lambda p: (p.route_id, p.name))


def _add_route(plans: dict[str, CommitteePlan], route: Route, *, today: date, until: date) -> None:
    workdays = committee_dates(route, around=today).workdays
    for calendar in route.calendars.values():
        key = f"{route.id}/{calendar.id}"
        if key in plans:
            continue
        plan = CommitteePlan(key, calendar.name, route.id, calendar.id)
        plan.cancelled = tuple(d for d in sorted(calendar.cancelled) if today <= d <= until)
        for day in meeting_dates(calendar, since=today, until=until):
            plan.meetings[day] = Meeting(day, calendar.time, paper_deadline(day, calendar, workdays))
        plans[key] = plan


def _meeting(plan: CommitteePlan, route: Route, day: date) -> Meeting:
    """The plan's meeting on ``day``, added when it lies outside the horizon (a booking still counts)."""
    if day not in plan.meetings:
        calendar: Calendar = route.calendars[plan.calendar_id]
        workdays = committee_dates(route, around=day).workdays
        plan.meetings[day] = Meeting(day, calendar.time, paper_deadline(day, calendar, workdays))
    return plan.meetings[day]


def _place(plan: CommitteePlan, signoff: SignOff, stage: Stage, *, today: date, until: date) -> None:
    """Put the stage's paper (and any ratification) on the meetings it is booked, forecast or planned for."""
    progress = signoff.stages[stage.id]
    action = progress.chairs_action
    if action is not None and action.awaiting_ratification and action.ratify_at is not None:
        ratification = Ratification(signoff.id, signoff.title, stage.id, action.by, action.at)
        _meeting(plan, signoff.route, action.ratify_at).ratifications.append(ratification)
    if signoff.state is not SignOffState.IN_PROGRESS:
        return
    if progress.state is StageState.OPEN and progress.meeting is not None:
        paper = _booked(signoff, stage)
        _meeting(plan, signoff.route, progress.meeting).papers.append(paper)
    elif progress.state is StageState.PENDING:
        _expected(plan, signoff, stage, today=today, until=until)


def _booked(signoff: SignOff, stage: Stage) -> Paper:
    progress = signoff.stages[stage.id]
    deferred_from = progress.deferrals[-1].from_meeting if progress.deferrals else None
    if deferred_from is not None and progress.deferrals[-1].to_meeting == progress.meeting:
        status = "deferred_here"
    elif progress.late_paper is not None:
        status = "late"
    elif progress.paper_submitted_at is not None:
        status = "submitted"
    else:
        status = "booked"
    return Paper(
        signoff.id,
        signoff.title,
        signoff.lead,
        stage.id,
        stage.name,
        status,
        progress.paper_deadline,
        submitted=progress.paper_submitted_at is not None,
        late_paper=progress.late_paper,
        deferred_from=deferred_from,
    )


def _expected(plan: CommitteePlan, signoff: SignOff, stage: Stage, *, today: date, until: date) -> None:
    """A stage still to open: where the forecast puts it, and where the plan did when that differs."""
    dates = key_dates_of(signoff, today=today).stages.get(stage.id)
    if dates is None:
        return
    calendar = signoff.route.calendars[plan.calendar_id]
    workdays = committee_dates(signoff.route, around=today).workdays
    seen: set[date] = set()
    for status, day in (("forecast", dates.forecast_decide), ("planned", dates.decide_by)):
        if day is None or day in seen or not today <= day <= until:
            continue
        seen.add(day)
        deadline = paper_deadline(day, calendar, workdays)
        paper = Paper(signoff.id, signoff.title, signoff.lead, stage.id, stage.name, status, deadline)
        _meeting(plan, signoff.route, day).papers.append(paper)
