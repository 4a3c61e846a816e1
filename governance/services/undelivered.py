"""Notifications not delivered yet: what waits, what failed, and putting a failed one back.

``failed_count`` is what the dashboard banner needs; ``notifications`` feeds ``signoff outbox``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from governance.services.ports import UnitsOfWork
from governance.services.stored_records import FAILED, PENDING, SENDING, OutboxEntry


class NotRetryable(LookupError):
    """``signoff outbox retry`` named a notification that does not exist or has not failed."""


def failed_count(uows: UnitsOfWork, *, signoff_id: str | None = None) -> int:
    """How many notifications have failed for good (all, or one sign-off's)."""
    with uows.read() as uow:
        return uow.outbox.failed_count(signoff_id=signoff_id)


def notifications(
    uows: UnitsOfWork, *, failed_only: bool = False, signoff_id: str | None = None
) -> list[dict[str, Any]]:
    """Notifications not yet sent (pending, being sent) and failed ones, oldest first."""
    states = [FAILED] if failed_only else [PENDING, SENDING, FAILED]
    with uows.read() as uow:
        entries = uow.outbox.listing(states=states, signoff_id=signoff_id)
    return [_listed(entry) for entry in entries]


def _listed(entry: OutboxEntry) -> dict[str, Any]:
    return {
        "id": entry.id,
        "signoff": entry.signoff_id,
        "kind": entry.kind,
        "channel": entry.channel,
        "recipient": entry.recipient,
        "state": entry.state,
        "attempts": entry.attempts,
        "next_attempt_at": entry.next_attempt_at.isoformat() if entry.state != FAILED else None,
        "last_error": entry.last_error,
        "refused": entry.refused,
        "message_id": entry.message_id,
        "created_at": entry.created_at.isoformat(),
    }


def retry_notification(uows: UnitsOfWork, notification_id: int, *, now: datetime) -> None:
    """Queue a failed notification again, now, with its Message-ID and link unchanged."""
    with uows.write() as uow:
        if uow.outbox.requeue_failed(notification_id, now=now):
            return
        state = uow.outbox.state_of(notification_id)
    if state is None:
        msg = f"no notification with id {notification_id}"
        raise NotRetryable(msg)
    msg = f"notification {notification_id} is {state}, not failed: only failed ones can be retried"
    raise NotRetryable(msg)
