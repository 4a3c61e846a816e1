"""The transactional outbox in the ``outbox`` table: queue, claim with a lease, record outcomes.

A claim is a conditional update checked by its row count, so two senders never win one row,
and a claim whose lease ran out (its sender died) is claimed again, with the same Message-ID.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Connection, and_, func, insert, or_, select, update

from governance.adapters.database.tables import outbox
from governance.services.stored_records import (
    FAILED,
    PENDING,
    SENDING,
    SENT,
    NewNotification,
    Notification,
    OutboxEntry,
)

INSERT = insert(outbox)


def _due(now: datetime) -> ColumnElement[bool]:
    return or_(
        and_(outbox.c.state == PENDING, outbox.c.next_attempt_at <= now),
        and_(outbox.c.state == SENDING, outbox.c.claimed_until < now),
    )


def _json_or_none(value: dict[str, str]) -> str | None:
    return json.dumps(value) if value else None


class SqlOutbox:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def is_queued(self, dedupe_key: str) -> bool:
        query = select(outbox.c.id).where(outbox.c.dedupe_key == dedupe_key)
        return self.connection.execute(query).first() is not None

    def add(self, notification: NewNotification) -> None:
        n = notification
        row = {
            "signoff_id": n.signoff_id,
            "kind": n.kind,
            "channel": n.channel,
            "recipient": n.recipient,
            "context": json.dumps(n.context),
            "message_id": n.message_id,
            "token_nonce": n.token_nonce,
            "dedupe_key": n.dedupe_key,
            "state": PENDING,
            "attempts": 0,
            "next_attempt_at": n.created_at,
            "created_at": n.created_at,
        }
        self.connection.execute(INSERT, row)  # values as parameters: compiled once, not per email

    def signoffs_with_due(self, *, now: datetime) -> list[str | None]:
        query = select(outbox.c.signoff_id).where(_due(now)).distinct()
        return list(self.connection.execute(query).scalars())

    def claim_due(
        self, *, now: datetime, lease: timedelta, signoff_id: str | None = None, limit: int = 50
    ) -> list[Notification]:
        query = select(outbox.c.id).where(_due(now)).order_by(outbox.c.id).limit(limit)
        if signoff_id is not None:
            query = query.where(outbox.c.signoff_id == signoff_id)
        claimed = []
        for row_id in self.connection.execute(query).scalars():
            won = self.connection.execute(
                update(outbox)
                .where(outbox.c.id == row_id, _due(now))
                .values(state=SENDING, claimed_until=now + lease, attempts=outbox.c.attempts + 1)
            )
            if won.rowcount == 1:
                claimed.append(self._notification(row_id))
        return claimed

    def _notification(self, row_id: int) -> Notification:
        row = self.connection.execute(select(outbox).where(outbox.c.id == row_id)).one()
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

    def _set(self, notification_id: int, **values: Any) -> None:
        self.connection.execute(update(outbox).where(outbox.c.id == notification_id).values(**values))

    def mark_sent(self, notification_id: int, *, now: datetime, refused: dict[str, str]) -> None:
        self._set(
            notification_id,
            state=SENT,
            sent_at=now,
            claimed_until=None,
            last_error=None,
            refused=_json_or_none(refused),
        )

    def mark_failed(self, notification_id: int, *, reply: str, refused: dict[str, str]) -> None:
        self._set(
            notification_id,
            state=FAILED,
            claimed_until=None,
            last_error=reply,
            refused=_json_or_none(refused),
        )

    def retry_later(self, notification_id: int, *, at: datetime, reply: str, refused: dict[str, str]) -> None:
        self._set(
            notification_id,
            state=PENDING,
            claimed_until=None,
            next_attempt_at=at,
            last_error=reply,
            refused=_json_or_none(refused),
        )

    def requeue_failed(self, notification_id: int, *, now: datetime) -> bool:
        result = self.connection.execute(
            update(outbox)
            .where(outbox.c.id == notification_id, outbox.c.state == FAILED)
            .values(state=PENDING, attempts=0, next_attempt_at=now, claimed_until=None)
        )
        return result.rowcount == 1

    def sent_at(self, message_id: str) -> datetime | None:
        query = select(outbox.c.sent_at).where(outbox.c.message_id == message_id)
        found: datetime | None = self.connection.execute(query).scalar()
        return found

    def state_of(self, notification_id: int) -> str | None:
        query = select(outbox.c.state).where(outbox.c.id == notification_id)
        found = self.connection.execute(query).scalar()
        return None if found is None else str(found)

    def failed_count(self, *, signoff_id: str | None = None) -> int:
        query = select(func.count()).select_from(outbox).where(outbox.c.state == FAILED)
        if signoff_id is not None:
            query = query.where(outbox.c.signoff_id == signoff_id)
        return int(self.connection.execute(query).scalar_one())

    def listing(self, *, states: Sequence[str], signoff_id: str | None = None) -> list[OutboxEntry]:
        query = select(outbox).where(outbox.c.state.in_(list(states))).order_by(outbox.c.id)
        if signoff_id is not None:
            query = query.where(outbox.c.signoff_id == signoff_id)
        return [
            OutboxEntry(
                id=row.id,
                signoff_id=row.signoff_id,
                kind=row.kind,
                channel=row.channel,
                recipient=row.recipient,
                state=row.state,
                attempts=row.attempts,
                next_attempt_at=row.next_attempt_at,
                last_error=row.last_error,
                refused=json.loads(row.refused) if row.refused else {},
                message_id=row.message_id,
                created_at=row.created_at,
            )
            for row in self.connection.execute(query)
        ]
