"""The flows as a process of their own runs them: a Prefect worker, or the subprocess in which
``signoff serve``'s scheduled jobs run each watcher run.

Such a process has no ``signoff serve`` around it to say what the flow works on, so each flow here
builds its runtime from the environment first (``runtime_from_environment``), binds it for the run,
then runs the steps of the flow it stands for. Same names, same run names: the Prefect UI shows no
difference. ``signoff deploy`` registers them as the deployments Prefect workers run (module-path
entrypoints such as ``governance.entrypoints.worker_flows.watch_stalls``: any machine with the
package installed can run them, with no code to download).
"""

from __future__ import annotations

from typing import Any

from prefect import flow

from flows import launch, signoff, watch
from flows.runtime import running
from governance.entrypoints.composition.flow_runtime import runtime_from_environment


@flow(name=watch.watch_stalls.name, flow_run_name=watch.run_name, log_prints=True)
async def watch_stalls() -> dict[str, Any]:
    """Queue the reminders and escalations owed now, and re-check RAG; on workers, start the runs
    that send them (under ``signoff serve``, its dispatcher sends)."""
    with runtime_from_environment() as runtime, running(runtime):
        found = await watch.watch_stalls.fn()
        if runtime.settings.runs_on_workers:
            within = runtime.settings.reconcile_interval_seconds
            found["launched"] = await launch.launch_owed_work(runtime.db, in_flight_within=within)
        return found


@flow(name=launch.reconcile_owed_work.name, flow_run_name=launch.reconcile_run_name)
async def reconcile_owed_work() -> int:
    """Start a run for every owed step nothing in Prefect is about to do (what a crash left behind)."""
    with runtime_from_environment() as runtime, running(runtime):
        return await launch.reconcile_owed_work.fn()


@flow(name=signoff.advance_signoff_flow.name, flow_run_name="{document} · {step}", log_prints=True)
async def advance_signoff(signoff_id: str, document: str = "", step: str = "advance") -> list[str]:
    """Act on a sign-off's recorded changes, then send the emails they queued."""
    with runtime_from_environment() as runtime, running(runtime):
        return await signoff.advance_signoff_flow.fn(signoff_id, document, step)


@flow(name=signoff.deliver_notifications_flow.name, flow_run_name="{document} · send email")
async def deliver_notifications(signoff_id: str | None, document: str = "") -> dict[str, list[int]]:
    """Send what the outbox holds for one sign-off (retries and leftovers after a restart)."""
    with runtime_from_environment() as runtime, running(runtime):
        return await signoff.deliver_notifications_flow.fn(signoff_id, document)
