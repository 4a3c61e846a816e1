"""Figures of the running product: the core's cost per decision, and decision-to-email latency
under ``signoff serve`` (slow: it starts the server, so it runs only when named: ``signoff bench S1``)."""

from __future__ import annotations

import secrets
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from governance.adapters.mail.sink import MailSink, StoredMail, read_mailbox
from governance.adapters.prefect_server import free_port
from governance.benchmarks.figures import Figure, benchmark
from governance.entrypoints.demo import DEMO_ROUTE

REVIEWERS = ["chair@vcse.example.org", "coordinator@vcse.example.org"]
NEXT_STAGE = {"legal@icb.example.nhs.uk", "cfo@icb.example.nhs.uk"}
SIGNOFF = str(Path(sys.executable).with_name("signoff"))


@benchmark("D1")
def decide_and_advance() -> Figure:
    """Median time to record a decision that closes a stage and open the next (SQLite, no Prefect)."""
    from sqlalchemy import select

    from governance.adapters.database.database import Database
    from governance.adapters.database.tables import outbox
    from governance.adapters.route_files import parse_route
    from governance.domain.rules import Verdict
    from governance.services.signoffs import NewSignOff, advance_signoff, decide_by_token, start_signoff
    from governance.services.tokens import token_from_nonce
    from governance.settings import Settings

    timings = []
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(data_dir=Path(folder), secret_key=secrets.token_hex(16))
        settings.data_dir.mkdir(exist_ok=True)
        db = Database(settings.sqlalchemy_url)
        db.migrate()
        document = Path(folder) / "agreement.txt"
        document.write_text("agreement")
        text = DEMO_ROUTE.read_text()
        now = datetime(2026, 12, 1, 10, tzinfo=UTC)
        for _ in range(30):
            request = NewSignOff(
                parse_route(text, path="demo"), text, "Bench", document, "lead@example.org", None
            )
            signoff_id = start_signoff(db, settings, request, now=now)
            advance_signoff(db, settings, signoff_id, now=now)
            with db.transaction() as connection:
                nonces = (
                    connection.execute(select(outbox.c.token_nonce).where(outbox.c.signoff_id == signoff_id))
                    .scalars()
                    .all()
                )
            tokens = [token_from_nonce(n, settings.signing_key()) for n in nonces if n]
            decide_by_token(db, tokens[0], verdict=Verdict.APPROVE, comment="", now=now, settings=settings)
            began = time.perf_counter()
            decide_by_token(
                db,
                tokens[1],
                verdict=Verdict.APPROVE,
                comment="",
                now=now + timedelta(minutes=1),
                settings=settings,
            )
            advance_signoff(db, settings, signoff_id, now=now + timedelta(minutes=1))
            timings.append((time.perf_counter() - began) * 1000)
        db.dispose()
    description = "record the decision that closes a stage, then open the next two (SQLite, services only)"
    return {
        "value": statistics.median(timings),
        "unit": "ms",
        "target": "< 50 ms",
        "description": description,
    }


@benchmark("S1", slow=True)
def decision_to_next_stage_email() -> Figure:
    """Seconds from a reviewer's click to the next stage's invitations arriving, under signoff serve."""
    with tempfile.TemporaryDirectory() as folder:
        sink = MailSink(Path(folder) / "mail")
        smtp_port = sink.start()
        port = free_port()
        with _serving(Path(folder), smtp_port=smtp_port, port=port) as run, _stopping(sink):
            mailbox = Path(folder) / "mail"
            document = Path(folder) / "agreement.txt"
            document.write_text("agreement")
            run(
                "start",
                str(DEMO_ROUTE),
                "--title",
                "Bench agreement",
                "--document",
                str(document),
                "--lead",
                "lead@icb.example.nhs.uk",
                "--target",
                date(2027, 3, 31).isoformat(),
            )
            links = [_wait_for_link(mailbox, reviewer) for reviewer in REVIEWERS]
            _post(links[0], "approve")
            began = time.monotonic()
            _post(links[1], "approve")
            _wait(lambda: {to for mail in read_mailbox(mailbox) for to in mail.to} >= NEXT_STAGE)
            seconds = time.monotonic() - began
    description = "click Approve on the last awaited decision -> next stage's invitations delivered (serve)"
    return {"value": seconds, "unit": "s", "target": "< 5 s", "description": description}


@contextmanager
def _serving(folder: Path, *, smtp_port: int, port: int) -> Iterator[Callable[..., str]]:
    import os

    env = os.environ | {
        "SIGNOFF_DATA_DIR": str(folder / "data"),
        "SIGNOFF_SMTP_HOST": "127.0.0.1",
        "SIGNOFF_SMTP_PORT": str(smtp_port),
        "SIGNOFF_BASE_URL": f"http://127.0.0.1:{port}",
    }
    server = subprocess.Popen(
        [SIGNOFF, "serve", "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )

    def run(*args: str) -> str:
        done = subprocess.run(
            [SIGNOFF, *args], env=env, capture_output=True, text=True, check=True, timeout=120
        )
        return done.stdout

    try:
        _wait(lambda: _answers(f"http://127.0.0.1:{port}/healthz"), timeout=120)
        yield run
    finally:
        server.terminate()
        server.wait(timeout=30)


@contextmanager
def _stopping(sink: MailSink) -> Iterator[None]:
    try:
        yield
    finally:
        sink.stop()


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as response:  # noqa: S310 - loopback URL
            return bool(response.status == 200)
    except OSError:
        return False


def _wait(check: Callable[[], bool], *, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            msg = f"gave up after {timeout:.0f} s"
            raise TimeoutError(msg)
        time.sleep(0.02)


def _wait_for_link(mailbox: Path, reviewer: str) -> str:
    def invitations() -> list[StoredMail]:
        return [m for m in read_mailbox(mailbox) if reviewer in m.to and any("/a/" in x for x in m.links)]

    _wait(lambda: bool(invitations()))
    return next(link for link in invitations()[0].links if "/a/" in link and not link.endswith("/document"))


def _post(link: str, decision: str) -> None:
    body = urllib.parse.urlencode({"decision": decision, "comment": ""}).encode()
    with urllib.request.urlopen(link, data=body, timeout=30) as response:  # noqa: S310 - loopback URL
        response.read()
