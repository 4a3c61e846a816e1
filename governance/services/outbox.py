"""The transactional outbox: notifications written with the change that causes them, sent later.

States: pending -> sending (claimed, with a lease) -> sent | pending (retry later) | failed.
A claim whose lease ran out (the sender died) is claimed again, with the same Message-ID.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from governance.services.ports import UnitOfWork
from governance.services.stored_records import FAILED, PENDING, SENDING, SENT, NewNotification, Notification

__all__ = ["FAILED", "PENDING", "SENDING", "SENT", "Notification", "enqueue", "retry_delay", "schedule_retry"]
MAX_BACKOFF = timedelta(hours=1)


def enqueue(
    uow: UnitOfWork,
    kind: str,
    recipient: str,
    *,
    context: dict[str, Any],
    now: datetime,
    signoff_id: str | None,
    message_id: str,
    token_nonce: str | None = None,
    channel: str = "email",
    dedupe_key: str | None = None,
) -> bool:
    """Queue one notification to one recipient; False when ``dedupe_key`` was queued before."""
    if dedupe_key is not None and uow.outbox.is_queued(dedupe_key):
        return False
    uow.outbox.add(
        NewNotification(
            kind=kind,
            recipient=recipient,
            context=context,
            message_id=message_id,
            signoff_id=signoff_id,
            created_at=now,
            channel=channel,
            token_nonce=token_nonce,
            dedupe_key=dedupe_key,
        )
    )
    return True


def retry_delay(attempts: int, *, first_delay: timedelta) -> timedelta:
    """Doubling backoff after each attempt, capped at an hour."""
    delay: timedelta = first_delay * 2 ** (attempts - 1)
    return min(delay, MAX_BACKOFF)


def schedule_retry(
    uow: UnitOfWork,
    notification: Notification,
    *,
    reply: str,
    now: datetime,
    first_delay: timedelta,
    max_attempts: int,
    refused: dict[str, str] | None = None,
) -> None:
    """Try again later with doubling backoff (capped at an hour), or fail after ``max_attempts``."""
    if notification.attempts >= max_attempts:
        uow.outbox.mark_failed(
            notification.id,
            reply=f"gave up after {notification.attempts} attempts: {reply}",
            refused=refused or {},
        )
        return
    at = now + retry_delay(notification.attempts, first_delay=first_delay)
    uow.outbox.retry_later(notification.id, at=at, reply=reply, refused=refused or {})
