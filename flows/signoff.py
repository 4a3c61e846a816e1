"""The sign-off flows. Each run is tagged ``signoff:<id>`` and named after its document and step.

Only the flow run carries the tag. Prefect sends every tag of a task run through its tag
concurrency machinery (a slot acquisition, a lease and a thread that renews it), even when no limit
is defined; a tag per sign-off made a long-running process grow by a thread and megabytes per
sign-off. Flow runs' tags do not go through it, and they are what the UI and the runs page filter on.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from uuid import UUID

from prefect import Flow, flow, get_run_logger, tags, task
from prefect.context import FlowRunContext, TagsContext

from flows.launch import SEND_EMAIL, launch
from flows.nesting import close_step, nest_step
from flows.runtime import current
from flows.story import tell_story
from governance.domain.london_time import utc_now
from governance.services.delivery import deliver_due
from governance.services.signoffs import Work, advance_signoff


def signoff_tag(signoff_id: str) -> str:
    return f"signoff:{signoff_id}"


@contextmanager
def untagged_tasks() -> Iterator[None]:
    """Task runs started inside get none of the flow run's tags (see the module docstring)."""
    with TagsContext(current_tags=set()):
        yield


@task(name="advance sign-off")
async def advance(signoff_id: str) -> list[str]:
    """Open the next stage, announce completions or end the sign-off; returns what happened.

    The work runs in a thread, so steps of other sign-offs go on meanwhile in the same process."""
    runtime = current()
    events = await asyncio.to_thread(advance_signoff, runtime.db, runtime.settings, signoff_id, now=utc_now())
    return [
        type(event).__name__ + ":" + getattr(event, "stage_id", getattr(event, "state", ""))
        for event in events
    ]


@task(name="send email")
async def deliver(signoff_id: str | None) -> dict[str, list[int]]:
    """Send the sign-off's queued notifications (in a thread, as ``advance``); retries are the
    outbox's job, not Prefect's."""
    runtime = current()
    if runtime.smtp is None and runtime.settings.runs_on_workers:
        msg = "no SMTP server is configured for this worker: set SIGNOFF_SMTP_HOST (the mail stays queued)"
        raise RuntimeError(msg)
    if runtime.smtp is None:
        return {"sent": [], "retrying": [], "failed": []}
    report = await asyncio.to_thread(
        deliver_due, runtime.db, runtime.settings, runtime.smtp, signoff_id=signoff_id
    )
    return {"sent": report.sent, "retrying": report.retrying, "failed": report.failed}


@flow(name="advance-signoff", flow_run_name="{document} · {step}", log_prints=True)
async def advance_signoff_flow(signoff_id: str, document: str = "", step: str = "advance") -> list[str]:
    """Act on a sign-off's recorded changes, send the emails they queued, and tell the sign-off's story."""
    with untagged_tasks():
        happened = await advance(signoff_id)
        await send_queued(signoff_id, document, happened=happened)
    told = await tell_story(signoff_id, step=f"{document} · {step}")
    get_run_logger().info(told or "nothing new to tell: the sign-off waits for its reviewers")
    await close_step(own_parent())
    return happened


async def send_queued(signoff_id: str, document: str, *, happened: list[str]) -> None:
    """Send the emails a step queued: in this run, or, on workers, as a run of the delivery
    deployment of its own, so that a slow mail server never holds up a step of any sign-off."""
    if not current().settings.runs_on_workers:
        await deliver(signoff_id)
    elif happened:  # a step that changed nothing queued nothing
        await launch(current().db, [Work(signoff_id, document, SEND_EMAIL)])


@flow(name="send-notifications", flow_run_name="{document} · send email")
async def deliver_notifications_flow(signoff_id: str | None, document: str = "") -> dict[str, list[int]]:
    """Send what the outbox holds for one sign-off (retries and leftovers after a restart)."""
    with untagged_tasks():
        sent = await deliver(signoff_id)
    await close_step(own_parent())
    return sent


def own_parent() -> UUID | None:
    """The task run in the story that stands for this step's run (``flows.nesting``), if any."""
    context = FlowRunContext.get()
    return context.flow_run.parent_task_run_id if context and context.flow_run else None


async def run_advance(signoff_id: str, *, document: str, step: str) -> list[str]:
    """Run the advance flow for one sign-off in this process, tagged so its history is found by
    the tag, and nested in its story."""
    parameters = {"signoff_id": signoff_id, "document": document, "step": step}
    happened: list[str] = await run_nested(
        advance_signoff_flow, signoff_id, f"{document} · {step}", parameters, [signoff_tag(signoff_id)]
    )
    return happened


async def run_delivery(signoff_id: str | None, *, document: str) -> dict[str, list[int]]:
    """Run the delivery flow in this process, tagged with its sign-off when it has one."""
    labels = [signoff_tag(signoff_id)] if signoff_id else ["signoff:none"]
    parameters = {"signoff_id": signoff_id, "document": document}
    sent: dict[str, list[int]] = await run_nested(
        deliver_notifications_flow, signoff_id, f"{document} · send email", parameters, labels
    )
    return sent


async def run_nested(
    step: Flow[..., Any], signoff_id: str | None, name: str, parameters: dict[str, Any], labels: list[str]
) -> Any:
    """Run ``step`` here as a flow run nested in the sign-off's story when it has one, else on its own."""
    from prefect.client.orchestration import get_client
    from prefect.flow_engine import run_flow_async

    async with get_client() as client:
        parent = await nest_step(client, current().db, signoff_id, name)
        if parent is not None:
            flow_run = await client.create_flow_run(
                step, name=name, parameters=parameters, tags=labels, parent_task_run_id=parent
            )
    if parent is None:
        with tags(*labels):
            return await step(**parameters)
    return await run_flow_async(already_named(step), flow_run=flow_run, parameters=parameters)


@functools.cache
def already_named(step: Flow[..., Any]) -> Flow[..., Any]:
    """``step`` without its run-name template, for a run created under that name already: the engine
    would otherwise rename the run to the same name, one more write to the Prefect server per step."""
    copy = step.with_options()
    copy.flow_run_name = None
    return copy
