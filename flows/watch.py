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
from governance.services.watcher import watch_signoffs


def run_name() -> str:
    """'reminders · 2026-11-25 09:00', in London time."""
    return "reminders · " + utc_now().astimezone(LONDON).strftime("%Y-%m-%d %H:%M")


@task(name="watch due sign-offs")
def watch_due_signoffs() -> tuple[dict[str, dict[str, int]], list[str]]:
    """Queue the reminders, escalations and stall notices owed now and store RAG as time passes, for
    the sign-offs whose next check has come; returns how many of each, and which it looked at."""
    runtime = current()
    counts = watch_signoffs(runtime.db, runtime.settings, now=utc_now())
    return {"reminders": counts.reminders.as_dict(), "rag": dict(counts.rag)}, counts.looked_at


@flow(name="watch-stalls", flow_run_name=run_name, log_prints=True)
async def watch_stalls() -> dict[str, Any]:
    """Queue the reminders and escalations owed now, re-check RAG, and tell Prefect of stalled stages
    (of the sign-offs whose check was due: a stage stalls on a day the watcher looks at it)."""
    found, looked_at = watch_due_signoffs()
    stories = await tell_stalls(looked_at)
    print(f"reminders {found['reminders']}; RAG {found['rag']}; sign-off stories told {stories}")
    return {**found, "stories": stories}
