"""The product scaled out as docs/deploy.md sets it up, on loopback: a Prefect server on PostgreSQL,
``signoff db upgrade`` and ``signoff deploy``, two Prefect workers and two ``signoff web``
processes; a sign-off through emailed links posted to both, with one worker killed mid-send."""

from __future__ import annotations

import json
import os
import secrets
import signal
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from flows.launch import DELIVER
from tests.conftest import POSTGRES_URL_VARIABLE
from tests.e2e.scale_out_harness import (
    PYTHON,
    ROUTES,
    Fleet,
    Postgres,
    PrefectView,
    start_prefect_server,
    start_web,
    worker_running,
)
from tests.e2e.serve_harness import HoldingHandler, action_links, decide, wait_for
from tests.integration.smtp_server import RunningServer, scripted_server

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

ALLIANCE = ["chair@vcse.example.org", "coordinator@vcse.example.org"]
LEGAL, CFO, LEAD = "legal@icb.example.nhs.uk", "cfo@icb.example.nhs.uk", "lead@icb.example.nhs.uk"
PUBLIC_URL = "https://signoff.proxy.test"  # what a reverse proxy would answer on: links are rewritten
HEARTBEAT_SECONDS = 30  # Prefect's least
RUN_CRASHED_WITHIN = 3 * HEARTBEAT_SECONDS + 120  # three missed heartbeats, then a reconciler pass or two


@dataclass
class PeerHoldingHandler(HoldingHandler):
    """Holds mail to chosen recipients, and remembers the client address of each held session."""

    peers: list[tuple[str, int]] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.hold & set(envelope.rcpt_tos):
            self.peers.append(session.peer)
        return await super().handle_DATA(server, session, envelope)


@dataclass
class ScaledOut:
    fleet: Fleet
    postgres: Postgres
    prefect: PrefectView
    webs: list[str]


@pytest.fixture
def smtp() -> Iterator[RunningServer]:
    with scripted_server(PeerHoldingHandler()) as server:
        yield server


def settings_for_every_process(tmp_path: Path, postgres: Postgres, smtp: RunningServer) -> dict[str, str]:
    return {
        "SIGNOFF_ORCHESTRATION": "deployments",
        "SIGNOFF_DATABASE_URL": postgres.product_url,
        "SIGNOFF_DATA_DIR": str(tmp_path / "data"),
        "SIGNOFF_SECRET_KEY": secrets.token_urlsafe(32),
        "SIGNOFF_BASE_URL": PUBLIC_URL,
        "SIGNOFF_ROUTES_DIR": str(ROUTES),
        "SIGNOFF_SMTP_HOST": "127.0.0.1",
        "SIGNOFF_SMTP_PORT": str(smtp.port),
        "SIGNOFF_SMTP_TIMEOUT_SECONDS": "60",
        "SIGNOFF_MAIL_FROM": "signoff@icb.example.nhs.uk",
        "SIGNOFF_MAIL_LEASE_SECONDS": "5",  # a killed sender's email is taken over this soon
        "SIGNOFF_MAIL_RETRY_SECONDS": "1",
        "SIGNOFF_RECONCILE_INTERVAL_SECONDS": "10",
        "SIGNOFF_RUN_HEARTBEAT_SECONDS": str(HEARTBEAT_SECONDS),
        "SIGNOFF_WATCH_INTERVAL_SECONDS": "3600",
        "PREFECT_HOME": str(tmp_path / "prefect-home"),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_UI_ENABLED": "false",
        "PREFECT_WORKER_QUERY_SECONDS": "1",
    }


@pytest.fixture
def scaled(tmp_path: Path, smtp: RunningServer) -> Iterator[ScaledOut]:
    base_url = os.environ.get(POSTGRES_URL_VARIABLE)
    if not base_url:
        pytest.skip(f"{POSTGRES_URL_VARIABLE} is not set: no PostgreSQL server named for these tests")
    postgres = Postgres(base_url)
    with ExitStack() as stack:
        postgres.create(stack)
        fleet = Fleet(tmp_path, settings_for_every_process(tmp_path, postgres, smtp))
        stack.callback(fleet.stop_all)
        prefect_healthy = start_prefect_server(fleet, postgres.prefect_url)
        upgraded = fleet.cli("db", "upgrade")  # the product's schema, while the Prefect server starts
        assert upgraded.returncode == 0, upgraded.stderr
        prefect_healthy()
        deployed = fleet.cli("deploy", "--limit", "4", "--mail-limit", "2")
        assert deployed.returncode == 0, deployed.stderr
        for name in ("worker-1", "worker-2"):
            fleet.start(
                name, [PYTHON, "-m", "prefect", "worker", "start", "--pool", "signoff", "--name", name]
            )
        webs = [answering() for answering in [start_web(fleet, "web-1"), start_web(fleet, "web-2")]]
        yield ScaledOut(fleet, postgres, PrefectView(fleet.environment["PREFECT_API_URL"]), webs)


def link_to(smtp: RunningServer, reviewer: str, *, timeout: float = 90) -> str:
    return wait_for(
        lambda: action_links(smtp.handler.received, reviewer), timeout=timeout, what=f"mail to {reviewer}"
    )[-1]


