"""The outbox use cases over the in-memory unit of work: claims, backoff, giving up, retrying."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from governance.services.outbox import enqueue, retry_delay, schedule_retry
from governance.services.undelivered import NotRetryable, failed_count, notifications, retry_notification
from tests.fakes import FakeStore

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
LEASE = timedelta(minutes=2)


def queue_one(store: FakeStore, *, dedupe_key: str | None = None, signoff_id: str | None = "s1") -> bool:
    with store.write() as uow:
        return enqueue(
            uow,
            "invitation",
            "alice@example.org",
            context={"n": 1},
            now=NOW,
            signoff_id=signoff_id,
            message_id=f"<{dedupe_key}@test>",
            dedupe_key=dedupe_key,
        )


def claim(store: FakeStore, at: datetime) -> list[int]:
    with store.write() as uow:
        return [n.id for n in uow.outbox.claim_due(now=at, lease=LEASE)]


def test_a_notification_with_a_key_is_queued_once():
    store = FakeStore()
    assert queue_one(store, dedupe_key="rag:1") is True
    assert queue_one(store, dedupe_key="rag:1") is False
    assert len(notifications(store)) == 1


def test_a_claimed_notification_is_not_claimed_again_until_its_lease_runs_out():
    store = FakeStore()
    queue_one(store)
    assert claim(store, NOW) == [1]
    assert claim(store, NOW + LEASE - timedelta(seconds=1)) == []
    assert claim(store, NOW + LEASE + timedelta(seconds=1)) == [1]


@pytest.mark.parametrize(
    ("attempts", "delay"),
    [
        (1, timedelta(seconds=30)),
        (2, timedelta(seconds=60)),
        (5, timedelta(seconds=480)),
        (12, timedelta(hours=1)),
    ],
)
def test_each_deferral_doubles_the_wait_up_to_an_hour(attempts, delay):
    assert retry_delay(attempts, first_delay=timedelta(seconds=30)) == delay


def test_a_deferred_notification_waits_then_fails_after_its_last_attempt():
    store = FakeStore()
    queue_one(store)
    at = NOW
    for _ in range(3):
        with store.write() as uow:
            (claimed,) = uow.outbox.claim_due(now=at, lease=LEASE)
            schedule_retry(
                uow, claimed, reply="451 later", now=at, first_delay=timedelta(seconds=30), max_attempts=3
            )
        at += timedelta(minutes=5)
    (entry,) = notifications(store)
    assert (entry["state"], entry["attempts"]) == ("failed", 3)
    assert entry["last_error"] == "gave up after 3 attempts: 451 later"
    assert failed_count(store) == failed_count(store, signoff_id="s1") == 1
    assert failed_count(store, signoff_id="other") == 0


def test_only_a_failed_notification_can_be_retried_and_it_is_due_at_once():
    store = FakeStore()
    queue_one(store)
    with pytest.raises(NotRetryable, match="is pending, not failed"):
        retry_notification(store, 1, now=NOW)
    with pytest.raises(NotRetryable, match="no notification with id 9"):
        retry_notification(store, 9, now=NOW)
    with store.write() as uow:
        uow.outbox.claim_due(now=NOW, lease=LEASE)
        uow.outbox.mark_failed(1, reply="550 no such user", refused={})
    retry_notification(store, 1, now=NOW + timedelta(hours=1))
    assert claim(store, NOW + timedelta(hours=1)) == [1]
