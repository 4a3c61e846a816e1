"""What ``signoff deploy`` registers on a Prefect server: the ``signoff`` work pool (process type),
its two queues and the product's four deployments with their schedules.

- Queue ``steps`` runs the advance step, the watcher and the reconciler; queue ``mail`` runs the
  delivery step. Each has its own concurrency limit, so a slow mail server can fill ``mail`` but
  never holds up a step of any sign-off.
- Entrypoints are module paths (``governance.entrypoints.worker_flows.advance_signoff``) with no
  pull steps: a worker runs the package installed beside it, from any directory; nothing is
  downloaded, built or pushed.
- Every run gets ``SIGNOFF_ORCHESTRATION=deployments`` through the deployments' ``env`` job
  variable, so a worker's steps hand mail on to the delivery deployment even if its own environment
  forgot, and a heartbeat every ``SIGNOFF_RUN_HEARTBEAT_SECONDS``: with the automation in
  ``unresponsive_runs``, a run whose worker died is marked Crashed and frees its slots.
- The watcher and the reconciler run one at a time: a run that comes due while the last one still
  works is cancelled, not queued behind it (each run catches up on everything).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from prefect.client.orchestration import PrefectClient, get_client
from prefect.client.schemas.actions import WorkPoolCreate
from prefect.client.schemas.objects import ConcurrencyLimitConfig, ConcurrencyLimitStrategy
from prefect.deployments.runner import RunnerDeployment
from prefect.exceptions import ObjectAlreadyExists, ObjectNotFound
from prefect.types.entrypoint import EntrypointType

from flows.launch import DEPLOYMENT, POOL
from governance.entrypoints import worker_flows
from governance.entrypoints.unresponsive_runs import DEPLOYMENT_TAG, ensure_unresponsive_runs_automation
from governance.settings import Settings

STEPS_QUEUE = "steps"
MAIL_QUEUE = "mail"


@dataclass(frozen=True)
class Limits:
    """How many runs of each queue may run at once, across every worker."""

    steps: int = 8
    mail: int = 4


async def register(settings: Settings, limits: Limits) -> list[str]:
    """Create the pool and queues if missing (updating their limits), then create or update each
    deployment; returns a line per thing registered."""
    async with get_client() as client:
        lines = [await ensure_pool(client)]
        lines.append(await ensure_queue(client, STEPS_QUEUE, limits.steps, priority=1))
        lines.append(await ensure_queue(client, MAIL_QUEUE, limits.mail, priority=2))
        lines.append(await ensure_unresponsive_runs_automation(client, settings.run_heartbeat_seconds))
    for deployment, schedule in deployments(settings):
        await deployment.aapply()
        lines.append(f"deployment {deployment.full_name} ({schedule})")
    return lines


async def ensure_pool(client: PrefectClient) -> str:
    from prefect.workers.process import ProcessWorker

    template = ProcessWorker.get_default_base_job_template()
    try:
        await client.create_work_pool(WorkPoolCreate(name=POOL, type="process", base_job_template=template))
    except ObjectAlreadyExists:
        pool = await client.read_work_pool(POOL)
        if pool.type != "process":
            msg = f"the work pool {POOL!r} exists with type {pool.type!r}; signoff needs a process pool"
            raise RuntimeError(msg) from None
        return f"work pool {POOL} (process): already there"
    return f"work pool {POOL} (process): created"


async def ensure_queue(client: PrefectClient, name: str, limit: int, *, priority: int) -> str:
    try:
        queue = await client.read_work_queue_by_name(name, work_pool_name=POOL)
    except ObjectNotFound:
        await client.create_work_queue(name, concurrency_limit=limit, priority=priority, work_pool_name=POOL)
        return f"work queue {POOL}/{name}: created, {limit} at once"
    await client.update_work_queue(queue.id, concurrency_limit=limit, priority=priority)
    return f"work queue {POOL}/{name}: {limit} at once"


def worker_environment(settings: Settings) -> dict[str, str]:
    """What every run of the pool gets in its environment, whatever its worker's has."""
    return {
        "SIGNOFF_ORCHESTRATION": "deployments",
        "PREFECT_FLOWS_HEARTBEAT_FREQUENCY": str(settings.run_heartbeat_seconds),
    }


def deployments(settings: Settings) -> list[tuple[RunnerDeployment, str]]:
    """Each deployment with a word on when it runs."""
    env = worker_environment(settings)
    one_at_a_time = ConcurrencyLimitConfig(limit=1, collision_strategy=ConcurrencyLimitStrategy.CANCEL_NEW)
    watch, reconcile = settings.watch_interval_seconds, settings.reconcile_interval_seconds
    return [
        (_deployment(worker_flows.advance_signoff, STEPS_QUEUE, env), "started by each recorded change"),
        (
            _deployment(worker_flows.deliver_notifications, MAIL_QUEUE, env),
            "started by each step that queues mail",
        ),
        (
            _deployment(
                worker_flows.watch_stalls, STEPS_QUEUE, env, interval=watch, concurrency_limit=one_at_a_time
            ),
            f"every {watch:g} s",
        ),
        (
            _deployment(
                worker_flows.reconcile_owed_work,
                STEPS_QUEUE,
                env,
                interval=reconcile,
                concurrency_limit=one_at_a_time,
            ),
            f"every {reconcile:g} s",
        ),
    ]


def _deployment(flow: Any, queue: str, env: dict[str, str], **options: Any) -> RunnerDeployment:
    return RunnerDeployment.from_flow(
        flow,
        DEPLOYMENT,
        work_pool_name=POOL,
        work_queue_name=queue,
        entrypoint_type=EntrypointType.MODULE_PATH,
        job_variables={"env": env},
        tags=[DEPLOYMENT_TAG],
        **options,
    )
