"""Key dates for a sign-off route: dates in, dates out.

Entry points:
- ``plan_route(route, *, target, start, workdays) -> Plan``: the backward plan (when each stage
  must start and be decided for the route to be decided by ``target``) and the forward forecast
  (when it would be decided if it starts on ``start``), with slack and a RAG rating.
- ``forecast_running(route, *, actuals, target, today, workdays) -> Forecast``: the forecast of a
  sign-off under way, from what actually happened (``StageActual`` per stage id).
- ``rag_for(slack, feasible) -> str``; ``plan_to_json(plan)`` and ``forecast_to_json(forecast)``.

Review stages take ``due_working_days`` working days; meeting stages are decided at a meeting of
their calendar, and must be ready by its paper deadline. "n working days before D" never counts D.
An impossible plan is an answer (``feasible`` False, a ``reason``), not an exception.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields, is_dataclass
from datetime import date, timedelta
from typing import TypeVar

from governance.domain.errors import PlanningError
from governance.domain.meetings import latest_meeting, next_meeting_for_papers, paper_deadline
from governance.domain.route import Calendar, ParallelGroup, Route, Stage, StageKind, Step, members_of
from governance.domain.workdays import WorkingDays

GREEN_SLACK_WORKING_DAYS = 5
# How far ahead a forecast looks for a meeting that can take the papers.
MEETING_SEARCH = timedelta(days=3 * 366)


@dataclass(frozen=True)
class StagePlan:
    """One stage's key dates: backward (start_by, decide_by) and forecast."""

    id: str
    name: str
    kind: StageKind
    group: str | None
    start_by: date | None
    decide_by: date | None
    meeting: date | None
    paper_deadline: date | None
    forecast_start: date | None
    forecast_decide: date | None


@dataclass(frozen=True)
class Plan:
    """A route's key dates for a target, and how a start on ``start`` would fare."""

    route_id: str
    target: date
    start: date
    feasible: bool
    reason: str | None
    forecast: date | None
    slack_working_days: int | None
    rag: str
    stages: tuple[StagePlan, ...]


@dataclass(frozen=True)
class StageActual:
    """What actually happened to a stage so far: when it opened and when it was decided."""

    opened: date | None = None
    decided: date | None = None


@dataclass(frozen=True)
class StageForecast:
    """A stage of a running sign-off: status ``done``, ``open`` or ``pending``, and its dates."""

    id: str
    name: str
    kind: StageKind
    group: str | None
    status: str
    start: date | None
    decide: date | None


@dataclass(frozen=True)
class Forecast:
    """When a running sign-off is expected to be decided, against its target."""

    route_id: str
    target: date
    today: date
    possible: bool
    reason: str | None
    forecast: date | None
    slack_working_days: int | None
    rag: str
    stages: tuple[StageForecast, ...]


@dataclass(frozen=True)
class _Back:
    start_by: date
    decide_by: date
    meeting: date | None = None
    paper_deadline: date | None = None


@dataclass(frozen=True)
class _Walk:
    timings: dict[str, tuple[date | None, date]]
    finish: date | None
    reason: str | None


class _NoMeetingError(Exception):
    """No meeting fits; the message says which stage and why (caught inside this module)."""


_T = TypeVar("_T")
# A stage and the day its predecessor is decided -> the day it starts and the day it is decided.
_Timer = Callable[[Stage, date], tuple[date | None, date]]


