"""Human-readable output of ``signoff status``, from the read models."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from rich.console import Console
from rich.table import Table

from governance.domain.london_time import human_time
from governance.services.status import SignOffStatus, StageStatus, VersionLine
from governance.services.stored_records import SignOffLine

RAG_STYLE = {"green": "green", "amber": "yellow", "red": "bold red"}


def _when(value: datetime | None) -> str:
    return human_time(value) or "" if value else ""


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


def print_overview(signoffs: Sequence[SignOffLine]) -> None:
    table = Table("id", "title", "route", "state", "target", "RAG", "started")
    for s in signoffs:
        rag = s.rag or ""
        table.add_row(
            s.id,
            s.title,
            s.route_id,
            s.state,
            _day(s.target),
            f"[{RAG_STYLE.get(rag, '')}]{rag}[/]" if rag else "",
            _when(s.created_at),
        )
    Console().print(table if signoffs else "No sign-offs yet. Start one with: signoff start ROUTE ...")


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
    said = [f"{d.reviewer}: {d.decision} (v{d.version})" for d in stage.decisions]
    awaited = [f"awaiting {r}" for r in stage.awaiting]
    reminded = [f"reminded {r.to} {_when(r.at)}" for r in stage.reminders]
    return said + awaited + reminded
