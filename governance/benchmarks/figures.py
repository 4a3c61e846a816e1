"""Benchmarks for ``signoff bench``: each figure is a name, a measured value, a unit and a target.

Add a figure by decorating a function that returns a ``Figure`` with ``@benchmark("NAME")``.
"""

from __future__ import annotations

import itertools
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any, TextIO, TypedDict

from governance.adapters.bank_holidays import working_days_for
from governance.domain.planning import plan_route
from governance.domain.route import (
    ApprovalRule,
    Calendar,
    ParallelGroup,
    Route,
    RuleKind,
    Stage,
    StageKind,
)


class Figure(TypedDict):
    value: float
    unit: str
    target: str | float
    description: str


BENCHMARKS: dict[str, Callable[[], Figure]] = {}
SLOW: set[str] = set()


def benchmark(name: str, *, slow: bool = False) -> Callable[[Callable[[], Figure]], Callable[[], Figure]]:
    """Register a benchmark under ``name``; a slow one (it starts servers) runs only when named."""

    def register(function: Callable[[], Figure]) -> Callable[[], Figure]:
        BENCHMARKS[name] = function
        if slow:
            SLOW.add(name)
        return function

    return register


def run_benchmarks(names: list[str] | None = None) -> dict[str, dict[str, Any]]:
    """Run the named benchmarks (by default every one that is not slow) and return their figures."""
    chosen = names or [name for name in BENCHMARKS if name not in SLOW]
    return {name: dict(BENCHMARKS[name]()) for name in chosen}


def print_table(figures: dict[str, dict[str, Any]], *, out: TextIO | None = None) -> None:
    """Print figures as an aligned table: name, value, unit, target, description."""
    stream = out or sys.stdout
    print(f"{'figure':<8} {'value':>10} {'unit':<6} {'target':<10} description", file=stream)
    for name, figure in figures.items():
        value = f"{figure['value']:.3f}"
        row = f"{name:<8} {value:>10} {figure['unit']:<6} {figure['target']!s:<10} {figure['description']}"
        print(row, file=stream)


def median_ms(action: Callable[[], object], *, repetitions: int = 300, warmup: int = 5) -> float:
    """Median wall time of ``action`` in milliseconds, after a few untimed warm-up runs."""
    for _ in range(warmup):
        action()
    timings = []
    for _ in range(repetitions):
        began = time.perf_counter()
        action()
        timings.append((time.perf_counter() - began) * 1000)
    return statistics.median(timings)


def ten_stage_route() -> Route:
    """A 10-stage route: seven reviews (three in a parallel group), three committees meeting monthly."""

    def review(stage_id: str, days: int) -> Stage:
        rule = ApprovalRule(RuleKind.ALL)
        return Stage(stage_id, stage_id.title(), StageKind.REVIEW, ("a@nhs.net",), rule, days)

    def meeting(stage_id: str, calendar: str) -> Stage:
        rule = ApprovalRule(RuleKind.ANY)
        return Stage(stage_id, stage_id.title(), StageKind.MEETING, ("s@nhs.net",), rule, None, calendar)

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


@benchmark("P5")
def plan_ten_stage_route() -> Figure:
    """Median time to plan a 10-stage route backwards and forecast it over two years."""
    route = ten_stage_route()
    start = date(2026, 1, 5)
    workdays = working_days_for(route, around=start)
    # Targets spread over the two years, so no single date's path is all that is timed.
    targets = itertools.cycle(start + timedelta(days=days) for days in range(120, 730, 29))
    value = median_ms(lambda: plan_route(route, target=next(targets), start=start, workdays=workdays))
    description = "plan + forecast a 10-stage route (3 monthly committees, a parallel group), 2-year horizon"
    return {"value": value, "unit": "ms", "target": "< 5 ms", "description": description}


from governance.benchmarks import running  # noqa: E402, F401 - registers the running product's figures

if __name__ == "__main__":
    print_table(run_benchmarks())