@dataclass(frozen=True)
class _Planner:
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

    def back(self, stage: Stage, decide_by: date) -> _Back:
        """The stage's latest dates for it to be decided by ``decide_by``."""
        if stage.kind is StageKind.REVIEW:
            return _Back(self.workdays.before(decide_by, self.review_days(stage)), decide_by)
        calendar = self.calendar(stage)
        meeting = latest_meeting(calendar, on_or_before=decide_by)
        if meeting is None:
            msg = (
                f"stage '{stage.id}' needs a {calendar.name} meeting on or before {decide_by}: there is none"
            )
            raise _NoMeetingError(msg)
        deadline = paper_deadline(meeting, calendar, self.workdays)
        return _Back(deadline, meeting, meeting, deadline)

    def forward(self, stage: Stage, start: date, *, today: date | None = None) -> date:
        """The day the stage is decided when it starts on ``start``, never in the past of ``today``."""
        if stage.kind is StageKind.REVIEW:
            decided = self.workdays.after(start, self.review_days(stage))
            if today is not None and decided < today:
                return self.workdays.after(today, 1)
            return decided
        calendar = self.calendar(stage)
        ready = start if today is None else max(start, today)
        until = ready + MEETING_SEARCH
        meeting = next_meeting_for_papers(calendar, self.workdays, ready=ready, until=until)
        if meeting is None:
            msg = f"stage '{stage.id}': no {calendar.name} meeting up to {until} takes papers on {ready}"
            raise _NoMeetingError(msg)
        return meeting


def plan_route(route: Route, *, target: date, start: date, workdays: WorkingDays) -> Plan:
    """Plan a route backwards from ``target`` and forecast it forwards from ``start``."""
    if start > target:
        msg = f"the start date {start} is after the target date {target}"
        raise ValueError(msg)
    planner = _Planner(route, workdays)
    back, earliest, reason = _plan_backward(planner, target)
    walk = _walk_forward(route.steps, start, lambda stage, ready: (ready, planner.forward(stage, ready)))
    feasible = reason is None and earliest is not None and earliest >= start
    if reason is None and not feasible:
        reason = f"to be decided by {target}, the route must start by {earliest}, before its start {start}"
    slack = None if walk.finish is None else workdays.between(walk.finish, target)
    return Plan(
        route_id=route.id,
        target=target,
        start=start,
        feasible=feasible,
        reason=_join(reason, walk.reason),
        forecast=walk.finish,
        slack_working_days=slack,
        rag=rag_for(slack, feasible=feasible and walk.finish is not None),
        stages=tuple(_stage_plan(stage, group, back, walk) for stage, group in _in_order(route)),
    )


def forecast_running(
    route: Route,
    *,
    actuals: Mapping[str, StageActual],
    target: date,
    today: date,
    workdays: WorkingDays,
) -> Forecast:
    """Forecast a sign-off under way from what actually happened.

    Decided stages keep their real dates. An open stage is forecast from the day it opened, a
    pending one from the day its predecessor is (forecast to be) decided, the first from ``today``.
    Nothing undecided is expected in the past: a review due before today is expected the next
    working day after today, and a meeting whose paper deadline is before today gives way to the
    next meeting whose deadline is on or after today.
    """
    unknown = sorted(set(actuals) - {stage.id for stage in route.stages})
    if unknown:
        msg = f"route '{route.id}' has no stage {', '.join(unknown)}"
        raise ValueError(msg)
    planner = _Planner(route, workdays)

    def timer(stage: Stage, ready: date) -> tuple[date | None, date]:
        actual = actuals.get(stage.id, StageActual())
        if actual.decided is not None:
            return actual.opened, actual.decided
        start = actual.opened or ready
        return start, planner.forward(stage, start, today=today)

    walk = _walk_forward(route.steps, today, timer)
    slack = None if walk.finish is None else workdays.between(walk.finish, target)
    stages = tuple(_stage_forecast(s, g, actuals.get(s.id), walk) for s, g in _in_order(route))
    return Forecast(
        route_id=route.id,
        target=target,
        today=today,
        possible=walk.finish is not None,
        reason=walk.reason,
        forecast=walk.finish,
        slack_working_days=slack,
        rag=rag_for(slack, feasible=walk.finish is not None),
        stages=stages,
    )


def rag_for(slack: int | None, feasible: bool) -> str:
    """Green with at least five working days in hand, amber with 0-4, red when late or infeasible."""
    if not feasible or slack is None or slack < 0:
        return "red"
    return "green" if slack >= GREEN_SLACK_WORKING_DAYS else "amber"


