"""Scaled out (``SIGNOFF_ORCHESTRATION=deployments``): the product's steps are runs of its Prefect
deployments, which ``prefect worker start --pool signoff`` processes run; this process only asks
for them.

A web process asks after each recorded change (``on_change``): the request sets an event, and one
thread of its own turns what the database says is owed into deployment runs, so a request never
waits for Prefect and a burst of decisions makes one pass. It does not poll: between changes it
sleeps, and the scheduled reconciler deployment starts whatever a crash left behind.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
from contextlib import ExitStack

from governance.adapters.database.database import Database
from governance.adapters.prefect_server import healthy, use_prefect_home
from governance.settings import Settings

log = logging.getLogger("signoff.orchestration")
STOP_TIMEOUT_SECONDS = 30.0


def require_prefect_api(settings: Settings) -> str:
    """The Prefect API that PREFECT_API_URL names, once it answers; raises RuntimeError otherwise."""
    use_prefect_home(settings.data_dir)
    api = os.environ.get("PREFECT_API_URL", "").rstrip("/")
    if not api:
        msg = (
            "PREFECT_API_URL is not set: name the shared Prefect server's API, "
            "for example PREFECT_API_URL=http://prefect.internal:4200/api"
        )
        raise RuntimeError(msg)
    if not healthy(api):
        msg = f"the Prefect server at PREFECT_API_URL={api} does not answer ({api}/health)"
        raise RuntimeError(msg)
    return api


def deploy(settings: Settings, *, steps: int, mail: int) -> list[str]:
    """Register the work pool, its queues and the deployments on the Prefect server; a line each."""
    require_prefect_api(settings)
    from governance.entrypoints.deployments import Limits, register

    return asyncio.run(register(settings, Limits(steps=steps, mail=mail)))


def launch_owed_steps(settings: Settings, db: Database) -> int:
    """Ask Prefect now for every owed step (after a command such as ``signoff start``)."""
    require_prefect_api(settings)
    from flows.launch import launch_owed_work

    return asyncio.run(launch_owed_work(db))


def start_launcher(settings: Settings, db: Database, stack: ExitStack) -> StepLauncher:
    """The launcher of a web process, stopped when ``stack`` closes."""
    require_prefect_api(settings)
    launcher = StepLauncher(db)
    launcher.start()
    stack.callback(launcher.stop)
    return launcher


class StepLauncher:
    """A thread that, each time it is nudged, creates the deployment runs of the owed steps."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.wake = threading.Event()
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._run, name="signoff-step-launcher", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def nudge(self) -> None:
        """A change was recorded: make a pass soon (passes asked for while one runs become one)."""
        self.wake.set()

    def stop(self) -> None:
        self.stopping.set()
        self.wake.set()
        self.thread.join(STOP_TIMEOUT_SECONDS)

    def _run(self) -> None:
        from flows.launch import launch_owed_work

        loop = asyncio.new_event_loop()
        try:
            while True:
                self.wake.wait()
                self.wake.clear()
                if self.stopping.is_set():
                    return
                try:
                    loop.run_until_complete(launch_owed_work(self.db))
                except Exception:
                    log.exception("asking Prefect for the owed steps failed; the reconciler starts them")
        finally:
            loop.close()
