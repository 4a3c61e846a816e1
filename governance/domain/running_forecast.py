"""The forecast of a sign-off under way, from what actually happened to its stages.

- ``forecast_running(route, *, actuals, target, today, workdays) -> Forecast`` (``StageActual``
  per stage id); ``forecast_to_json(forecast)``, shaped like ``plan_to_json``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from governance.domain.planning import Walk, rag_for, stages_in_order, to_json, walk_forward
from governance.domain.route import Route, Stage, StageKind
from governance.domain.stage_dates import StageDater
from governance.domain.workdays import WorkingDays


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
    _refuse_unknown_stages(route, actuals)
    dater = StageDater(route, workdays)

    def timer(stage: Stage, ready: date) -> tuple[date | None, date]:
        actual = actuals.get(stage.id, StageActual())
        if actual.decided is not None:
            return actual.opened, actual.decided
        start = actual.opened or ready
        return start, dater.forward(stage, start, today=today)

    walk = walk_forward(route.steps, today, timer)
    slack = None if walk.finish is None else workdays.between(walk.finish, target)
    stages = tuple(_stage_forecast(s, g, actuals.get(s.id), walk) for s, g in stages_in_order(route))
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


def _refuse_unknown_stages(route: Route, actuals: Mapping[str, StageActual]) -> None:
    unknown = sorted(set(actuals) - {stage.id for stage in route.stages})
    if unknown:
        msg = f"route '{route.id}' has no stage {', '.join(unknown)}"
        raise ValueError(msg)


def forecast_to_json(forecast: Forecast) -> dict[str, object]:
    """The running forecast as JSON-ready data, shaped like ``plan_to_json``."""
    return to_json(forecast)


def _stage_forecast(stage: Stage, group: str | None, actual: StageActual | None, walk: Walk) -> StageForecast:
    """Assemble one stage of a running forecast."""
    actual = actual or StageActual()
    status = "done" if actual.decided else "open" if actual.opened else "pending"
    start, decide = walk.timings.get(stage.id, (None, None))
    return StageForecast(stage.id, stage.name, stage.kind, group, status, start, decide)
