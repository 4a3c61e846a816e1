"""The transactional outbox: notifications written with the change that causes them, sent later.

States: pending -> sending (claimed, with a lease) -> sent | pending (retry later) | failed.
A claim whose lease ran out (the sender died) is claimed again, with the same Message-ID.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, and_, insert, or_, select, update

from governance.adapters.database.tables import outbox

PENDING, SENDING, SENT, FAILED = "pending", "sending", "sent", "failed"
MAX_BACKOFF = timedelta(hours=1)


@dataclass(frozen=True)
class Notification:
    id: int
    signoff_id: str | None
    kind: str
    channel: str
    recipient: str
    context: dict[str, Any]
    message_id: str
    token_nonce: str | None
    attempts: int


def enqueue(
    connection: Connection,
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
    if (
        dedupe_key is not None
        and connection.execute(select(outbox.c.id).where(outbox.c.dedupe_key == dedupe_key)).first()
    ):
        return False
    connection.execute(
        insert(outbox).values(
            signoff_id=signoff_id,
            kind=kind,
            channel=channel,
            recipient=recipient,
            context=json.dumps(context, default=str),
            message_id=message_id,
            token_nonce=token_nonce,
            dedupe_key=dedupe_key,
            state=PENDING,
            attempts=0,
            next_attempt_at=now,
            created_at=now,
        )
    )
    return True


def _due(now: datetime) -> Any:
    return or_(
        and_(outbox.c.state == PENDING, outbox.c.next_attempt_at <= now),
        and_(outbox.c.state == SENDING, outbox.c.claimed_until < now),
    )


def signoffs_with_due_mail(connection: Connection, *, now: datetime) -> list[str | None]:
    """Which sign-offs have notifications ready to send (None: ones tied to no sign-off)."""
    query = select(outbox.c.signoff_id).where(_due(now)).distinct()
    return list(connection.execute(query).scalars())


def claim_due(
    connection: Connection, *, now: datetime, lease: timedelta, signoff_id: str | None = None, limit: int = 50
) -> list[Notification]:
    """Claim notifications ready to send; a conditional update makes each claim exclusive."""
    query = select(outbox.c.id).where(_due(now)).order_by(outbox.c.id).limit(limit)
    if signoff_id is not None:
        query = query.where(outbox.c.signoff_id == signoff_id)
    claimed = []
    for row_id in connection.execute(query).scalars():
        won = connection.execute(
            update(outbox)
            .where(outbox.c.id == row_id, _due(now))
            .values(state=SENDING, claimed_until=now + lease, attempts=outbox.c.attempts + 1)
        )
        if won.rowcount == 1:
            claimed.append(_notification(connection, row_id))
    return claimed


def _notification(connection: Connection, row_id: int) -> Notification:
    row = connection.execute(select(outbox).where(outbox.c.id == row_id)).one()
    return Notification(
        row.id,
        row.signoff_id,
        row.kind,
        row.channel,
        row.recipient,
        json.loads(row.context),
        row.message_id,
        row.token_nonce,
        row.attempts,
    )


def mark_sent(
    connection: Connection, notification_id: int, *, now: datetime, refused: dict[str, str]
) -> None:
    connection.execute(
        update(outbox)
        .where(outbox.c.id == notification_id)
        .values(state=SENT, sent_at=now, claimed_until=None, last_error=None, refused=_json_or_none(refused))
    )


def mark_failed(connection: Connection, notification_id: int, *, reply: str, refused: dict[str, str]) -> None:
    connection.execute(
        update(outbox)
        .where(outbox.c.id == notification_id)
        .values(state=FAILED, claimed_until=None, last_error=reply, refused=_json_or_none(refused))
    )


def schedule_retry(
    connection: Connection,
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
        mark_failed(
            connection,
            notification.id,
            reply=f"gave up after {notification.attempts} attempts: {reply}",
            refused=refused or {},
        )
        return
    delay = min(first_delay * 2 ** (notification.attempts - 1), MAX_BACKOFF)
    connection.execute(
        update(outbox)
        .where(outbox.c.id == notification.id)
        .values(
            state=PENDING,
            claimed_until=None,
            next_attempt_at=now + delay,
            last_error=reply,
            refused=_json_or_none(refused or {}),
        )
    )


def requeue(connection: Connection, notification_id: int, *, now: datetime) -> bool:
    """Put a failed notification back in the queue (its Message-ID stays the same)."""
    result = connection.execute(
        update(outbox)
        .where(outbox.c.id == notification_id, outbox.c.state == FAILED)
        .values(state=PENDING, attempts=0, next_attempt_at=now, claimed_until=None)
    )
    return result.rowcount == 1


def _json_or_none(value: dict[str, str]) -> str | None:
    return json.dumps(value) if value else None
