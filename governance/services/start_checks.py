"""Whether a sign-off about to start can still be decided by its target, as ``signoff plan`` works it out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from governance.domain.errors import PlanningError
from governance.domain.route import Route
from governance.domain.start_rules import route_for_tags
from governance.services.key_dates import plan_for


@dataclass(frozen=True)
class Infeasible:
    """A plan that cannot finish by the target: how late, the last stage decided in time, or why not."""

    target: date
    forecast: date | None
    late_working_days: int | None  # None when the forecast is not late (no meeting fits, say)
    last_in_time: str | None  # the name of the last stage (in route order) decided by the target
    reason: str | None

    def __str__(self) -> str:
        if self.forecast is None or self.late_working_days is None:
            return f"the plan is already infeasible: {self.reason}"
        late = f"{self.late_working_days} working day{'' if self.late_working_days == 1 else 's'}"
        made = (
            f"the last stage decided by then is {self.last_in_time!r}"
            if self.last_in_time
            else "no stage would be decided by then"
        )
        return (
            f"the plan is already infeasible: the route would be decided on {self.forecast}, "
            f"{late} after the target {self.target}; {made}"
        )


def infeasibility(route: Route, *, tags: frozenset[str], target: date, start: date) -> Infeasible | None:
    """Why the stages that run for ``tags`` cannot be decided by ``target`` from ``start``, or None."""
    try:
        plan = plan_for(route_for_tags(route, tags), target=target, start=start)
    except (PlanningError, OverflowError) as error:
        return Infeasible(target, None, None, None, f"its key dates cannot be worked out ({error})")
    if plan.feasible:
        return None
    in_time = [s.name for s in plan.stages if s.forecast_decide is not None and s.forecast_decide <= target]
    slack = plan.slack_working_days
    late = -slack if slack is not None and slack < 0 else None  # else the reason says what is wrong
    return Infeasible(target, plan.forecast, late, in_time[-1] if in_time else None, plan.reason)
