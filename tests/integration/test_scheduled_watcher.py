"""The watcher's deployment is scheduled, served from a background thread, and its runs complete."""

from __future__ import annotations

import time
from contextlib import ExitStack
from pathlib import Path

import pytest

from governance.adapters.database.database import Database
from governance.entrypoints.composition.flow_runtime import child_process_environment
from governance.settings import Settings

pytestmark = pytest.mark.slow


def test_the_watcher_deployment_runs_on_its_schedule_from_a_background_thread(
    prefect_api: str, settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in child_process_environment(settings).items():
        monkeypatch.setenv(name, value)  # what serve tells the runs' subprocesses; restored after the test
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    db = Database(settings.sqlalchemy_url)
    db.migrate()
    from prefect.client.orchestration import get_client
    from prefect.deployments import run_deployment

    from flows.schedules import DEPLOYMENT, start_scheduled_jobs
    from governance.entrypoints.worker_flows import watch_stalls

    with ExitStack() as stack:
        jobs = start_scheduled_jobs(stack, watch_stalls, interval_seconds=600, poll_seconds=1)
        started = time.monotonic()
        run = run_deployment(f"watch-stalls/{DEPLOYMENT}", timeout=90)
        took = time.monotonic() - started
        with get_client(sync_client=True) as client:
            deployment = client.read_deployment(jobs.deployment_id)
    print(f"watcher run: {took:.1f} s from request to completed, {run.total_run_time} running")
    assert run.state is not None
    assert run.state.is_completed(), run.state
    assert run.name.startswith("reminders · ")
    assert deployment.schedules[0].schedule.interval.total_seconds() == 600  # type: ignore[union-attr]
