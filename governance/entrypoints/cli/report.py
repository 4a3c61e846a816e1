"""``signoff report cycle-times [--csv]``: how long each route's stages take."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from governance.entrypoints.cli.common import load_settings, open_database

if TYPE_CHECKING:
    from governance.services.cycle_times import Spread

report_app = typer.Typer(
    help="Reports over every sign-off: cycle times per route and stage (--csv for CSV).", no_args_is_help=True
)


def register(app: typer.Typer) -> None:
    app.add_typer(report_app, name="report")


@report_app.command("cycle-times")
def cycle_times(
    as_csv: bool = typer.Option(False, "--csv", help="CSV with a header row on standard output."),
) -> None:
    """Per route and stage: median and 90th-percentile working days open, response times, deferrals,
    late papers, and sign-offs finished on time or late."""
    from governance.domain.london_time import london_date, utc_now
    from governance.entrypoints.report_csv import cycle_csv
    from governance.services.cycle_times import read_cycle_times

    settings = load_settings()
    report = read_cycle_times(open_database(settings), today=london_date(utc_now()))
    if as_csv:
        typer.echo(cycle_csv(report), nl=False)
        return
    if not report:
        typer.echo("No sign-offs yet, so there is nothing to measure.")
        return
    for route in report:
        typer.echo(f"{route.route_name} ({route.route_id})")
        typer.echo(
            f"  approved on time {route.on_time}, late {route.late}, without a target {route.no_target}"
        )
        typer.echo(
            "  stage: closed, days open median/p90; decisions, response median/p90; deferrals, late papers"
        )
        for s in route.stages:
            opened, answered = spread_words(s.open_days), spread_words(s.response_days)
            typer.echo(f"  {s.stage_name}: {opened}; {answered}; {s.deferrals}, {s.late_papers}")


def spread_words(spread: Spread) -> str:
    """'4, 2/5': how many, then median/90th percentile ('-' for none)."""
    from governance.entrypoints.report_csv import number

    return f"{spread.count}, {number(spread.median) or '-'}/{number(spread.p90) or '-'}"
