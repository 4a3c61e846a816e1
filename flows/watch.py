"""The scheduled watcher: queue owed reminders and escalations, re-check RAG, then send the outbox.

Every run is safe to repeat and to overlap with another: the services decide from the database.
"""

from __future__ import annotations

from typing import Any

from prefect import flow, task

from flows.runtime import current
from flows.signoff import deliver
from governance.clock import LONDON, utc_now
from governance.services.rag_refresh import refresh_rags
from governance.services.reminders import send_due_reminders


def run_name() -> str:
    """'reminders · 2026-11-25 09:00', in London time."""
    return "reminders · " + utc_now().astimezone(LONDON).strftime("%Y-%m-%d %H:%M")


@task(name="queue due reminders")
def queue_due_reminders() -> dict[str, int]:
    """Queue the reminders, escalations and stall notices owed now; returns how many."""
    runtime = current()
    return send_due_reminders(runtime.db, runtime.settings, now=utc_now()).as_dict()


@task(name="refresh RAG")
def refresh_rag_ratings() -> dict[str, int]:
    """Store each running sign-off's RAG as time passes (emails the lead when it worsens)."""
    runtime = current()
    return refresh_rags(runtime.db, runtime.settings, now=utc_now())


@flow(name="watch-stalls", flow_run_name=run_name, log_prints=True)
async def watch_stalls() -> dict[str, Any]:
    """Nudge stalled stages, re-check RAG, and send what that queued."""
    reminders = queue_due_reminders()
    rag = refresh_rag_ratings()
    delivery = deliver(None)
    print(f"reminders {reminders}; RAG {rag}; delivery { ({k: len(v) for k, v in delivery.items()}) }")
    return {"reminders": reminders, "rag": rag, "delivery": delivery}
