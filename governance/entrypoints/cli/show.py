"""Human-readable output of ``signoff status``, from the read models."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from governance.domain.london_time import human_time, london_date
from governance.services.signoff_ids import unique_prefix_length
from governance.services.status import SignOffStatus, StageStatus, VersionLine
from governance.services.stored_records import SignOffLine

RAG_STYLE = {"green": "green", "amber": "yellow", "red": "bold red"}
WIDE = 120  # a terminal this wide shows whole ids


def _when(value: datetime | None) -> str:
    return human_time(value) or "" if value else ""


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


def print_overview(signoffs: Sequence[SignOffLine]) -> None:
    """A line per sign-off, fitted to the terminal: ids cut only to what still tells them apart
    (any unique start of an id is accepted back), long titles folded instead; below ``WIDE``
    columns the route goes under the title and the start is a date."""
    console = Console()
    if not signoffs:
        console.print("No sign-offs yet. Start one with: signoff start ROUTE ...")
        return
    wide = console.width >= WIDE
    ids = [s.id for s in signoffs]
    shown = max(map(len, ids)) if wide else unique_prefix_length(ids)
    table = Table(box=box.SIMPLE_HEAD if not wide else box.HEAVY_HEAD, show_edge=wide)
    table.add_column("id", no_wrap=True, min_width=shown)
    table.add_column("title" if wide else "title / route", overflow="fold")
    if wide:
        table.add_column("route", overflow="fold")
    table.add_column("state")
    table.add_column("target", no_wrap=True, min_width=10)
    table.add_column("RAG", no_wrap=True)
    table.add_column("started", no_wrap=not wide)
    for s in signoffs:
        rag = s.rag or ""
        named = (
            [escape(s.title), escape(s.route_id)] if wide else [f"{escape(s.title)}\n[dim]{s.route_id}[/]"]
        )
        table.add_row(
            s.id[:shown],
            *named,
            s.state.replace("_", " "),
            _day(s.target),
            f"[{RAG_STYLE.get(rag, '')}]{rag}[/]" if rag else "",
            _when(s.created_at) if wide else _day(london_date(s.created_at)),
        )
    console.print(table)


def print_signoff(status: SignOffStatus) -> None:
    console = Console()
    console.print(f"[bold]{status.title}[/bold]  ({status.id})")
    console.print(f"route {status.route_name}  state [bold]{status.state.value}[/bold]  lead {status.lead}")
    console.print(f"document v{status.document_version} sha256 {status.document_sha256}")
    console.print(f"route sha256 {status.route_sha256} (the route as it started)")
    for line in _version_lines(status.versions):
        console.print(line, highlight=False, markup=False)
    if status.target:
        rag = status.rag or "unknown"
        console.print(
            f"target {_day(status.target)}  forecast {_day(status.forecast) or 'n/a'}  "
            f"slack {status.slack_working_days} working days  RAG [{RAG_STYLE.get(rag, '')}]{rag}[/]"
        )
    console.print(_stages_table(status.stages))


def _version_lines(versions: Sequence[VersionLine]) -> list[str]:
    """A line per document version: its file, short hash, when, who, the note and what changed."""
    lines = []
    for version in versions:
        said = "; ".join(part for part in (version.note, version.change_summary) if part)
        when = f"{_when(version.at)} by {version.by}"
        lines.append(
            f"  v{version.version} {version.filename} {version.sha256[:12]}  {when}"
            + (f": {said}" if said else "")
        )
    return lines


def _stages_table(stages: Sequence[StageStatus]) -> Table:
    table = Table(
        "stage", "state", "opened", "due", "decide by", "forecast", "decisions / awaiting / reminders"
    )
    for stage in stages:
        state = stage.state.value + (" [bold red](stalled)[/]" if stage.stalled else "")
        name = f"{stage.id}\n[dim]in {stage.group}[/]" if stage.group else stage.id
        table.add_row(
            name,
            state,
            _when(stage.opened_at),
            _day(stage.due),
            _day(stage.decide_by),
            _day(stage.forecast_decide),
            "\n".join(_activity(stage)),
        )
    return table


def _activity(stage: StageStatus) -> list[str]:
    if stage.skipped_reason:
        return [f"skipped: {stage.skipped_reason}"]
    said = [f"{_decider(d.reviewer, d.on_behalf_of)}: {d.decision} (v{d.version})" for d in stage.decisions]
    seats = {h.holder: h.reviewer for h in stage.handed_over}
    awaited = [f"awaiting {_decider(r, seats.get(r))}" for r in stage.awaiting]
    reminded = [f"reminded {r.to} {_when(r.at)}" for r in stage.reminders]
    return said + awaited + reminded


def _decider(person: str, on_behalf_of: str | None) -> str:
    """Who decides (or decided), naming the reviewer whose seat a deputy fills."""
    return f"{person} on behalf of {on_behalf_of}" if on_behalf_of else person
