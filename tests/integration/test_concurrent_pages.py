"""Pages read without blocking decisions: dashboards in flight while reviewers decide, on SQLite."""

from __future__ import annotations

import logging
import threading
from datetime import UTC, date, datetime
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from governance.adapters.database.tables import decisions
from governance.adapters.mail.sink import free_port
from governance.domain.access import Account, Role
from governance.services.accounts import add_account
from tests.integration.web_fixtures import (
    FINANCE,
    OFFICER,
    Example,
    make_database,
    make_settings,
    serving,
    session_cookie,
    start_example,
)

DASHBOARD_GETS = 20
SIGNOFFS = 4
TIMEOUT_SECONDS = 120.0


@pytest.fixture
def examples(tmp_path: Path) -> list[Example]:
    """Sign-offs on one SQLite database, one of them targeted years ahead (a slow dashboard row)."""
    settings = make_settings(tmp_path / "data")
    db = make_database(settings)
    targets = [date(2026, 4, 30)] * (SIGNOFFS - 1) + [date(2036, 3, 31)]
    started = [start_example(settings, db, title=f"Agreement {i}", target=t) for i, t in enumerate(targets)]
    add_account(db, Account(OFFICER, Role.OFFICER), password=None, now=datetime.now(UTC))
    yield started
    db.dispose()


def test_twenty_dashboards_in_flight_neither_wait_for_nor_break_reviewers_decisions(
    examples: list[Example], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    posts = [example.tokens[reviewer] for example in examples for reviewer in FINANCE]
    # Each link is posted twice at once: the decision must still be recorded once.
    jobs = [("GET", "/signoffs")] * DASHBOARD_GETS + [("POST", f"/a/{token}") for token in posts * 2]
    barrier = threading.Barrier(len(jobs))
    answers: list[tuple[str, int, str]] = []

    with serving(examples[0], free_port()) as url:

        def call(method: str, path: str) -> None:
            # The officer's session for the dashboard; a reviewer's link needs none.
            cookies = (
                {"signoff_session": session_cookie(examples[0].settings, OFFICER)} if method == "GET" else {}
            )
            with httpx.Client(base_url=url, timeout=TIMEOUT_SECONDS, cookies=cookies) as client:
                barrier.wait()
                form = {"decision": "approve", "comment": "Affordable."} if method == "POST" else None
                response = client.request(method, path, data=form)
                answers.append((method, response.status_code, response.text))

        threads = [threading.Thread(target=call, args=job) for job in jobs]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=TIMEOUT_SECONDS)

    assert sorted((method, status) for method, status, _ in answers) == sorted(
        (method, 200) for method, _ in jobs
    )
    dashboards = [text for method, _, text in answers if method == "GET"]
    assert all(f"Agreement {i}" in text for text in dashboards for i in range(SIGNOFFS))
    logged = "\n".join(record.getMessage() + (record.exc_text or "") for record in caplog.records)
    assert "database is locked" not in logged + "".join(text for _, _, text in answers)
    with examples[0].db.read() as uow:
        rows = uow.connection.execute(select(decisions.c.signoff_id, decisions.c.reviewer)).all()
    expected = [(example.signoff_id, reviewer) for example in examples for reviewer in FINANCE]
    assert sorted(tuple(row) for row in rows) == sorted(expected)
