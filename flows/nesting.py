"""Step runs nested in the sign-off's story in the Prefect UI.

Each step (an advance, a delivery) is a flow run of its own, in-process or on a worker. Before it
is created, a task run in the sign-off's story flow run stands for it, inside the task runs of
the stages open at that moment (``__parents__``), and the step's flow run names that task run as
its parent: the story's run graph then draws the step under the stage it worked on, as Prefect
draws a subflow (``run_deployment`` links its runs the same way). When the step ends it closes
that task run. The first step of a sign-off (before there is a story) is not nested, and nesting
failing never stops a step: it is logged and the step runs on its own.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any
from uuid import UUID, uuid4

from prefect import task
from prefect.client.schemas.objects import TaskRunResult
from prefect.states import Completed, Running

from governance.services.ports import UnitsOfWork
from governance.services.story_telling import step_parents

if TYPE_CHECKING:
    from prefect.client.orchestration import PrefectClient

log = logging.getLogger("signoff.story")


@task(name="step")
def step_in_story() -> None:
    """Stands for one step run inside the story; never run, only created and closed."""


async def nest_step(
    client: PrefectClient, uows: UnitsOfWork, signoff_id: str | None, name: str
) -> UUID | None:
    """The task run a new step run ``name`` should name as its parent (None: not nested)."""
    if signoff_id is None:
        return None
    try:
        parents = step_parents(uows, signoff_id)
        if parents is None:
            return None
        inputs: dict[str, Any] = {
            "__parents__": [TaskRunResult(id=UUID(stage)) for stage in parents.stage_task_run_ids]
        }
        created = await client.create_task_run(
            step_in_story,
            flow_run_id=UUID(parents.story_run_id),
            dynamic_key=uuid4().hex,
            name=name,
            state=Running(),
            task_inputs=inputs,
        )
    except Exception as error:
        log.warning("could not nest step %r in sign-off %s's story (%s)", name, signoff_id, error)
        return None
    return created.id


async def close_step(parent_task_run_id: UUID | None) -> None:
    """Close the task run that stands for the step now ending (when it has one); never raises."""
    if parent_task_run_id is None:
        return
    from prefect.client.orchestration import get_client

    try:
        async with get_client() as client:
            await client.set_task_run_state(parent_task_run_id, Completed(), force=True)
    except Exception as error:
        log.warning("could not close the step's task run %s in its story (%s)", parent_task_run_id, error)
