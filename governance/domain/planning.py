"""Key dates for a sign-off route: dates in, dates out.

Entry points:
- ``plan_route(route, *, target, start, workdays) -> Plan``: the backward plan (when each stage
  must start and be decided for the route to be decided by ``target``) and the forward forecast
  (when it would be decided if it starts on ``start``), with slack and a RAG rating.
- ``rag_for(slack, feasible) -> str``; ``planto_json(plan)``.
The forecast of a sign-off under way is in ``running_forecast``; the dates of one stage in
``stage_dates``.

Review stages take ``due_working_days`` working days; meeting stages are decided at a meeting of
their calendar, and must be ready by its paper deadline. "n working days before D" never counts D.
An impossible plan is an answer (``feasible`` False, a ``reason``), not an exception.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields, is_dataclass
from datetime import date
from typing import TYPE_CHECKING, TypeVar

from governance.domain.route import ParallelGroup, Route, Stage, StageKind, Step, members_of
from governance.domain.stage_dates import LatestDates, NoMeetingError, StageDater
from governance.domain.workdays import WorkingDays

if TYPE_CHECKING:
    from governance.domain.running_forecast import Forecast

GREEN_SLACK_WORKING_DAYS = 5


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
class Walk:
    """Each stage's (start, decided) as the steps run forward, the day the last is decided, or why not."""

    timings: dict[str, tuple[date | None, date]]
    finish: date | None
    reason: str | None


_T = TypeVar("_T")
# A stage and the day its predecessor is decided -> the day it starts and the day it is decided.
Timer = Callable[[Stage, date], tuple[date | None, date]]


def plan_route(route: Route, *, target: date, start: date, workdays: WorkingDays) -> Plan:
    """Plan a route backwards from ``target`` and forecast it forwards from ``start``."""
    if start > target:
        msg = f"the start date {start} is after the target date {target}"
        raise ValueError(msg)
    planner = StageDater(route, workdays)
    back, earliest, reason = _plan_backward(planner, target)
    walk = walk_forward(route.steps, start, lambda stage, ready: (ready, planner.forward(stage, ready)))
    feasible = reason is None and earliest is not None and earliest >= start
    if reason is None and not feasible:
        reason = f"to be decided by {target}, the route must start by {earliest}, before its start {start}"
    slack = None if walk.finish is None else workdays.between(walk.finish, target)
    return Plan(
        route_id=route.id,
        target=target,
        start=start,
        feasible=feasible,
        reason=join_reasons(reason, walk.reason),
        forecast=walk.finish,
        slack_working_days=slack,
        rag=rag_for(slack, feasible=feasible and walk.finish is not None),
        stages=tuple(_stage_plan(stage, group, back, walk) for stage, group in stages_in_order(route)),
    )


def rag_for(slack: int | None, feasible: bool) -> str:
    """Green with at least five working days in hand, amber with 0-4, red when late or infeasible."""
    if not feasible or slack is None or slack < 0:
        return "red"
    return "green" if slack >= GREEN_SLACK_WORKING_DAYS else "amber"


def plan_to_json(plan: Plan) -> dict[str, object]:
    """The plan as JSON-ready data: ``route`` first, ISO dates, null for missing ones."""
    return to_json(plan)


def _plan_backward(
    planner: StageDater, target: date
) -> tuple[dict[str, LatestDates], date | None, str | None]:
    """Each stage's latest dates, last step first; stops at a missing meeting, saying why."""
    planned: dict[str, LatestDates] = {}
    decide_by = target
    for step in reversed(planner.route.steps):
        dates, reason = each_member(step, planner.back, decide_by)
        planned |= dates
        if reason:
            return planned, None, reason
        decide_by = min(dated.start_by for dated in dates.values())
    return planned, decide_by, None


def walk_forward(steps: tuple[Step, ...], start: date, timer: Timer) -> Walk:
    """Time each step from the day the previous one is decided; stops where no meeting fits."""
    timings: dict[str, tuple[date | None, date]] = {}
    ready = start
    for step in steps:
        times, reason = each_member(step, timer, ready)
        timings |= times
        if reason:
            return Walk(timings, None, reason)
        ready = max(decided for _, decided in times.values())
    return Walk(timings, ready, None)


def each_member(
    step: Step, action: Callable[[Stage, date], _T], day: date
) -> tuple[dict[str, _T], str | None]:
    """``action(stage, day)`` for each stage of a step, by stage id, and why any had no meeting."""
    done: dict[str, _T] = {}
    missing: list[str] = []
    for stage in members_of(step):
        try:
            done[stage.id] = action(stage, day)
        except NoMeetingError as error:
            missing.append(str(error))
    return done, join_reasons(*missing)


def stages_in_order(route: Route) -> list[tuple[Stage, str | None]]:
    """Every stage in route order with the id of its parallel group, if any."""
    return [
        (stage, step.id if isinstance(step, ParallelGroup) else stage.group)
        for step in route.steps
        for stage in members_of(step)
    ]


def _stage_plan(stage: Stage, group: str | None, back: dict[str, LatestDates], walk: Walk) -> StagePlan:
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


def to_json(result: Plan | Forecast) -> dict[str, object]:
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


def join_reasons(*reasons: str | None) -> str | None:
    """The reasons given, joined; None when there are none."""
    return "; ".join(r for r in reasons if r) or None
