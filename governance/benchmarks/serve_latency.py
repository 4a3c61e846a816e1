"""S1 (run when named: it starts ``signoff serve``): seconds from a reviewer's click to the next
stage's invitations arriving. Kept from before P1..P6; P3 measures this against a bare flow."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from governance.adapters.mail.sink import MailSink, StoredMail, read_mailbox
from governance.adapters.prefect_server import free_port
from governance.benchmarks.loopback import answers, post_decision, wait_until
from governance.entrypoints.demo import DEMO_ROUTE

REVIEWERS = ["chair@vcse.example.org", "coordinator@vcse.example.org"]
NEXT_STAGE = {"legal@icb.example.nhs.uk", "cfo@icb.example.nhs.uk"}
SIGNOFF = str(Path(sys.executable).with_name("signoff"))


def measure() -> dict[str, object]:
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
            post_decision(links[0], "approve")
            began = time.monotonic()
            post_decision(links[1], "approve")
            wait_until(lambda: {to for mail in read_mailbox(mailbox) for to in mail.to} >= NEXT_STAGE)
            seconds = time.monotonic() - began
    description = "click Approve on the last awaited decision -> next stage's invitations delivered (serve)"
    return {"value": seconds, "unit": "s", "target": "< 5 s", "description": description}


@contextmanager
def _serving(folder: Path, *, smtp_port: int, port: int) -> Iterator[Callable[..., str]]:
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
        wait_until(lambda: answers(f"http://127.0.0.1:{port}/healthz"), timeout=120)
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


def _wait_for_link(mailbox: Path, reviewer: str) -> str:
    def invitations() -> list[StoredMail]:
        return [m for m in read_mailbox(mailbox) if reviewer in m.to and any("/a/" in x for x in m.links)]

    wait_until(lambda: bool(invitations()))
    return next(link for link in invitations()[0].links if "/a/" in link and not link.endswith("/document"))