def plan_to_json(plan: Plan) -> dict[str, object]:
    """The plan as JSON-ready data: ``route`` first, ISO dates, null for missing ones."""
    return _to_json(plan)


def forecast_to_json(forecast: Forecast) -> dict[str, object]:
    """The running forecast as JSON-ready data, shaped like ``plan_to_json``."""
    return _to_json(forecast)


def _plan_backward(planner: _Planner, target: date) -> tuple[dict[str, _Back], date | None, str | None]:
    """Each stage's latest dates, last step first; stops at a missing meeting, saying why."""
    planned: dict[str, _Back] = {}
    decide_by = target
    for step in reversed(planner.route.steps):
        dates, reason = _each_member(step, planner.back, decide_by)
        planned |= dates
        if reason:
            return planned, None, reason
        decide_by = min(dated.start_by for dated in dates.values())
    return planned, decide_by, None


def _walk_forward(steps: tuple[Step, ...], start: date, timer: _Timer) -> _Walk:
    """Time each step from the day the previous one is decided; stops where no meeting fits."""
    timings: dict[str, tuple[date | None, date]] = {}
    ready = start
    for step in steps:
        times, reason = _each_member(step, timer, ready)
        timings |= times
        if reason:
            return _Walk(timings, None, reason)
        ready = max(decided for _, decided in times.values())
    return _Walk(timings, ready, None)


def _each_member(
    step: Step, action: Callable[[Stage, date], _T], day: date
) -> tuple[dict[str, _T], str | None]:
    """``action(stage, day)`` for each stage of a step, by stage id, and why any had no meeting."""
    done: dict[str, _T] = {}
    missing: list[str] = []
    for stage in members_of(step):
        try:
            done[stage.id] = action(stage, day)
        except _NoMeetingError as error:
            missing.append(str(error))
    return done, _join(*missing)


def _in_order(route: Route) -> list[tuple[Stage, str | None]]:
    """Every stage in route order with the id of its parallel group, if any."""
    return [
        (stage, step.id if isinstance(step, ParallelGroup) else stage.group)
        for step in route.steps
        for stage in members_of(step)
    ]


def _stage_plan(stage: Stage, group: str | None, back: dict[str, _Back], walk: _Walk) -> StagePlan:
    """Assemble one stage's plan from its backward dates and its forecast."""
    planned = back.get(stage.id)
    forecast_start, forecast_decide = walk.timings.get(stage.id, (None, None))
    return StagePlan(
        id=stage.id,
        name=stage.name,
        kind=stage.kind,
        group=group,
        start_by=planned.start_by if planned else None,
        decide_by=planned.decide_by if planned else None,
        meeting=planned.meeting if planned else None,
        paper_deadline=planned.paper_deadline if planned else None,
        forecast_start=forecast_start,
        forecast_decide=forecast_decide,
    )


def _stage_forecast(
    stage: Stage, group: str | None, actual: StageActual | None, walk: _Walk
) -> StageForecast:
    """Assemble one stage of a running forecast."""
    actual = actual or StageActual()
    status = "done" if actual.decided else "open" if actual.opened else "pending"
    start, decide = walk.timings.get(stage.id, (None, None))
    return StageForecast(stage.id, stage.name, stage.kind, group, status, start, decide)


def _to_json(result: Plan | Forecast) -> dict[str, object]:
    """A plan or forecast as a dict with ``route`` for ``route_id``, dates as ISO strings."""
    data = {field.name: _jsonable(getattr(result, field.name)) for field in fields(result)}
    return {"route": data.pop("route_id"), **data}


def _jsonable(value: object) -> object:
    """Dates as ISO strings, enums as their values, dataclasses as dicts, tuples as lists."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, StageKind):
        return value.value
    if isinstance(value, tuple):
        return [_jsonable(item) for item in value]
    if is_dataclass(value) and not isinstance(value, type):
        return {field.name: _jsonable(getattr(value, field.name)) for field in fields(value)}
    return value


def _join(*reasons: str | None) -> str | None:
    """The reasons given, joined; None when there are none."""
    return "; ".join(r for r in reasons if r) or None
