"""What every figure is made of: cases measured beside their baselines, and the worst of them.

A figure's ``value`` and ``ratio`` are the worst of its measured cases, so a figure is met only
when every variant meets it. A case that cannot run here (no PostgreSQL named) is listed with the
reason it was skipped, never left out and never counted.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

Worse = Literal["lower", "higher"]


@dataclass(frozen=True)
class Case:
    """One variant of a figure: its value beside its baseline, or why it did not run."""

    name: str
    value: float | None = None
    baseline: float | None = None
    skipped: str | None = None
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        if self.value is None or not self.baseline:
            return None
        return self.value / self.baseline

    def as_dict(self) -> dict[str, Any]:
        if self.skipped is not None:
            return {"name": self.name, "skipped": self.skipped}
        return {
            "name": self.name,
            "value": self.value,
            "baseline": self.baseline,
            "ratio": self.ratio,
            **self.details,
        }


def skipped(name: str, reason: str) -> Case:
    return Case(name, skipped=reason)


@dataclass(frozen=True)
class Figure:
    """A measured figure: ``worse`` says which way a value is worse ('lower' for a rate)."""

    unit: str
    target: str
    description: str
    cases: Sequence[Case]
    worse: Worse
    met: Callable[[float, float], bool]  # (value, ratio) -> is the target met?

    def measured(self) -> list[Case]:
        return [case for case in self.cases if case.skipped is None and case.value is not None]

    def worst_case(self) -> Case | None:
        """The measured case with the worst value (the baseline shown beside it is its own)."""
        pick = min if self.worse == "lower" else max
        cases = self.measured()
        return pick(cases, key=lambda case: case.value or 0.0) if cases else None

    def worst_ratio(self) -> float | None:
        pick = min if self.worse == "lower" else max
        ratios = [case.ratio for case in self.measured() if case.ratio is not None]
        return pick(ratios) if ratios else None

    def as_dict(self) -> dict[str, Any]:
        worst, ratio = self.worst_case(), self.worst_ratio()
        value = worst.value if worst else None
        return {
            "value": value,
            "unit": self.unit,
            "baseline": worst.baseline if worst else None,
            "ratio": ratio,
            "target": self.target,
            "met": bool(value is not None and ratio is not None and self.met(value, ratio)),
            "description": self.description,
            "cases": [case.as_dict() for case in self.cases],
        }


def median_seconds(action: Callable[[], object], *, repetitions: int, warmup: int = 2) -> float:
    """Median wall time of ``action`` in seconds, after a few untimed warm-up runs."""
    for _ in range(warmup):
        action()
    timings = []
    for _ in range(repetitions):
        began = time.perf_counter()
        action()
        timings.append(time.perf_counter() - began)
    return statistics.median(timings)
