"""The outbox against a real SMTP server on loopback: every misbehaviour ends in the right state,
with nothing lost and nothing doubled under a different Message-ID."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from governance.adapters.database.database import Database
from governance.adapters.database.tables import outbox
from governance.adapters.mail.sink import free_port
from governance.adapters.mail.smtp import SmtpSettings
from governance.services.delivery import deliver_due
from governance.services.reminders import send_due_reminders
from governance.settings import Settings
from tests.integration.signoffs_helpers import start_spine_signoff
from tests.integration.smtp_server import RunningServer, ScriptedHandler, scripted_server
from tests.integration.stall_helpers import ALICE, BOB, DIRECTOR, LEAD, ROUTE, start
from tests.integration.webhook_receiver import Receiver

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 3, 20, 10, 0, tzinfo=UTC)
REVIEWERS = ["chair@vcse.example.org", "coordinator@vcse.example.org"]


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def server() -> Iterator[RunningServer]:
    with scripted_server() as running:
        yield running


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The shared settings with this module's retry policy (settings are frozen: a copy)."""
    return settings.model_copy(update={"mail_retry_seconds": 30, "mail_max_attempts": 3})


@pytest.fixture
def queued(database: Database, settings: Settings, tmp_path: Path) -> Database:
    """Two invitations waiting in the outbox (the spine route's first stage)."""
    start_spine_signoff(database, settings, now=NOW, tmp=tmp_path)
    return database


def rows(db: Database) -> list[Any]:
    with db.transaction() as connection:
        return list(connection.execute(select(outbox).order_by(outbox.c.id)))


def states(db: Database) -> list[tuple[str, int]]:
    return [(r.state, r.attempts) for r in rows(db)]


def send(db: Database, settings: Settings, smtp: SmtpSettings, clock: Clock) -> None:
    deliver_due(db, settings, smtp, clock=clock)


def assert_nothing_lost_or_doubled(db: Database, handler: ScriptedHandler, *, copies: int = 1) -> None:
    """Each sent row reached the server under its own Message-ID; no message under any other ID."""
    received = [m["Message-ID"] for m in handler.received]
    ids = {r.message_id: r for r in rows(db)}
    assert len(ids) == len(rows(db))  # every row has a Message-ID of its own
    assert set(received) <= set(ids)
    for message_id, row in ids.items():
        if row.state == "sent":
            assert 1 <= received.count(message_id) <= copies


def test_an_accepting_server_gets_each_notification_once_under_its_message_id(
    queued: Database, settings: Settings, server: RunningServer
) -> None:
    send(queued, settings, server.settings(), Clock())
    assert states(queued) == [("sent", 1), ("sent", 1)]
    assert sorted(m["To"] for m in server.handler.received) == REVIEWERS
    assert_nothing_lost_or_doubled(queued, server.handler)


@pytest.mark.parametrize(
    "reply", ["421 4.3.2 Service shutting down", "450 4.2.0 Mailbox busy", "451 4.3.0 Later"]
)
def test_a_4xx_reply_is_retried_after_the_backoff_and_then_delivered_once(
    queued: Database, settings: Settings, server: RunningServer, reply: str
) -> None:
    clock = Clock()
    server.handler.data_reply = reply
    send(queued, settings, server.settings(), clock)
    assert [(r.state, r.attempts, r.last_error) for r in rows(queued)] == [("pending", 1, reply)] * 2
    assert {r.next_attempt_at for r in rows(queued)} == {NOW + timedelta(seconds=30)}
    server.handler.data_reply = None
    clock.advance(29)
    send(queued, settings, server.settings(), clock)
    assert server.handler.received == []  # not before the backoff has passed
    clock.advance(1)
    send(queued, settings, server.settings(), clock)
    assert states(queued) == [("sent", 2), ("sent", 2)]
    assert_nothing_lost_or_doubled(queued, server.handler)


@pytest.mark.parametrize("reply", ["550 5.7.1 Message rejected as spam", "552 5.3.4 Message too big"])
def test_a_5xx_reply_fails_for_good_and_keeps_the_servers_words(
    queued: Database, settings: Settings, server: RunningServer, reply: str
) -> None:
    clock = Clock()
    server.handler.data_reply = reply
    send(queued, settings, server.settings(), clock)
    clock.advance(7200)
    send(queued, settings, server.settings(), clock)
    assert [(r.state, r.attempts, r.last_error) for r in rows(queued)] == [("failed", 1, reply)] * 2
    assert server.handler.received == []


