"""P5: planning a 10-stage route backwards and forwards over a two-year horizon.

The baseline is the same planning of a one-stage route on the same working-day calendar, so the
ratio says what the nine extra stages, three committees and a parallel group cost.
"""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from governance.adapters.bank_holidays import working_days_for
from governance.benchmarks.figure import Case, Figure, median_seconds
from governance.domain.planning import plan_route
from governance.domain.route import ApprovalRule, Calendar, ParallelGroup, Route, RuleKind, Stage, StageKind

TARGET_MS = 5.0
START = date(2026, 1, 5)


def review(stage_id: str, days: int) -> Stage:
    return Stage(
        stage_id, stage_id.title(), StageKind.REVIEW, ("a@nhs.net",), ApprovalRule(RuleKind.ALL), days
    )


def meeting(stage_id: str, calendar: str) -> Stage:
    rule = ApprovalRule(RuleKind.ANY)
    return Stage(stage_id, stage_id.title(), StageKind.MEETING, ("s@nhs.net",), rule, None, calendar)


def ten_stage_route() -> Route:
    """Seven reviews (three of them a parallel group) and three committees meeting monthly."""
    calendars = {
        "finance": Calendar("finance", "Finance Committee", 7, "FREQ=MONTHLY;BYDAY=+2TU", date(2025, 1, 1)),
        "quality": Calendar("quality", "Quality Committee", 5, "FREQ=MONTHLY;BYDAY=+3WE", date(2025, 1, 1)),
        "board": Calendar("board", "ICB Board", 10, "FREQ=MONTHLY;BYDAY=-1TH", date(2025, 1, 1)),
    }
    group = ParallelGroup("checks", (review("legal", 5), review("comms", 3), review("estates", 4)))
    steps = (
        review("author", 5),
        review("director", 3),
        meeting("finance", "finance"),
        group,
        meeting("quality", "quality"),
        review("executive", 2),
        meeting("board", "board"),
        review("publication", 2),
    )
    return Route("bench", "Benchmark route", "ICB", steps, calendars)


def one_stage_route() -> Route:
    return Route("bench-one", "One-stage route", "ICB", (review("author", 5),), {})


def planning_ms(route: Route, *, repetitions: int = 300) -> float:
    """Median milliseconds to plan ``route`` for targets spread over two years."""
    workdays = working_days_for(route, around=START)
    # Targets spread over the two years, so no single date's path is all that is timed.
    targets = itertools.cycle(START + timedelta(days=days) for days in range(120, 730, 29))
    return 1000 * median_seconds(
        lambda: plan_route(route, target=next(targets), start=START, workdays=workdays),
        repetitions=repetitions,
        warmup=5,
    )


def measure() -> Figure:
    value = planning_ms(ten_stage_route())
    baseline = planning_ms(one_stage_route())
    return Figure(
        unit="ms",
        target=f"< {TARGET_MS:g} ms",
        description="plan + forecast a 10-stage route (3 monthly committees, a parallel group), 2 years; "
        "baseline: a one-stage route",
        cases=[Case("10 stages, 2-year horizon", value, baseline)],
        worse="higher",
        met=lambda value, _ratio: value < TARGET_MS,
    )
