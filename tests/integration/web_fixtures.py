"""Helpers for web tests: a migrated SQLite database in a temporary folder and a sign-off made
through the real services, with the reviewers' emailed links read back from the outbox."""

from __future__ import annotations

import base64
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi.testclient import TestClient
from sqlalchemy import select

from governance.adapters.database.database import Database
from governance.adapters.database.tables import outbox
from governance.adapters.route_files import parse_route
from governance.domain.access import Account, Role
from governance.entrypoints.web import create_app
from governance.services.accounts import LinkPurpose, account_of, add_account, issue_link
from governance.services.signoffs import NewSignOff, advance_signoff, start_signoff
from governance.services.tokens import token_from_nonce
from governance.settings import Settings

ROUTE_YAML = """\
id: contracts-over-250k
name: Contracts over £250k
organisation: NHS Example ICB
stages:
  - id: finance
    name: Finance review
    kind: review
    reviewers: [finance.one@example.nhs.uk, finance.two@example.nhs.uk]
    approvals: all
    due_working_days: 5
  - parallel:
      - id: quality
        name: Quality review
        kind: review
        reviewers: [quality@example.nhs.uk]
        due_working_days: 3
      - id: clinical
        name: Clinical review
        kind: review
        reviewers: [clin.a@example.nhs.uk, clin.b@example.nhs.uk, clin.c@example.nhs.uk]
        approvals: 2
        due_working_days: 3
"""
ORGANISATION = "NHS Example ICB"
TITLE = "VCSE partnership agreement 2026/27"
LEAD = "lead@example.nhs.uk"
FINANCE = ("finance.one@example.nhs.uk", "finance.two@example.nhs.uk")
# Monday 2 March 2026, 09:00 in London (GMT): the Finance review is due five working days later.
STARTED = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
LINKS_LIVE_FOR = 5000  # working days: about twenty years
DOCUMENT_BYTES = b"%PDF-1.4\n% a stand-in for the agreement\n"


@dataclass(frozen=True)
class Example:
    """A started sign-off: its id and each invited reviewer's token."""

    settings: Settings
    db: Database
    signoff_id: str
    tokens: dict[str, str]


def make_settings(data_dir: Path, *, base_url: str = "http://testserver") -> Settings:
    """Settings for a test: everything under ``data_dir``, mail to the built-in sink."""
    # The example sign-off is dated March 2026 (STARTED): its links must outlive that by years here.
    return Settings(
        data_dir=data_dir, routes_dir=data_dir / "routes", base_url=base_url, link_working_days=LINKS_LIVE_FOR
    )


def make_database(settings: Settings) -> Database:
    """A migrated SQLite database in the settings' data directory (dispose it after the test)."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    db = Database(settings.sqlalchemy_url)
    db.migrate()
    return db


def start_example(
    settings: Settings,
    db: Database,
    *,
    title: str = TITLE,
    now: datetime = STARTED,
    target: date = date(2026, 4, 30),
) -> Example:
    """Start a sign-off on the example route and open its first stage, as the orchestrator would."""
    document = settings.data_dir / "uploads" / "vcse-agreement.pdf"
    document.parent.mkdir(parents=True, exist_ok=True)
    document.write_bytes(DOCUMENT_BYTES)
    request = NewSignOff(
        route=parse_route(ROUTE_YAML, path="contracts-over-250k.yaml"),
        route_yaml=ROUTE_YAML,
        title=title,
        document=document,
        lead=LEAD,
        target=target,
    )
    signoff_id = start_signoff(db, settings, request, now=now)
    advance_signoff(db, settings, signoff_id, now=now)
    return Example(settings, db, signoff_id, invitation_tokens(settings, db, signoff_id))


def invitation_tokens(settings: Settings, db: Database, signoff_id: str) -> dict[str, str]:
    """Each invited reviewer's link token, derived from the outbox's nonce as the email does."""
    query = select(outbox.c.recipient, outbox.c.token_nonce).where(
        outbox.c.signoff_id == signoff_id, outbox.c.token_nonce.is_not(None)
    )
    with db.transaction() as connection:
        rows = connection.execute(query.order_by(outbox.c.id)).all()
    key = settings.signing_key()
    return {row.recipient: token_from_nonce(row.token_nonce, key) for row in rows}


def tamper(token: str) -> str:
    """The same token with its last character changed: the shape is right, the link is not."""
    return token[:-1] + ("A" if token[-1] != "A" else "B")


OFFICER = "officer@example.nhs.uk"


def sign_in(
    client: TestClient,
    db: Database,
    email: str = OFFICER,
    *,
    role: Role = Role.OFFICER,
    organisations: tuple[str, ...] = (),
) -> None:
    """Sign ``client`` in as ``email`` (the account is made if needed) through a one-time link."""
    if account_of(db, email) is None:
        add_account(db, Account(email, role, organisations), password=None, now=datetime.now(UTC))
    token = issue_link(db, email, LinkPurpose.SIGN_IN, now=datetime.now(UTC))
    response = client.post(f"/login/link/{token}", follow_redirects=False)
    assert response.status_code == 303, response.text


def session_cookie(settings: Settings, email: str) -> str:
    """The session cookie a signed-in ``email`` carries (for a database that cannot sign anyone in)."""
    from itsdangerous import TimestampSigner

    from governance.entrypoints.web.app import session_key

    data = base64.b64encode(json.dumps({"email": email}).encode())
    return TimestampSigner(session_key(settings)).sign(data).decode()


def sign_in_browser(page: Any, url: str, db: Database, email: str = OFFICER) -> None:
    """Sign a Chromium page in as an officer through a one-time link, as ``signoff demo`` offers."""
    if account_of(db, email) is None:
        add_account(db, Account(email, Role.OFFICER), password=None, now=datetime.now(UTC))
    token = issue_link(db, email, LinkPurpose.SIGN_IN, now=datetime.now(UTC))
    page.goto(f"{url}/login/link/{token}")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{url}/signoffs")


@contextmanager
def serving(example: Example, port: int) -> Iterator[str]:
    """The app under uvicorn on loopback in a background thread; yields its base URL."""
    app = create_app(example.settings, example.db)
    # log_config=None: uvicorn's own loggers propagate, so a test can read what the server logged.
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_level="warning", lifespan="off", log_config=None
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="uvicorn", daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail(f"uvicorn did not start on port {port}")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=15)
