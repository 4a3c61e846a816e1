"""``signoff outbox [--failed] [--json]``, ``signoff outbox retry ID`` and ``signoff remind ID``.

None of these imports Prefect: they read and write the database only; ``signoff serve`` sends.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import typer

from governance.domain.london_time import human_time, utc_now
from governance.entrypoints.cli.common import fail, load_settings, open_database, print_json, signoff_id_of

app = typer.Typer(
    help="Notifications waiting to be sent, and failed ones. Lists them without a subcommand.",
    invoke_without_command=True,
    no_args_is_help=False,
)


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="outbox")
    root.command("remind")(remind)


@app.callback()
def listing(
    ctx: typer.Context,
    failed: bool = typer.Option(False, "--failed", help="Only notifications that failed for good."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
) -> None:
    """List pending and failed notifications (emails and channel posts)."""
    if ctx.invoked_subcommand is not None:
        return
    from governance.services.undelivered import notifications

    found = notifications(open_database(load_settings()), failed_only=failed)
    if as_json:
        print_json(found)
    else:
        _print_table(found, failed=failed)


@app.command("retry")
def retry(
    notification_id: int = typer.Argument(..., help="The notification's id, from `signoff outbox`."),
) -> None:
    """Queue a failed notification again (same Message-ID, same link); `signoff serve` sends it."""
    from governance.services.undelivered import NotRetryable, retry_notification

    try:
        retry_notification(open_database(load_settings()), notification_id, now=utc_now())
    except NotRetryable as error:
        fail(str(error))
    typer.echo(f"notification {notification_id} queued again")


def remind(
    signoff_id: str = typer.Argument(..., help="The sign-off whose outstanding reviewers to remind."),
    stage: str | None = typer.Option(
        None, "--stage", help="Only this stage (its id); default every open stage."
    ),
) -> None:
    """Remind everyone outstanding now; counts as a reminder and restarts the interval."""
    from governance.services.ports import SignOffNotFound
    from governance.services.reminders import ReminderRefused, remind_now

    settings = load_settings()
    db = open_database(settings)
    signoff_id = signoff_id_of(db, signoff_id)
    try:
        result = remind_now(db, settings, signoff_id, stage_id=stage, now=utc_now())
    except (SignOffNotFound, ReminderRefused) as error:
        fail(str(error))
    for stage_id, reviewer in result.queued:
        typer.echo(f"reminder queued for {reviewer} ({stage_id})")
    for stage_id, reviewer in result.already:
        typer.echo(f"{reviewer} ({stage_id}) was already reminded by hand today: not sent again")


def _print_table(found: list[dict[str, Any]], *, failed: bool) -> None:
    from rich.console import Console
    from rich.table import Table

    if not found:
        Console().print(
            "No failed notifications." if failed else "Nothing waiting: every notification was sent."
        )
        return
    table = Table(
        "id", "sign-off", "kind", "recipient", "state", "attempts", "next attempt", "last error", "refused"
    )
    for n in found:
        table.add_row(
            str(n["id"]),
            n["signoff"] or "",
            n["kind"],
            n["recipient"],
            n["state"],
            str(n["attempts"]),
            _when(n["next_attempt_at"]),
            n["last_error"] or "",
            "; ".join(f"{who}: {why}" for who, why in n["refused"].items()),
        )
    Console().print(table)


def _when(value: str | None) -> str:
    return human_time(datetime.fromisoformat(value)) or "" if value else ""
