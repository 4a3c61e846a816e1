"""``signoff plan``: a route's key dates for a target, and how a start on a given day would fare."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import typer
from rich import box
from rich.console import Console
from rich.measure import Measurement
from rich.table import Table

from governance.adapters.route_files import RouteFileError, UnknownRoute, find_route
from governance.domain.errors import PlanningError
from governance.domain.london_time import london_date, utc_now
from governance.domain.planning import Plan, plan_to_json
from governance.domain.route import Route
from governance.entrypoints.cli.common import fail, load_settings, parse_date, print_json

# Room enough to measure a table's natural width.
UNLIMITED = 10_000
# Headings no wider than a date keep the table narrow.
DATE_COLUMNS = (
    "start\nby",
    "paper\ndeadline",
    "meeting",
    "decide\nby",
    "forecast\nstart",
    "forecast\ndecide",
)


def register(app: typer.Typer) -> None:
    app.command("plan")(plan)


def plan(
    route: str = typer.Argument(..., help="A route file's path, or a route id in the routes directory."),
    target: str = typer.Option(..., "--target", help="The date it must be signed off by (YYYY-MM-DD)."),
    start: str | None = typer.Option(None, "--start", help="The day it starts (YYYY-MM-DD); default: today."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
    ics: Path | None = typer.Option(None, "--ics", help="Also write the key dates to this .ics file."),
) -> None:
    """When each stage must start, which meeting each paper goes to, and whether the target is reachable."""
    target_day = parse_date(target, option="--target")
    start_day = parse_date(start, option="--start") or london_date(utc_now())
    assert target_day is not None  # a required option
    if start_day > target_day:
        fail(f"--target {target_day} is before the start {start_day}")
    found = _route(route)
    planned = _plan(found, target=target_day, start=start_day)
    if ics is not None:
        _write_ics(ics, planned, title=found.name)
    if as_json:
        print_json(plan_to_json(planned))
    else:
        print_plan(planned, route=found)


def _route(ref: str) -> Route:
    settings = load_settings()
    try:
        found, _path = find_route(ref, routes_dir=settings.routes_dir)
    except (UnknownRoute, RouteFileError) as error:
        fail(str(error).replace("\n", "; "))
    return found


def _plan(route: Route, *, target: date, start: date) -> Plan:
    from governance.services.key_dates import plan_for

    try:
        return plan_for(route, target=target, start=start)
    except PlanningError as error:
        fail(f"route '{route.id}': {error}")
    except OverflowError:
        fail(f"cannot plan that far ahead: --target {target}")


def _write_ics(path: Path, planned: Plan, *, title: str) -> None:
    from governance.adapters.calendar_files import key_dates_calendar

    calendar = key_dates_calendar(planned, title=title)
    try:
        path.write_bytes(calendar)
    except OSError as error:
        fail(f"--ics {str(path)!r}: cannot write it: {error.strerror or error}")
    events = calendar.count(b"BEGIN:VEVENT")
    # On standard error, so that --json output stays clean.
    typer.echo(f"Wrote {events} key dates to {path} (import it into Outlook or any calendar).", err=True)


def print_plan(planned: Plan, *, route: Route) -> None:
    """The plan as a table, stage by stage, then one summary line."""
    console = Console()
    table = plan_table(planned)
    # Never squeeze a date: a table wider than the terminal wraps rather than losing digits.
    console.width = max(
        console.width, Measurement.get(console, console.options.update(width=UNLIMITED), table).maximum
    )
    console.print(f"[bold]{route.name}[/bold] ({route.id})", highlight=False)
    console.print(f"target {planned.target}  start {planned.start}", highlight=False)
    console.print(table)
    typer.echo(summary(planned))


def plan_table(planned: Plan) -> Table:
    """Stage, kind, then the six key dates of each stage, in route order."""
    table = Table("stage", "kind", box=box.SIMPLE_HEAD, pad_edge=False, padding=(0, 1, 0, 0))
    for heading in DATE_COLUMNS:
        table.add_column(heading, no_wrap=True)
    for stage in planned.stages:
        name = stage.id if stage.group is None else f"{stage.id} ({stage.group})"
        dates = (stage.start_by, stage.paper_deadline, stage.meeting, stage.decide_by)
        forecast = (stage.forecast_start, stage.forecast_decide)
        table.add_row(name, stage.kind.value, *(_day(d) for d in (*dates, *forecast)))
    return table


def summary(planned: Plan) -> str:
    """One line: feasible (or why not), the forecast, the slack and the RAG."""
    feasible = "yes" if planned.feasible else f"no ({planned.reason})"
    slack = "unknown" if planned.slack_working_days is None else f"{planned.slack_working_days} working days"
    forecast = _day(planned.forecast) or "none"
    return f"feasible: {feasible}; forecast: {forecast}; slack: {slack}; RAG: {planned.rag}"


def _day(day: date | None) -> str:
    return day.isoformat() if day else ""