def test_a_recipient_refused_at_rcpt_is_recorded_per_recipient(
    queued: Database, settings: Settings, server: RunningServer
) -> None:
    server.handler.rcpt_reply = "550 5.1.1 No such user here"
    send(queued, settings, server.settings(), Clock())
    for row in rows(queued):
        assert row.state == "failed"
        assert row.refused == f'{{"{row.recipient}": "550 5.1.1 No such user here"}}'


def test_a_server_slower_than_the_timeout_is_retried_and_any_duplicate_has_the_same_message_id(
    queued: Database, settings: Settings, server: RunningServer
) -> None:
    clock = Clock()
    server.handler.data_delay = 1.0
    send(queued, settings, server.settings(timeout=0.3), clock)
    assert states(queued) == [("pending", 1), ("pending", 1)]
    assert all("timed out" in r.last_error or "unconfirmed" in r.last_error for r in rows(queued))
    server.handler.data_delay = 0.0
    clock.advance(30)
    send(queued, settings, server.settings(timeout=0.3), clock)
    assert states(queued) == [("sent", 2), ("sent", 2)]
    assert_nothing_lost_or_doubled(queued, server.handler, copies=2)


def test_a_connection_dropped_after_the_data_is_retried_under_the_same_message_id(
    queued: Database, settings: Settings, server: RunningServer
) -> None:
    clock = Clock()
    server.handler.drop = "before_reply"
    send(queued, settings, server.settings(), clock)
    assert states(queued) == [("pending", 1), ("pending", 1)]
    server.handler.drop = None
    clock.advance(30)
    send(queued, settings, server.settings(), clock)
    assert states(queued) == [("sent", 2), ("sent", 2)]
    received = [m["Message-ID"] for m in server.handler.received]
    assert len(received) == 4
    assert len(set(received)) == 2  # each twice, recognisably the same email
    assert_nothing_lost_or_doubled(queued, server.handler, copies=2)


def test_a_connection_dropped_after_the_250_counts_as_sent(
    queued: Database, settings: Settings, server: RunningServer
) -> None:
    server.handler.drop = "after_reply"
    send(queued, settings, server.settings(), Clock())
    assert states(queued) == [("sent", 1), ("sent", 1)]
    assert_nothing_lost_or_doubled(queued, server.handler)


def test_a_server_that_is_down_is_retried_with_doubling_backoff_until_the_attempts_run_out(
    queued: Database, settings: Settings
) -> None:
    settings = settings.model_copy(update={"mail_max_attempts": 10})
    down = SmtpSettings("127.0.0.1", free_port(), timeout=0.3)
    clock, delays = Clock(), []
    for _ in range(10):
        send(queued, settings, down, clock)
        [first, _second] = rows(queued)
        if first.state == "failed":
            break
        delays.append((first.next_attempt_at - clock.now).total_seconds())
        clock.now = first.next_attempt_at
    assert delays == [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]
    assert [(r.state, r.attempts) for r in rows(queued)] == [("failed", 10)] * 2
    assert all(
        r.last_error.startswith("gave up after 10 attempts: ConnectionRefusedError") for r in rows(queued)
    )


