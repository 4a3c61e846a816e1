"""Human-readable output of ``signoff status``."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rich.console import Console
from rich.table import Table

from governance.domain.london_time import human_time

RAG_STYLE = {"green": "green", "amber": "yellow", "red": "bold red"}


def _when(value: str | None) -> str:
    return human_time(datetime.fromisoformat(value)) or "" if value else ""


def print_overview(signoffs: list[dict[str, Any]]) -> None:
    table = Table("id", "title", "route", "state", "target", "RAG", "started")
    for s in signoffs:
        rag = s.get("rag") or ""
        table.add_row(
            s["id"],
            s["title"],
            s["route"],
            s["state"],
            s["target"] or "",
            f"[{RAG_STYLE.get(rag, '')}]{rag}[/]" if rag else "",
            _when(s["created_at"]),
        )
    Console().print(table if signoffs else "No sign-offs yet. Start one with: signoff start ROUTE ...")


def print_signoff(status: dict[str, Any]) -> None:
    console = Console()
    console.print(f"[bold]{status['title']}[/bold]  ({status['id']})")
    console.print(
        f"route {status['route_name']}  state [bold]{status['state']}[/bold]  lead {status['lead']}"
    )
    console.print(f"document v{status['document_version']} sha256 {status['document_sha256']}")
    if status.get("target"):
        rag = status.get("rag") or "unknown"
        console.print(
            f"target {status['target']}  forecast {status.get('forecast') or 'n/a'}  "
            f"slack {status.get('slack_working_days')} working days  RAG [{RAG_STYLE.get(rag, '')}]{rag}[/]"
        )
    console.print(_stages_table(status["stages"]))


def _stages_table(stages: list[dict[str, Any]]) -> Table:
    table = Table(
        "stage", "state", "opened", "due", "decide by", "forecast", "decisions / awaiting / reminders"
    )
    for stage in stages:
        state = stage["state"] + (" [bold red](stalled)[/]" if stage.get("stalled") else "")
        name = f"{stage['id']}\n[dim]in {stage['group']}[/]" if stage["group"] else stage["id"]
        table.add_row(
            name,
            state,
            _when(stage["opened_at"]),
            stage["due"] or "",
            stage.get("decide_by") or "",
            stage.get("forecast_decide") or "",
            "\n".join(_activity(stage)),
        )
    return table


def _activity(stage: dict[str, Any]) -> list[str]:
    said = [f"{d['reviewer']}: {d['decision']}" for d in stage["decisions"]]
    awaited = [f"awaiting {r}" for r in stage.get("awaiting", [])]
    reminded = [f"reminded {r['to']} {_when(r['at'])}" for r in stage.get("reminders", [])]
    return said + awaited + reminded