def through(web: str, link: str) -> str:
    """The emailed link as the proxy would forward it to one web process."""
    return web + urlsplit(link).path


def start_signoff(scaled: ScaledOut, tmp_path: Path) -> str:
    document = tmp_path / "agreement.pdf"
    document.write_bytes(b"%PDF-1.4 VCSE partnership agreement")
    started = scaled.fleet.cli(
        "start", "scale-out-route", "--title", "VCSE partnership agreement", "--document", str(document),
        "--lead", LEAD, "--json",
    )  # fmt: skip
    assert started.returncode == 0, started.stderr
    assert json.loads(started.stdout)["opened_by"] == "workers"
    return str(json.loads(started.stdout)["id"])


def process_on_port(port: int) -> int:
    """The process holding the loopback TCP socket whose local port is ``port``."""
    inodes = {
        fields[9]
        for line in Path("/proc/net/tcp").read_text().splitlines()[1:]
        if int((fields := line.split())[1].split(":")[1], 16) == port
    }
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                if any(
                    str(fd.readlink()).removeprefix("socket:[").rstrip("]") in inodes
                    for fd in (proc / "fd").iterdir()
                ):
                    return int(proc.name)
            except OSError:
                continue
    msg = f"no process holds local port {port}"
    raise AssertionError(msg)


def kill_the_worker_sending(scaled: ScaledOut, handler: PeerHoldingHandler) -> str:
    """SIGKILL the worker (and its flow run's process) whose run is in the middle of sending."""
    wait_for(lambda: handler.peers, timeout=90, what="an email to be held at the SMTP server")
    sender = process_on_port(handler.peers[0][1])
    victim = worker_running(scaled.fleet, sender)
    os.killpg(scaled.fleet.processes[victim].pid, signal.SIGKILL)
    os.kill(sender, signal.SIGKILL)
    scaled.fleet.processes.pop(victim).wait(timeout=10)
    return victim


def everything_sent(scaled: ScaledOut, smtp: RunningServer) -> bool:
    """Every email queued is sent, and every step run has ended (the killed worker's as Crashed)."""
    queued = scaled.postgres.outbox()
    return (
        all(state == "sent" for _, _, state in queued)
        and len(smtp.handler.received) >= len(queued)
        and not scaled.prefect.unfinished_steps()
    )


def test_a_signoff_completes_on_two_workers_and_two_web_processes_with_a_worker_killed(
    scaled, smtp, tmp_path
):
    began = time.monotonic()
    handler = smtp.handler
    assert isinstance(handler, PeerHoldingHandler)
    signoff_id = start_signoff(scaled, tmp_path)
    first = [link_to(smtp, reviewer) for reviewer in ALLIANCE]
    assert first[0].startswith(PUBLIC_URL)
    handler.hold = {LEGAL}
    for web, link in zip(scaled.webs, first, strict=True):
        assert decide(through(web, link), "approve", "Agreed").status_code == 200
    victim = kill_the_worker_sending(scaled, handler)
    handler.hold = set()
    # Sent by the other worker once the killed sender's lease ran out; if the killed worker's runs
    # filled the mail queue, once the automation has marked them Crashed for missing heartbeats.
    legal = link_to(smtp, LEGAL, timeout=RUN_CRASHED_WITHIN)
    decided = time.monotonic()
    assert decide(through(scaled.webs[0], legal), "approve").status_code == 200
    cfo = link_to(smtp, CFO)
    latency = time.monotonic() - decided
    assert decide(through(scaled.webs[1], cfo), "approve").status_code == 200
    status = lambda: json.loads(scaled.fleet.cli("status", signoff_id, "--json").stdout)  # noqa: E731
    wait_for(lambda: status()["state"] == "approved", timeout=90, what="the sign-off to be approved")
    wait_for(lambda: everything_sent(scaled, smtp), timeout=RUN_CRASHED_WITHIN, what="every email sent")
    crashed = [run["state"]["message"] for run in scaled.prefect.runs(DELIVER, "CRASHED")]
    assert any("No heartbeat" in message for message in crashed), crashed
    received = [(m["To"], m["Message-ID"]) for m in handler.received]
    assert Counter(received).most_common(1)[0][1] == 1, "an email was delivered twice"
    assert sorted(received) == sorted((to, message_id) for to, message_id, _ in scaled.postgres.outbox())
    assert Counter(to for to, _ in received) == Counter(
        {**dict.fromkeys([*ALLIANCE, LEGAL, CFO], 3), LEAD: 3}
    )
    assert [s["state"] for s in status()["stages"]] == ["approved"] * 3
    nested = {
        node["label"].split(" / ")[0]
        for node in scaled.prefect.story_graph(signoff_id)
        if node["kind"] == "flow-run" and node["encapsulating"]
    }
    assert nested == {"advance-signoff", "send-notifications"}, "steps are drawn inside their stages"
    print(f"\nkilled {victim}; decision -> next invitation through a worker {latency:.1f} s; "
          f"whole test {time.monotonic() - began:.0f} s")  # fmt: skip
