"""The scheduled watcher: queue owed reminders and escalations, and re-check RAG.

It only queues: the dispatcher in ``signoff serve`` sends the outbox within a second, as tagged
"send email" runs of each sign-off, so there is one sender and a run spawned by the schedule never
holds a half-sent email. Every run is safe to repeat and to overlap with another.
"""

from __future__ import annotations

from typing import Any

from prefect import flow, task

from flows.runtime import current
from flows.story import tell_stalls
from governance.domain.london_time import LONDON, utc_now
from governance.services.rag_alerts import refresh_rags
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
    """Queue the reminders and escalations owed now, re-check RAG, and tell Prefect of stalled stages."""
    reminders = queue_due_reminders()
    rag = refresh_rag_ratings()
    stories = await tell_stalls()
    print(f"reminders {reminders}; RAG {rag}; sign-off stories told {stories}")
    return {"reminders": reminders, "rag": rag, "stories": stories}
