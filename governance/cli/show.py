"""Human-readable output of ``signoff status``."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rich.console import Console
from rich.table import Table

from governance.clock import human_time


def _when(value: str | None) -> str:
    return human_time(datetime.fromisoformat(value)) or "" if value else ""


def print_overview(signoffs: list[dict[str, Any]]) -> None:
    table = Table("id", "title", "route", "state", "target", "started")
    for s in signoffs:
        table.add_row(s["id"], s["title"], s["route"], s["state"], s["target"] or "", _when(s["created_at"]))
    Console().print(table if signoffs else "No sign-offs yet. Start one with: signoff start ROUTE ...")


def print_signoff(status: dict[str, Any]) -> None:
    console = Console()
    console.print(f"[bold]{status['title']}[/bold]  ({status['id']})")
    console.print(
        f"route {status['route_name']}  state [bold]{status['state']}[/bold]  lead {status['lead']}"
    )
    console.print(f"document v{status['document_version']} sha256 {status['document_sha256']}")
    if status.get("target"):
        console.print(f"target {status['target']}")
    table = Table("stage", "group", "state", "opened", "due", "completed", "decisions / awaiting")
    for stage in status["stages"]:
        said = [f"{d['reviewer']}: {d['decision']}" for d in stage["decisions"]]
        awaited = [f"awaiting {r}" for r in stage.get("awaiting", [])]
        table.add_row(
            stage["id"],
            stage["group"] or "",
            stage["state"],
            _when(stage["opened_at"]),
            stage["due"] or "",
            _when(stage["completed_at"]),
            "\n".join(said + awaited),
        )
    console.print(table)
