"""The reminder job and ``signoff remind`` over the in-memory unit of work."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from governance.services.reminders import ReminderRefused, remind_now, send_due_reminders
from governance.services.signoffs import cancel_signoff
from tests.fakes import FakeStore
from tests.integration.stall_helpers import ALICE, BOB, DIRECTOR, LEAD, OPENED, ROUTE
from tests.unit.services.fake_signoffs import queued, started

HOOK = "json://127.0.0.1:9/hook"


def stalled(store: FakeStore, settings, tmp_path) -> str:
    return started(store, settings, tmp_path, now=OPENED, route_yaml=ROUTE, target=date(2026, 6, 30))


def run_each_morning(store: FakeStore, settings, *, first: date, last: date) -> None:
    """The job at 08:00 and 09:00 UTC each day: one of them is 09:00 in London, GMT or BST."""
    day = first
    while day <= last:
        for hour in (8, 9):
            send_due_reminders(store, settings, now=datetime(day.year, day.month, day.day, hour, tzinfo=UTC))
        day += timedelta(days=1)


def test_a_reminder_due_is_queued_once_per_outstanding_reviewer_with_a_fresh_link(settings, tmp_path):
    store = FakeStore()
    stalled(store, settings, tmp_path)
    counts = send_due_reminders(store, settings, now=datetime(2026, 3, 25, 9, 0, tzinfo=UTC))
    again = send_due_reminders(store, settings, now=datetime(2026, 3, 25, 15, 0, tzinfo=UTC))
    assert (counts.signoffs, counts.reminders, counts.errors) == (1, 2, 0)
    assert again.reminders == 0
    assert queued(store, kind="reminder") == [("reminder", ALICE), ("reminder", BOB)]
    with store.read() as uow:
        reminders = [row for row in uow.outbox.rows() if row.new.kind == "reminder"]
        assert all(row.new.token_nonce for row in reminders)
        assert [n.email_state for n in uow.reminders.of_signoff(reminders[0].new.signoff_id)] == [
            "pending"
        ] * 2


def test_a_stage_left_overdue_is_escalated_once_to_the_lead_and_the_people_named(settings, tmp_path):
    store = FakeStore()
    stalled(store, settings, tmp_path)
    run_each_morning(store, settings, first=date(2026, 3, 20), last=date(2026, 4, 17))
    assert sorted(to for _, to in queued(store, kind="escalation")) == sorted([LEAD, DIRECTOR, HOOK])
    assert queued(store, kind="stalled") == [("stalled", HOOK)]
    assert len(queued(store, kind="reminder")) == 12


def test_remind_now_reminds_everyone_outstanding_once_a_day(settings, tmp_path):
    store = FakeStore()
    signoff_id = stalled(store, settings, tmp_path)
    monday = datetime(2026, 3, 23, 16, 0, tzinfo=UTC)
    first = remind_now(store, settings, signoff_id, stage_id="legal", now=monday)
    again = remind_now(store, settings, signoff_id, now=monday + timedelta(hours=1))
    assert first.queued == [("legal", ALICE), ("legal", BOB)]
    assert (again.queued, again.already) == ([], [("legal", ALICE), ("legal", BOB)])


def test_an_ended_signoff_cannot_be_reminded_and_the_job_skips_it(settings, tmp_path):
    store = FakeStore()
    signoff_id = stalled(store, settings, tmp_path)
    cancel_signoff(store, settings, signoff_id, now=OPENED + timedelta(days=1))
    with pytest.raises(ReminderRefused, match="has ended"):
        remind_now(store, settings, signoff_id, now=OPENED + timedelta(days=2))
    counts = send_due_reminders(store, settings, now=datetime(2026, 4, 15, 8, 0, tzinfo=UTC))
    assert (counts.signoffs, counts.reminders) == (0, 0)
