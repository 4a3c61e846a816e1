"""The cycle-time report as CSV, one header row, for ``signoff report cycle-times --csv`` and the page.

Each route has a row of its own (``stage_id`` empty) with its sign-offs finished on time and late,
then a row per stage with its working days open, response times, deferrals and late papers.
"""

from __future__ import annotations

import csv
import io

from governance.services.cycle_times import RouteOutcomes, Spread

HEADER = (
    "route_id",
    "route_name",
    "stage_id",
    "stage_name",
    "stages_closed",
    "median_working_days_open",
    "p90_working_days_open",
    "decisions",
    "median_response_working_days",
    "p90_response_working_days",
    "deferrals",
    "late_papers",
    "finished_on_time",
    "finished_late",
    "finished_without_target",
)


def number(value: float | None) -> str:
    """'' for no value, '3' for a whole number, '2.5' otherwise."""
    if value is None:
        return ""
    return str(int(value)) if value == int(value) else f"{value:g}"


def spread_cells(spread: Spread) -> list[str]:
    return [str(spread.count), number(spread.median), number(spread.p90)]


def cycle_csv(report: tuple[RouteOutcomes, ...]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    for route in report:
        totals = [sum(s.deferrals for s in route.stages), sum(s.late_papers for s in route.stages)]
        blank = [""] * 8
        writer.writerow(
            [route.route_id, route.route_name, *blank, *totals, route.on_time, route.late, route.no_target]
        )
        for stage in route.stages:
            writer.writerow(
                [
                    route.route_id,
                    route.route_name,
                    stage.stage_id,
                    stage.stage_name,
                    *spread_cells(stage.open_days),
                    *spread_cells(stage.response_days),
                    *(stage.deferrals, stage.late_papers, "", "", ""),
                ]
            )
    return out.getvalue()
