"""Drives ``signoff serve`` and the ``signoff`` command as a user would (a plain module, not fixtures)."""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from email.message import EmailMessage
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from governance.adapters.mail.sink import free_port
from tests.integration.smtp_server import ScriptedHandler

ROOT = Path(__file__).resolve().parents[2]
SIGNOFF = str(Path(sys.executable).with_name("signoff"))
OFFICER = "officer@icb.example.nhs.uk"
OFFICER_PASSWORD = "a long enough test password"
LINK = re.compile(r"https?://[^\s<>\"]+/a/[A-Za-z0-9_-]{43}")


LONDON = ZoneInfo("Europe/London")


@dataclass
class HoldingHandler(ScriptedHandler):
    """Records mail like ScriptedHandler, but holds (never accepts) mail to chosen recipients."""

    hold: set[str] = field(default_factory=set)
    held: list[str] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.hold & set(envelope.rcpt_tos):
            self.held.extend(envelope.rcpt_tos)
            while self.hold & set(envelope.rcpt_tos):
                await asyncio.sleep(0.05)
            return "451 4.3.0 held by the test; try again"
        return await super().handle_DATA(server, session, envelope)


def wait_for(check: Callable[[], Any], *, timeout: float = 30, what: str = "condition") -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.1)
    msg = f"timed out after {timeout}s waiting for {what}"
    raise AssertionError(msg)


@dataclass
class Product:
    """One data directory, and the ``signoff serve`` process that may be running over it."""

    data_dir: Path
    smtp_port: int
    prefect_api: str
    extra_env: dict[str, str] = field(default_factory=dict)
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def env(self) -> dict[str, str]:
        return (
            os.environ
            | {
                "SIGNOFF_DATA_DIR": str(self.data_dir),
                "SIGNOFF_SMTP_HOST": "127.0.0.1",
                "SIGNOFF_SMTP_PORT": str(self.smtp_port),
                "SIGNOFF_SMTP_TIMEOUT_SECONDS": "2",
                "SIGNOFF_ROUTES_DIR": str(ROOT / "tests" / "fixtures"),
                "SIGNOFF_WORK_POLL_SECONDS": "0.5",
                "SIGNOFF_MAIL_FROM": "signoff@icb.example.nhs.uk",
                "PREFECT_API_URL": self.prefect_api,
            }
            | self.extra_env
        )

    def serve(self) -> None:
        log = (self.data_dir.parent / "serve.log").open("ab")
        self.process = subprocess.Popen(
            [SIGNOFF, "serve", "--port", str(self.port)], env=self.env(), stdout=log, stderr=subprocess.STDOUT
        )
        wait_for(self._healthy, timeout=60, what="signoff serve to answer /healthz")

    def _healthy(self) -> bool:
        if self.process is not None and self.process.poll() is not None:
            log = (self.data_dir.parent / "serve.log").read_text()
            msg = f"signoff serve exited with {self.process.returncode}:\n{log}"
            raise AssertionError(msg)
        try:
            return httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [SIGNOFF, *args], env=self.env(), capture_output=True, text=True, timeout=120, check=False
        )

    def start_spine_signoff(self, folder: Path) -> subprocess.CompletedProcess[str]:
        """``signoff start`` of a sign-off on the spine route, led by the test lead, as a lead types it."""
        document = folder / "agreement.pdf"
        document.write_bytes(b"%PDF-1.4 VCSE partnership agreement")
        return self.cli(
            "start",
            "spine-test-route",
            "--title",
            "VCSE partnership agreement",
            "--document",
            str(document),
            "--lead",
            "lead@icb.example.nhs.uk",
            "--target",
            "2027-03-31",
            "--json",
        )

    @contextmanager
    def signed_in(self, email: str = OFFICER, password: str = OFFICER_PASSWORD) -> Iterator[httpx.Client]:
        """An HTTP client signed in through ``/login`` as an officer added with ``signoff users add``."""
        added = subprocess.run(
            [SIGNOFF, "users", "add", email, "--role", "officer", "--password-stdin"],
            env=self.env(),
            input=password + "\n",
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert added.returncode == 0 or "already" in added.stderr, added.stderr
        with httpx.Client(base_url=self.url) as client:
            response = client.post("/login", data={"email": email, "password": password})
            assert response.status_code == 303, response.text
            yield client

    def status(self, signoff_id: str) -> dict[str, Any]:
        result = self.cli("status", signoff_id, "--json")
        assert result.returncode == 0, result.stderr
        found: dict[str, Any] = json.loads(result.stdout)
        return found


def decide(link: str, decision: str, comment: str = "", **fields: str) -> httpx.Response:
    """Open the link's page and press the ``decision`` button with its hidden fields and ``fields``."""
    page = httpx.get(link)
    assert page.status_code == 200
    form = hidden_fields(page.text)
    return httpx.post(link, data=form.hidden | fields | {"decision": decision, "comment": comment})


def days_until_meeting(product: Product, signoff_id: str, stage: str) -> int:
    """Days from today (London) to the meeting the stage is booked on, once it has opened."""
    booked = wait_for(
        lambda: next(
            (s["meeting"] for s in product.status(signoff_id)["stages"] if s["id"] == stage and s["meeting"]),
            None,
        ),
        what=f"stage {stage} to be booked on a meeting",
    )
    return (date.fromisoformat(booked) - datetime.now(LONDON).date()).days


def rehearse_from(product: Product, days: int) -> None:
    """Restart the product as if ``days`` days after today (its data carries over)."""
    product.stop()
    product.extra_env["SIGNOFF_CLOCK_OFFSET_DAYS"] = str(days)
    product.serve()


class FormFields(HTMLParser):
    """The hidden inputs of the page's one POST form."""

    def __init__(self) -> None:
        super().__init__()
        self.hidden: dict[str, str] = {}
        self.forms = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        if tag == "form" and (named.get("method") or "").lower() == "post":
            self.forms += 1
        if tag == "input" and named.get("type") == "hidden" and named.get("name"):
            self.hidden[str(named["name"])] = named.get("value") or ""


def hidden_fields(html: str) -> FormFields:
    parser = FormFields()
    parser.feed(html)
    return parser


def action_links(messages: list[EmailMessage], recipient: str) -> list[str]:
    """The action links in the emails to one recipient, in order of arrival."""
    found = []
    for message in messages:
        if message["To"] == recipient:
            found += LINK.findall(message.get_body(("plain",)).get_content())
    return found
