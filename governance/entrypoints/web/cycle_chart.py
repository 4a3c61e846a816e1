"""The cycle-time chart's geometry: a horizontal bar per stage (median working days open) over a
lighter bar to its 90th percentile, drawn by ``_cycle_chart.html`` as inline SVG (no script)."""

from __future__ import annotations

from dataclasses import dataclass

from governance.entrypoints.report_csv import number
from governance.services.cycle_times import RouteOutcomes

WIDTH = 640
LABEL_MAX = 70
ROW = 48
TOP = 40
BAR_SPACE = WIDTH - 120  # room on the right for the figures


@dataclass(frozen=True)
class Bar:
    label: str
    y: int
    median_width: float
    p90_width: float
    figures: str


@dataclass(frozen=True)
class Chart:
    bars: tuple[Bar, ...]
    height: int
    width: int = WIDTH


def chart_of(report: tuple[RouteOutcomes, ...]) -> Chart:
    """Bars for every stage with at least one closed spell, scaled to the longest 90th percentile."""
    stages = [(route, stage) for route in report for stage in route.stages if stage.open_days.count]
    longest = max((stage.open_days.p90 or 0 for _, stage in stages), default=0) or 1
    bars = []
    for row, (route, stage) in enumerate(stages):
        label = f"{route.route_name}: {stage.stage_name}"
        label = label if len(label) <= LABEL_MAX else label[: LABEL_MAX - 1] + "…"
        median, p90 = stage.open_days.median or 0, stage.open_days.p90 or 0
        bars.append(
            Bar(
                label,
                TOP + row * ROW,
                round(BAR_SPACE * median / longest, 1),
                round(BAR_SPACE * p90 / longest, 1),
                f"{number(median)} / {number(p90)}",
            )
        )
    return Chart(tuple(bars), TOP + len(bars) * ROW + 8)
