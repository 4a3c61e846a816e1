"""Drives the scaled-out product on loopback: a Prefect server on PostgreSQL, Prefect workers and
``signoff web`` processes, each a real process started as docs/deploy.md says (a plain module)."""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from governance.adapters.mail.sink import free_port
from tests.conftest import postgres_schema_url
from tests.e2e.serve_harness import ROOT, SIGNOFF, wait_for

PYTHON = sys.executable
ROUTES = ROOT / "tests" / "fixtures" / "scale-out"
STEP_DEPLOYMENTS = ("advance-signoff/workers", "send-notifications/workers")


@dataclass
class Postgres:
    """A schema for the product and a database for the Prefect server, dropped afterwards."""

    base_url: str
    name: str = field(default_factory=lambda: f"scaleout_{secrets.token_hex(4)}")

    @property
    def product_url(self) -> str:
        return postgres_schema_url(self.base_url, self.name)

    @property
    def prefect_url(self) -> str:
        url = make_url(self.base_url).set(drivername="postgresql+asyncpg", database=f"prefect_{self.name}")
        return url.render_as_string(hide_password=False)

    def create(self, stack: ExitStack) -> None:
        admin = create_engine(self.base_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f"CREATE SCHEMA {self.name}"))
            connection.execute(text(f"CREATE DATABASE prefect_{self.name}"))
        stack.callback(self._drop, admin)

    def _drop(self, admin: Any) -> None:
        with admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS prefect_{self.name} WITH (FORCE)"))
            connection.execute(text(f"DROP SCHEMA IF EXISTS {self.name} CASCADE"))
        admin.dispose()

    def outbox(self) -> list[tuple[str, str, str]]:
        """(recipient, Message-ID, state) of every email the product queued."""
        engine = create_engine(self.product_url)
        try:
            with engine.connect() as connection:
                query = text("SELECT recipient, message_id, state FROM outbox WHERE channel = 'email'")
                return [tuple(row) for row in connection.execute(query)]
        finally:
            engine.dispose()


@dataclass
class Fleet:
    """The processes of one scaled-out product, all with the same settings."""

    folder: Path
    environment: dict[str, str]
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    def env(self) -> dict[str, str]:
        return os.environ | self.environment

    def start(self, name: str, command: list[str]) -> subprocess.Popen[bytes]:
        """A long-running process in a session of its own, logging to ``name``.log."""
        with (self.folder / f"{name}.log").open("ab") as log:
            process = subprocess.Popen(
                command, env=self.env(), stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        self.processes[name] = process
        return process

    def log(self, name: str) -> str:
        return (self.folder / f"{name}.log").read_text(errors="replace")

    def alive(self, name: str) -> bool:
        process = self.processes[name]
        if process.poll() is not None:
            msg = f"{name} exited with {process.returncode}:\n{self.log(name)[-3000:]}"
            raise AssertionError(msg)
        return True

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [SIGNOFF, *args], env=self.env(), capture_output=True, text=True, timeout=120, check=False
        )

    def stop_all(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)


def start_prefect_server(fleet: Fleet, database_url: str) -> Callable[[], str]:
    """Start ``prefect server start`` on its own PostgreSQL database; the function returned waits
    until it is healthy and returns its API URL (start other things in between)."""
    port = free_port()
    api = f"http://127.0.0.1:{port}/api"
    fleet.environment |= {"PREFECT_API_DATABASE_CONNECTION_URL": database_url, "PREFECT_UI_API_URL": api}
    command = [PYTHON, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)]
    fleet.start("prefect-server", command)

    def healthy() -> str:
        wait_for(
            lambda: fleet.alive("prefect-server") and answers(f"{api}/health"), timeout=90, what="Prefect"
        )
        fleet.environment["PREFECT_API_URL"] = api
        return api

    return healthy


def start_web(fleet: Fleet, name: str) -> Callable[[], str]:
    """Start ``signoff web`` on a port of its own; the function returned waits until it answers
    and returns its address."""
    port = free_port()
    fleet.start(name, [SIGNOFF, "web", "--port", str(port)])
    url = f"http://127.0.0.1:{port}"

    def answering() -> str:
        wait_for(
            lambda: fleet.alive(name) and answers(f"{url}/healthz"), timeout=60, what=f"{name} to answer"
        )
        return url

    return answering


def answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


class PrefectView:
    """The Prefect server's REST API, as the Prefect UI reads it."""

    def __init__(self, api: str) -> None:
        self.api = api
        self.ids = {
            name: httpx.get(f"{api}/deployments/name/{name}").json()["id"] for name in STEP_DEPLOYMENTS
        }

    def runs(self, deployment: str, *states: str) -> list[dict[str, Any]]:
        body = {
            "flow_runs": {
                "deployment_id": {"any_": [self.ids[deployment]]},
                "state": {"type": {"any_": list(states)}},
            }
        }
        response = httpx.post(f"{self.api}/flow_runs/filter", json=body, timeout=10)
        response.raise_for_status()
        found: list[dict[str, Any]] = response.json()
        return found

    def story_graph(self, signoff_id: str) -> list[dict[str, Any]]:
        """The nodes of the run graph of the sign-off's story flow run, as the UI draws it."""
        body = {
            "flows": {"name": {"any_": ["sign-off"]}},
            "flow_runs": {"tags": {"all_": [f"signoff:{signoff_id}"]}},
        }
        [story] = httpx.post(f"{self.api}/flow_runs/filter", json=body, timeout=10).json()
        graph = httpx.get(f"{self.api}/flow_runs/{story['id']}/graph-v2", timeout=10).json()
        return [node for _, node in graph["nodes"]]

    def unfinished_steps(self) -> list[str]:
        """Names of step runs scheduled, pending or running."""
        states = ("SCHEDULED", "PENDING", "RUNNING")
        return [run["name"] for deployment in STEP_DEPLOYMENTS for run in self.runs(deployment, *states)]


def parent_pid(pid: int) -> int:
    stat = Path(f"/proc/{pid}/stat").read_text()
    return int(stat.rsplit(")", 1)[1].split()[1])


def worker_running(fleet: Fleet, pid: int) -> str:
    """The name of the worker whose flow-run process ``pid`` is (a child of it, or further down)."""
    workers = {process.pid: name for name, process in fleet.processes.items() if name.startswith("worker")}
    while pid > 1:
        if pid in workers:
            return workers[pid]
        pid = parent_pid(pid)
    msg = "the flow run's process is not under any worker"
    raise AssertionError(msg)
