"""Key dates of a sign-off: its plan back from the target, its forecast from what happened, its RAG.

- ``plan_for(route, *, target, start)``: the plan ``signoff plan`` prints.
- ``plan_of(signoff)``: a sign-off's plan (from the day it was created), for its key-dates calendar.
- ``key_dates_of(signoff, *, today)``: what ``signoff status --json`` adds to a sign-off and its stages.

Storing the RAG and emailing the lead when it worsens is ``governance.services.rag_alerts``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from governance.adapters.bank_holidays import working_days_for
from governance.domain.errors import PlanningError
from governance.domain.london_time import london_date
from governance.domain.planning import Plan, plan_route
from governance.domain.route import Route, StageKind
from governance.domain.running_forecast import Forecast, StageActual, StageForecast, forecast_running
from governance.domain.signoff import SignOff, SignOffState, StageState
from governance.domain.stage_risk import misses_decide_by
from governance.domain.workdays import WorkingDays

DECIDED = frozenset({StageState.APPROVED, StageState.REJECTED, StageState.CHANGES_REQUESTED})
# Forecasts search up to three years past their last known date for a meeting; holidays must reach further.
HORIZON_YEARS = 4


@dataclass(frozen=True)
class StageKeyDates:
    """One stage's planned dates (worked back from the target) and its forecast decision."""

    start_by: date | None = None
    decide_by: date | None = None
    forecast_decide: date | None = None

    def to_json(self) -> dict[str, str | None]:
        return {
            "start_by": _iso(self.start_by),
            "decide_by": _iso(self.decide_by),
            "forecast_decide": _iso(self.forecast_decide),
        }


@dataclass(frozen=True)
class KeyDates:
    """A sign-off's key dates; everything None without a target."""

    target: date | None = None
    forecast: date | None = None
    slack_working_days: int | None = None
    rag: str | None = None
    stages: dict[str, StageKeyDates] = field(default_factory=dict)
    cause_stage: str | None = None
    next_meeting: date | None = None
    next_meeting_stage: str | None = None  # the meeting stage whose meeting ``next_meeting`` is

    def stage(self, stage_id: str) -> dict[str, str | None]:
        """The stage's ``start_by``, ``decide_by`` and ``forecast_decide`` as ISO dates or None."""
        return self.stages.get(stage_id, StageKeyDates()).to_json()


def workdays_spanning(route: Route, *days: date) -> WorkingDays:
    """The route's working days, with bank holidays known well either side of all of ``days``."""
    first, last = min(days), max(days)
    return working_days_for(route, around=last, years_each_side=last.year - first.year + HORIZON_YEARS)


def plan_for(route: Route, *, target: date, start: date) -> Plan:
    """The route's plan back from ``target`` and forecast from ``start`` (ValueError when start > target)."""
    return plan_route(route, target=target, start=start, workdays=workdays_spanning(route, start, target))


def plan_of(signoff: SignOff) -> Plan | None:
    """The sign-off's plan as if started the day it was created; None without a target."""
    if signoff.target is None:
        return None
    return _plan(signoff, signoff.target, _workdays(signoff, signoff.target))


def actuals_of(signoff: SignOff) -> dict[str, StageActual]:
    """What happened to each stage so far, as London dates: opened, and decided when it was."""
    found = {}
    for stage_id, progress in signoff.stages.items():
        if progress.opened_at is None:
            continue
        decided = progress.completed_at if progress.state in DECIDED else None
        found[stage_id] = StageActual(
            london_date(progress.opened_at), london_date(decided) if decided else None
        )
    return found


def key_dates_of(signoff: SignOff, *, today: date) -> KeyDates:
    """Planned dates from the target and the forecast from what happened (none once ended unapproved).

    A target so far off that dates overflow gives the target alone rather than breaking the sign-off.
    """
    target = signoff.target
    if target is None:
        return KeyDates()
    try:
        workdays = _workdays(signoff, target, today)
        plan = _plan(signoff, target, workdays)
        running = _running_forecast(signoff, target=target, today=today, workdays=workdays)
    except (PlanningError, OverflowError):
        return KeyDates(target=target)
    if running is None:
        decided = {stage_id: actual.decided for stage_id, actual in actuals_of(signoff).items()}
        return KeyDates(target=target, stages=_stage_dates(plan, decided))
    stages = _stage_dates(plan, {s.id: s.decide for s in running.stages})
    return KeyDates(
        target=target,
        forecast=running.forecast,
        slack_working_days=running.slack_working_days,
        rag=running.rag,
        stages=stages,
        cause_stage=_cause(plan, running),
        next_meeting=_next_meeting(running),
        next_meeting_stage=next((s.id for s in _meeting_stages_to_come(running)), None),
    )


def _workdays(signoff: SignOff, *days: date) -> WorkingDays:
    return workdays_spanning(signoff.route, london_date(signoff.created_at), *days)


def _plan(signoff: SignOff, target: date, workdays: WorkingDays) -> Plan:
    """The plan back from the target, started the day the sign-off was created (or on the target)."""
    start = min(london_date(signoff.created_at), target)
    return plan_route(signoff.route, target=target, start=start, workdays=workdays)


def _stage_dates(plan: Plan, forecasts: dict[str, date | None]) -> dict[str, StageKeyDates]:
    return {s.id: StageKeyDates(s.start_by, s.decide_by, forecasts.get(s.id)) for s in plan.stages}


def _running_forecast(
    signoff: SignOff, *, target: date, today: date, workdays: WorkingDays
) -> Forecast | None:
    """The forecast while the sign-off runs or once approved; None when it ended otherwise."""
    if signoff.state not in (SignOffState.IN_PROGRESS, SignOffState.APPROVED):
        return None
    actuals = actuals_of(signoff)
    return forecast_running(signoff.route, actuals=actuals, target=target, today=today, workdays=workdays)


def _cause(plan: Plan, running: Forecast) -> str | None:
    """The first stage forecast to be decided after its decide_by (or never); else the earliest of
    those whose forecast slipped most since the sign-off was created."""
    planned = {stage.id: stage for stage in plan.stages}
    slips: list[tuple[int, str]] = []
    for stage in running.stages:
        dates = planned[stage.id]
        if misses_decide_by(dates.decide_by, stage.decide):
            return stage.name
        if dates.forecast_decide is not None and stage.decide is not None:
            slips.append(((stage.decide - dates.forecast_decide).days, stage.name))
    fallback = (0, next((s.name for s in running.stages if s.status != "done"), None))
    return max(slips, key=lambda slip: slip[0], default=fallback)[1]


def _next_meeting(running: Forecast) -> date | None:
    """The meeting the next undecided meeting stage is forecast to go to."""
    return next((s.decide for s in _meeting_stages_to_come(running)), None)


def _meeting_stages_to_come(running: Forecast) -> list[StageForecast]:
    return [s for s in running.stages if s.kind is StageKind.MEETING and s.status != "done"]


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None
