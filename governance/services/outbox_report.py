"""Read and repair the outbox: what waits, what failed, and putting a failed notification back.

``failed_count`` is what the dashboard banner needs; ``notifications`` feeds ``signoff outbox``.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, select

from governance.adapters.database.database import Database
from governance.adapters.database.tables import outbox
from governance.services.outbox import FAILED, PENDING, SENDING, requeue


class NotRetryable(LookupError):
    """``signoff outbox retry`` named a notification that does not exist or has not failed."""


def failed_count(db: Database, *, signoff_id: str | None = None) -> int:
    """How many notifications have failed for good (all, or one sign-off's)."""
    query = select(func.count()).select_from(outbox).where(outbox.c.state == FAILED)
    if signoff_id is not None:
        query = query.where(outbox.c.signoff_id == signoff_id)
    with db.transaction() as connection:
        return int(connection.execute(query).scalar_one())


def notifications(
    db: Database, *, failed_only: bool = False, signoff_id: str | None = None
) -> list[dict[str, Any]]:
    """Notifications not yet sent (pending, being sent) and failed ones, oldest first."""
    states = [FAILED] if failed_only else [PENDING, SENDING, FAILED]
    query = select(outbox).where(outbox.c.state.in_(states)).order_by(outbox.c.id)
    if signoff_id is not None:
        query = query.where(outbox.c.signoff_id == signoff_id)
    with db.transaction() as connection:
        return [_listed(row) for row in connection.execute(query)]


def _listed(row: Any) -> dict[str, Any]:
    return {
        "id": row.id,
        "signoff": row.signoff_id,
        "kind": row.kind,
        "channel": row.channel,
        "recipient": row.recipient,
        "state": row.state,
        "attempts": row.attempts,
        "next_attempt_at": row.next_attempt_at.isoformat() if row.state != FAILED else None,
        "last_error": row.last_error,
        "refused": json.loads(row.refused) if row.refused else {},
        "message_id": row.message_id,
        "created_at": row.created_at.isoformat(),
    }


def retry_notification(db: Database, notification_id: int, *, now: datetime) -> None:
    """Queue a failed notification again, now, with its Message-ID and link unchanged."""
    with db.transaction() as connection:
        if not requeue(connection, notification_id, now=now):
            raise NotRetryable(_why_not(connection, notification_id))


def _why_not(connection: Connection, notification_id: int) -> str:
    state = connection.execute(select(outbox.c.state).where(outbox.c.id == notification_id)).scalar()
    if state is None:
        return f"no notification with id {notification_id}"
    return f"notification {notification_id} is {state}, not failed: only failed ones can be retried"