def test_a_sender_killed_between_sending_and_recording_resends_once_with_the_same_message_id(
    queued: Database, settings: Settings, server: RunningServer
) -> None:
    env = os.environ | sender_environment(queued, settings, server)
    script = ROOT / "tests" / "integration" / "crash_sender.py"
    sender = subprocess.Popen(
        [sys.executable, str(script)], env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    try:
        line = wait_for_line(sender)
    finally:
        sender.send_signal(signal.SIGKILL)
        sender.wait(timeout=10)
    _, status, message_id = line.split()
    assert status == "sent"
    stuck = next(r for r in rows(queued) if r.message_id == message_id)
    assert (stuck.state, stuck.attempts) == ("sending", 1)
    clock = Clock()
    clock.now = stuck.claimed_until + timedelta(seconds=1)  # the restart, once the lease has run out
    send(queued, settings, server.settings(), clock)
    assert states(queued) == [
        ("sent", 2) if r.message_id == message_id else ("sent", 1) for r in rows(queued)
    ]
    received = [m["Message-ID"] for m in server.handler.received]
    assert received.count(message_id) == 2  # at most one duplicate, with the same Message-ID
    assert_nothing_lost_or_doubled(queued, server.handler, copies=2)


def sender_environment(db: Database, settings: Settings, server: RunningServer) -> dict[str, str]:
    return {
        "SIGNOFF_DATABASE_URL": db.url,
        "SIGNOFF_DATA_DIR": str(settings.data_dir),
        "SIGNOFF_SECRET_KEY": settings.secret_key.get_secret_value() if settings.secret_key else "",
        "SIGNOFF_BASE_URL": settings.base_url,
        "SIGNOFF_SMTP_HOST": "127.0.0.1",
        "SIGNOFF_SMTP_PORT": str(server.port),
        "SIGNOFF_SMTP_TIMEOUT_SECONDS": "2",
        "SIGNOFF_MAIL_LEASE_SECONDS": "1",
        "PYTHONPATH": str(ROOT),
    }


def wait_for_line(process: subprocess.Popen[str], *, seconds: float = 30) -> str:
    """The first line the sender prints (it then hangs); fails the test if it never comes."""
    import selectors

    assert process.stdout is not None
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        if not selector.select(timeout=seconds):
            pytest.fail(f"the sender printed nothing within {seconds} s")
    return process.stdout.readline().strip()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    found = Receiver()
    yield found
    found.close()


def test_a_route_channel_gets_the_stall_and_escalation_notices_over_http(
    database: Database, settings: Settings, tmp_path: Path, server: RunningServer, receiver: Receiver
) -> None:
    signoff_id = start(
        database, settings, tmp_path, route=ROUTE.replace("json://127.0.0.1:9/hook", receiver.url)
    )
    for day in (9, 14, 15):  # two reminders past the due date (7 Apr), then the escalation
        send_due_reminders(database, settings, now=datetime(2026, 4, day, 8, 0, tzinfo=UTC))
    clock = Clock()
    clock.now = datetime(2026, 4, 15, 8, 1, tzinfo=UTC)
    send(database, settings, server.settings(), clock)
    summaries = sorted(body["message"] for path, body in receiver.posts if path == "/hook")
    assert [s.split(":")[0] for s in summaries] == ["Escalated", "Stalled"]
    assert f"still waiting for {ALICE}, {BOB}" in summaries[0]
    channel_rows = [r for r in rows(database) if r.channel == "apprise"]
    assert [(r.kind, r.state, r.signoff_id) for r in channel_rows] == [
        ("stalled", "sent", signoff_id),
        ("escalation", "sent", signoff_id),
    ]
    assert {r.state for r in rows(database)} == {
        "sent"
    }  # the reminder and escalation emails rendered and went
    escalations = [m for m in server.handler.received if m["Subject"].startswith("Overdue:")]
    assert sorted(m["To"] for m in escalations) == sorted([LEAD, DIRECTOR])


def test_a_channel_that_refuses_a_post_is_retried_like_an_email(
    database: Database, settings: Settings, tmp_path: Path, server: RunningServer, receiver: Receiver
) -> None:
    start(database, settings, tmp_path, route=ROUTE.replace("json://127.0.0.1:9/hook", receiver.url))
    send_due_reminders(database, settings, now=datetime(2026, 4, 8, 8, 0, tzinfo=UTC))
    receiver.status = 500
    clock = Clock()
    clock.now = datetime(2026, 4, 8, 8, 1, tzinfo=UTC)
    send(database, settings, server.settings(), clock)
    [stalled] = [r for r in rows(database) if r.channel == "apprise"]
    assert (stalled.state, stalled.attempts, stalled.last_error) == (
        "pending",
        1,
        "the channel did not accept it",
    )
    receiver.status = 200
    clock.advance(settings.mail_retry_seconds)
    send(database, settings, server.settings(), clock)
    assert [r.state for r in rows(database) if r.channel == "apprise"] == ["sent"]
    assert len(receiver.posts) == 2
