"""Scheduled jobs under ``signoff serve``: a Prefect deployment with a schedule, served in-process.

``prefect.serve()`` blocks and installs signal handlers, so it cannot share the process with the
web app. A ``Runner`` started in its own thread and event loop does the same work without either
(it installs a SIGTERM handler only on the main thread). Each scheduled run executes in a
subprocess the runner spawns with this process's environment: the flow it runs is the one the
caller hands over (``governance.entrypoints.worker_flows``), which builds its runtime from that
environment. The child only queues; the dispatcher here sends within a second.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from contextlib import ExitStack
from typing import Any

from governance.domain.london_time import utc_now

log = logging.getLogger("signoff.schedules")
DEPLOYMENT = "every-few-minutes"
STOP_TIMEOUT_SECONDS = 30.0


def start_scheduled_jobs(
    stack: ExitStack, watcher: Any, *, interval_seconds: float, poll_seconds: float | None = None
) -> ScheduledJobs:
    """Serve ``watcher`` (the watch-stalls flow) as a scheduled deployment until ``stack`` closes."""
    jobs = ScheduledJobs(watcher, interval_seconds, poll_seconds=poll_seconds)
    jobs.start()
    stack.callback(jobs.stop)
    return jobs


class ScheduledJobs:
    """A Prefect Runner serving the ``watch-stalls`` deployment, on a thread with its own loop."""

    def __init__(self, watcher: Any, interval_seconds: float, *, poll_seconds: float | None = None) -> None:
        self.watcher = watcher
        self.interval_seconds = interval_seconds
        self.poll_seconds = poll_seconds  # None: Prefect's runner default (10 s)
        self.ready = threading.Event()
        self.deployment_id: Any = None
        self.error: BaseException | None = None
        self._runner: Any = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread = threading.Thread(target=self._run, name="signoff-scheduled-jobs", daemon=True)

    def start(self, *, timeout: float = 60.0) -> None:
        """Register the deployment and start polling for its runs; raises if that fails."""
        self._thread.start()
        if not self.ready.wait(timeout):
            msg = f"the scheduled jobs did not start within {timeout:.0f} s"
            raise RuntimeError(msg)
        if self.error is not None:
            msg = f"the scheduled jobs could not start: {self.error}"
            raise RuntimeError(msg) from self.error

    def stop(self) -> None:
        """Stop polling, cancel a run in flight, and wait for the thread."""
        runner, loop = self._runner, self._loop
        if runner is not None and loop is not None and runner.started and not loop.is_closed():
            try:
                asyncio.run_coroutine_threadsafe(runner.astop(), loop).result(STOP_TIMEOUT_SECONDS)
            except Exception:
                log.exception("stopping the scheduled jobs failed")
        self._thread.join(STOP_TIMEOUT_SECONDS)

    def _run(self) -> None:
        self._loop = asyncio.new_event_loop()
        try:
            self._loop.run_until_complete(self._serve())
        except BaseException as error:  # reported to start(); the thread must not die silently
            self.error = error
            log.exception("the scheduled jobs stopped")
        finally:
            self.ready.set()
            self._loop.close()

    async def _serve(self) -> None:
        from prefect.runner import Runner

        self._runner = Runner(
            name="signoff-scheduled-jobs", query_seconds=self.poll_seconds, pause_on_shutdown=False
        )
        self.deployment_id = await self._runner.aadd_flow(
            self.watcher, name=DEPLOYMENT, interval=self.interval_seconds
        )
        await drop_missed_runs(self.deployment_id)
        self.ready.set()
        await self._runner.start(webserver=False)


async def drop_missed_runs(deployment_id: Any) -> int:
    """Delete runs missed while nothing served them, all but the latest: one run catches up on
    everything (the job is idempotent), where a burst of one run per missed interval would not."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import (
        FlowRunFilter,
        FlowRunFilterDeploymentId,
        FlowRunFilterExpectedStartTime,
        FlowRunFilterState,
        FlowRunFilterStateType,
    )
    from prefect.client.schemas.objects import StateType
    from prefect.client.schemas.sorting import FlowRunSort

    missed = FlowRunFilter(
        deployment_id=FlowRunFilterDeploymentId(any_=[deployment_id]),
        state=FlowRunFilterState(type=FlowRunFilterStateType(any_=[StateType.SCHEDULED])),
        expected_start_time=FlowRunFilterExpectedStartTime(before_=utc_now()),
    )
    async with get_client() as client:
        runs = await client.read_flow_runs(flow_run_filter=missed, sort=FlowRunSort.EXPECTED_START_TIME_DESC)
        for run in runs[1:]:
            await client.delete_flow_run(run.id)
    return max(len(runs) - 1, 0)
