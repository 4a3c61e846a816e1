"""Scaled out (``SIGNOFF_ORCHESTRATION=deployments``): each owed step becomes a run of the Prefect
deployment that does it, and any ``prefect worker start --pool signoff`` picks it up.

The database says what is owed (``work_waiting``). A step that already waits in Prefect (a
Scheduled run of its deployment for the same sign-off) is not asked for again: it has not started,
so it will see every change recorded before it does. The reconciler also leaves alone a step whose
run started within its interval. Anything else may run twice at worst, which every step survives:
the advance locks its sign-off's row, so a second run waits for the first and then finds nothing
to do, and each email is claimed with a lease, so it is sent once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from prefect import flow

from flows.nesting import nest_step
from flows.runtime import current
from governance.domain.london_time import LONDON, utc_now
from governance.services.ports import UnitsOfWork
from governance.services.signoffs import Work, work_waiting

POOL = "signoff"
DEPLOYMENT = "workers"
ADVANCE = f"advance-signoff/{DEPLOYMENT}"
DELIVER = f"send-notifications/{DEPLOYMENT}"
WATCH = f"watch-stalls/{DEPLOYMENT}"
RECONCILE = f"reconcile-owed-work/{DEPLOYMENT}"
SEND_EMAIL = "send email"
NO_SIGNOFF_TAG = "signoff:none"


@dataclass(frozen=True)
class Launch:
    """One flow run to create: which deployment, with what, tagged with its sign-off."""

    deployment: str
    name: str
    tag: str
    parameters: dict[str, Any] = field(hash=False, compare=False)


def launch_for(work: Work) -> Launch:
    """The deployment run that does ``work``, named as the in-process run would be."""
    tag = f"signoff:{work.signoff_id}" if work.signoff_id else NO_SIGNOFF_TAG
    if work.step == SEND_EMAIL:
        parameters: dict[str, Any] = {"signoff_id": work.signoff_id, "document": work.title}
        return Launch(DELIVER, f"{work.title} · {SEND_EMAIL}", tag, parameters)
    parameters = {"signoff_id": work.signoff_id, "document": work.title, "step": work.step}
    return Launch(ADVANCE, f"{work.title} · {work.step}", tag, parameters)


def still_to_launch(owed: Iterable[Work], waiting: set[tuple[str, str]]) -> list[Launch]:
    """The runs to create for ``owed``: one per deployment and sign-off, none where a run
    (deployment, tag) is already ``waiting`` to start."""
    launches: list[Launch] = []
    seen = set(waiting)
    for work in owed:
        launch = launch_for(work)
        if (launch.deployment, launch.tag) not in seen:
            seen.add((launch.deployment, launch.tag))
            launches.append(launch)
    return launches


async def launch_owed_work(uows: UnitsOfWork, *, in_flight_within: float = 0.0) -> int:
    """Create a run for every step the database says is owed; returns how many were created.

    ``in_flight_within``: a run that started (or was picked up) that many seconds ago or less
    also stands for its step. The reconciler passes its interval: it is there for what crashes
    leave behind, so a run still young is left to finish, and one older is presumed dead."""
    return await launch(uows, work_waiting(uows, now=utc_now()), in_flight_within=in_flight_within)


async def launch(uows: UnitsOfWork, owed: Sequence[Work], *, in_flight_within: float = 0.0) -> int:
    """Create a deployment run for each of ``owed`` that no run waiting to start (or, with
    ``in_flight_within``, no run that recently started) already stands for, each nested in its
    sign-off's story (``flows.nesting``)."""
    if not owed:
        return 0
    from prefect.client.orchestration import get_client

    async with get_client() as client:
        ids = {name: (await client.read_deployment_by_name(name)).id for name in (ADVANCE, DELIVER)}
        launches = still_to_launch(owed, await _covered(client, ids, in_flight_within))
        for one in launches:
            parent = await nest_step(client, uows, one.parameters["signoff_id"], one.name)
            await client.create_flow_run_from_deployment(
                ids[one.deployment],
                parameters=one.parameters,
                name=one.name,
                tags=[one.tag],
                parent_task_run_id=parent,
            )
    return len(launches)


async def _covered(client: Any, ids: dict[str, Any], in_flight_within: float) -> set[tuple[str, str]]:
    """(deployment, sign-off tag) of each run of these deployments that stands for its step."""
    from prefect.client.schemas.filters import (
        FlowRunFilter,
        FlowRunFilterDeploymentId,
        FlowRunFilterState,
        FlowRunFilterStateType,
    )
    from prefect.client.schemas.objects import StateType

    names = {deployment_id: name for name, deployment_id in ids.items()}
    states = [StateType.SCHEDULED] + ([StateType.PENDING, StateType.RUNNING] if in_flight_within else [])
    unfinished = FlowRunFilter(
        deployment_id=FlowRunFilterDeploymentId(any_=list(names)),
        state=FlowRunFilterState(type=FlowRunFilterStateType(any_=states)),
    )
    runs = await client.read_flow_runs(flow_run_filter=unfinished, limit=200)  # the API's most
    young = utc_now() - timedelta(seconds=in_flight_within)
    return {
        (names[run.deployment_id], tag)
        for run in runs
        if run.state is not None and (run.state.type == StateType.SCHEDULED or run.state.timestamp >= young)
        for tag in run.tags
        if tag.startswith("signoff:")
    }


def reconcile_run_name() -> str:
    """'owed work · 2026-11-25 09:00', in London time."""
    return "owed work · " + utc_now().astimezone(LONDON).strftime("%Y-%m-%d %H:%M")


@flow(name="reconcile-owed-work", flow_run_name=reconcile_run_name)
async def reconcile_owed_work() -> int:
    """Start a run for every owed step nothing in Prefect is about to do (what a crash left behind)."""
    runtime = current()
    return await launch_owed_work(runtime.db, in_flight_within=runtime.settings.reconcile_interval_seconds)
