"""The sign-off's story in the Prefect UI: one flow run per sign-off, one task run per stage segment.

No process holds the story while people decide: after each step (the advance flow, the watcher)
``tell_story`` reads the sign-off, works out what Prefect has not been told
(``governance.services.story``), and tells it through the client: the flow run (created once,
Running, tagged ``signoff:``/``route:``/``org:``), a task run per stage opening, its end state, log
lines, two artifacts and an event per transition. Task runs get no tags (see ``flows.signoff``).
Prefect failing never holds a sign-off up: it is logged, and the next step tells what is missing.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime
from typing import TYPE_CHECKING, Any
from uuid import NAMESPACE_URL, UUID, uuid5

from prefect import task
from prefect.client.schemas.actions import ArtifactCreate, FlowRunCreate, LogCreate
from prefect.client.schemas.objects import State, StateType
from prefect.events import emit_event
from prefect.states import Running, to_state_create

from flows.runtime import current
from governance.domain.london_time import utc_now
from governance.services.story import Ending, Transition, told
from governance.services.story_ports import StoryRecord
from governance.services.story_telling import StoryPlan, record_told, story_to_tell

if TYPE_CHECKING:
    from prefect.client.orchestration import PrefectClient

log = logging.getLogger("signoff.story")
STORY_FLOW = "sign-off"
EVENT_IDS = uuid5(NAMESPACE_URL, "urn:signoff:prefect-events")


@task(name="stage")
def stage_segment() -> None:
    """Stands for one opening of a stage in a sign-off's story; never run, only created and closed."""


async def tell_story(signoff_id: str, *, step: str = "") -> str:
    """Tell Prefect what is new about a sign-off; returns what happened in one line ('' for nothing).

    Never raises: a sign-off's own progress does not wait for Prefect."""
    runtime = current()
    try:
        plan = story_to_tell(runtime.db, signoff_id, now=utc_now())
        if not plan.transitions:
            return ""
        record, error = await _tell(plan, step=step)
        if record != plan.record:
            record_told(runtime.db, signoff_id, record)
    except Exception:
        log.exception("telling Prefect about sign-off %s failed; the next step tells it again", signoff_id)
        return ""
    if error is not None:
        log.warning(
            "Prefect was told part of sign-off %s (%s); the next step tells the rest", signoff_id, error
        )
    return "; ".join(t.line for t in plan.transitions if t.key in record.told - plan.record.told)


async def tell_stalls(signoff_ids: list[str]) -> int:
    """Tell the stories of the sign-offs the watcher looked at (new stalls, anything missed); how
    many changed. Never every sign-off in progress: the watcher's cost grows with what it finds."""
    changed = 0
    for signoff_id in signoff_ids:
        changed += bool(await tell_story(signoff_id, step="watch-stalls"))
    return changed


async def _tell(plan: StoryPlan, *, step: str) -> tuple[StoryRecord, Exception | None]:
    """Make the calls; the record of what got told, and the error that stopped it (if one did)."""
    from prefect.client.orchestration import get_client

    done: list[Transition] = []
    task_runs: dict[str, str] = {}
    flow_run_id = plan.record.flow_run_id
    try:
        async with get_client() as client:
            flow_run_id = flow_run_id or await _story_run(client, plan)
            logs = []
            for transition in plan.transitions:
                task_run_id = await _apply(client, plan, transition, UUID(flow_run_id), task_runs)
                _emit(plan, transition, flow_run_id)
                logs.append(_log(transition, flow_run_id, task_run_id, step=step))
                done.append(transition)
            await client.create_logs(logs)
            await _publish(client, plan, UUID(flow_run_id))
    except Exception as error:
        if flow_run_id is None:
            return plan.record, error
        return told(plan.record, done, flow_run_id=flow_run_id, task_runs=task_runs), error
    return told(plan.record, done, flow_run_id=flow_run_id, task_runs=task_runs), None


async def _story_run(client: PrefectClient, plan: StoryPlan) -> str:
    """The sign-off's flow run, created Running once (the idempotency key makes a retry find it)."""
    flow_id = await client.create_flow_from_name(STORY_FLOW)
    body = FlowRunCreate(
        flow_id=flow_id,
        name=plan.title,
        parameters={"signoff_id": plan.signoff_id},
        tags=list(plan.tags),
        state=to_state_create(Running()),
        idempotency_key=f"signoff-story-{plan.signoff_id}",
    )
    response = await client.request("POST", "/flow_runs/", json=body.model_dump(mode="json"))
    return str(response.json()["id"])


async def _apply(
    client: PrefectClient,
    plan: StoryPlan,
    transition: Transition,
    flow_run_id: UUID,
    task_runs: dict[str, str],
) -> UUID | None:
    """Open or close the transition's task run, or end the flow run; the task run's id."""
    segment, ending = transition.segment, transition.ending
    if segment is None:
        if ending is not None:
            await client.set_flow_run_state(flow_run_id, _state(ending, transition.line), force=True)
        return None
    known = plan.record.task_runs.get(segment.key) or task_runs.get(segment.key)
    if known is None:
        created = await client.create_task_run(
            stage_segment,
            flow_run_id=flow_run_id,
            dynamic_key=segment.key,
            name=segment.name,
            state=Running(),
        )
        known = task_runs[segment.key] = str(created.id)
    if ending is not None:
        await client.set_task_run_state(UUID(known), _state(ending, transition.line), force=True)
    return UUID(known)


def _state(ending: Ending, message: str) -> State[Any]:
    return State(type=StateType(ending.type), name=ending.name, message=message)


def _emit(plan: StoryPlan, transition: Transition, flow_run_id: str) -> None:
    """The transition's event, with an id of its own: the server keeps one of any repeats.

    Inside a step's flow run Prefect adds that run, its flow and its tags as related resources too."""
    segment = transition.segment
    payload: dict[str, Any] = {
        "line": transition.line,
        "state": transition.ending.name if transition.ending else None,
    }
    if segment is not None:
        payload |= {"stage": segment.stage_id, "stage_name": segment.name, "run": segment.key}
    flow_run = {
        "prefect.resource.id": f"prefect.flow-run.{flow_run_id}",
        "prefect.resource.role": "story",
        "prefect.resource.name": plan.title,
    }
    emit_event(
        transition.event,
        resource=plan.resource,
        related=[*plan.stage_related(transition), flow_run],
        payload=payload,
        occurred=transition.at,
        id=uuid5(EVENT_IDS, f"{plan.signoff_id}:{transition.key}"),
    )


def _log(transition: Transition, flow_run_id: str, task_run_id: UUID | None, *, step: str) -> LogCreate:
    message = transition.line + (f" (step: {step})" if step else "")
    return LogCreate(
        name="signoff.story",
        level=logging.INFO,
        message=message,
        timestamp=_aware(transition.at),
        flow_run_id=UUID(flow_run_id),
        task_run_id=task_run_id,
    )


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=utc_now().tzinfo)


async def _publish(client: PrefectClient, plan: StoryPlan, flow_run_id: UUID) -> None:
    """The artifacts as they now read, under the sign-off's stable keys."""
    for key, (kind, data) in plan.artifacts.items():
        text = data if isinstance(data, str) else json.dumps(data)
        artifact = ArtifactCreate(
            key=key, type=kind, data=text, flow_run_id=flow_run_id, description=plan.title
        )
        await client.create_artifact(artifact)
