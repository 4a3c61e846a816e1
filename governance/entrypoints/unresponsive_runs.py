"""The Prefect automation ``signoff deploy`` registers so that a run whose worker died is marked
Crashed instead of staying Running (or Pending) for ever.

A run on a machine that is switched off, or a worker killed with SIGKILL, reports nothing: Prefect
keeps it Running, and a Running run holds a slot of its work queue's concurrency limit (and of its
deployment's) for good. Enough of them and the ``mail`` queue stops taking runs: the emails a
crash left behind, taken over once their lease runs out, would wait in Scheduled runs no worker
may start. This is Prefect's own remedy ("detect zombie flows"): every run of the pool sends a
heartbeat event (``PREFECT_FLOWS_HEARTBEAT_FREQUENCY``, set through the pool's job variables), and
a proactive trigger marks Crashed any ``signoff`` run that went quiet for three heartbeats, or that
went Pending and never started. A Crashed run frees its slots; the reconciler then starts the
steps it owed, and every step survives running twice.
"""

from __future__ import annotations

from datetime import timedelta

from prefect.client.orchestration import PrefectClient
from prefect.client.schemas.objects import StateType
from prefect.events.actions import ChangeFlowRunState
from prefect.events.schemas.automations import AutomationCore, EventTrigger, Posture
from prefect.events.schemas.events import ResourceSpecification

NAME = "signoff: mark runs whose worker died as crashed"
DEPLOYMENT_TAG = "signoff"  # every deployment signoff deploy registers carries it, and so its runs
MISSED_HEARTBEATS = 3
FINISHED = ("Completed", "Failed", "Cancelled", "Crashed")


def unresponsive_runs_automation(heartbeat_seconds: int) -> AutomationCore:
    """After a signoff run's heartbeat, or its going Pending or Running, Prefect expects another
    heartbeat or a final state within three heartbeats; if none comes, the run is marked Crashed."""
    return AutomationCore(
        name=NAME,
        description=(
            f"Runs of the signoff work pool send a heartbeat every {heartbeat_seconds} s. One that "
            f"misses {MISSED_HEARTBEATS} in a row (its worker or machine died) is marked Crashed, "
            "which frees its concurrency slots; signoff's reconciler starts again what it owed."
        ),
        trigger=EventTrigger(
            after={"prefect.flow-run.heartbeat", "prefect.flow-run.Pending", "prefect.flow-run.Running"},
            expect={"prefect.flow-run.heartbeat", *(f"prefect.flow-run.{state}" for state in FINISHED)},
            match=ResourceSpecification({"prefect.resource.id": "prefect.flow-run.*"}),
            match_related=ResourceSpecification(
                {"prefect.resource.role": "tag", "prefect.resource.id": f"prefect.tag.{DEPLOYMENT_TAG}"}
            ),
            for_each={"prefect.resource.id"},
            posture=Posture.Proactive,
            threshold=1,
            within=timedelta(seconds=MISSED_HEARTBEATS * heartbeat_seconds),
        ),
        actions=[
            ChangeFlowRunState(
                state=StateType.CRASHED,
                message=f"No heartbeat for {MISSED_HEARTBEATS * heartbeat_seconds} s: its worker stopped.",
            )
        ],
    )


async def ensure_unresponsive_runs_automation(client: PrefectClient, heartbeat_seconds: int) -> str:
    """Create the automation, or bring an existing one (found by name) up to date."""
    wanted = unresponsive_runs_automation(heartbeat_seconds)
    existing = await client.read_automations_by_name(NAME)
    if not existing:
        await client.create_automation(wanted)
        return f"automation {NAME!r}: created, after {MISSED_HEARTBEATS * heartbeat_seconds} s quiet"
    for duplicate in existing[1:]:
        await client.delete_automation(duplicate.id)
    await client.update_automation(existing[0].id, wanted)
    return f"automation {NAME!r}: after {MISSED_HEARTBEATS * heartbeat_seconds} s quiet"
