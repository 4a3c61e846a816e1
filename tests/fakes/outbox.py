"""The fake outbox and reminder records."""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from governance.services.stored_records import (
    FAILED,
    PENDING,
    SENDING,
    SENT,
    NewNotification,
    NewNudge,
    Notification,
    NudgeRecord,
    OutboxEntry,
)
from tests.fakes.data import FakeNudgeRow, FakeOutboxRow, Repository


class FakeOutbox(Repository):
    def is_queued(self, dedupe_key: str) -> bool:
        return any(row.new.dedupe_key == dedupe_key for row in self.data.outbox)

    def add(self, notification: NewNotification) -> None:
        rows = self.writing().outbox
        rows.append(FakeOutboxRow(len(rows) + 1, notification, next_attempt_at=notification.created_at))

    def _rows(self, notification_id: int) -> FakeOutboxRow:
        return next(row for row in self.writing().outbox if row.id == notification_id)

    def signoffs_with_due(self, *, now: datetime) -> list[str | None]:
        return list(dict.fromkeys(row.new.signoff_id for row in self.data.outbox if row.due(now)))

    def claim_due(
        self, *, now: datetime, lease: timedelta, signoff_id: str | None = None, limit: int = 50
    ) -> list[Notification]:
        due = [r for r in self.writing().outbox if r.due(now) and signoff_id in (None, r.new.signoff_id)]
        claimed = []
        for row in due[:limit]:
            row.state, row.claimed_until, row.attempts = SENDING, now + lease, row.attempts + 1
            new = row.new
            claimed.append(
                Notification(
                    row.id,
                    new.signoff_id,
                    new.kind,
                    new.channel,
                    new.recipient,
                    copy.deepcopy(new.context),
                    new.message_id,
                    new.token_nonce,
                    row.attempts,
                )
            )
        return claimed

    def mark_sent(self, notification_id: int, *, now: datetime, refused: dict[str, str]) -> None:
        row = self._rows(notification_id)
        row.state, row.sent_at, row.claimed_until, row.last_error, row.refused = (
            SENT,
            now,
            None,
            None,
            refused,
        )

    def mark_failed(self, notification_id: int, *, reply: str, refused: dict[str, str]) -> None:
        row = self._rows(notification_id)
        row.state, row.claimed_until, row.last_error, row.refused = FAILED, None, reply, refused

    def retry_later(self, notification_id: int, *, at: datetime, reply: str, refused: dict[str, str]) -> None:
        row = self._rows(notification_id)
        row.state, row.claimed_until, row.next_attempt_at = PENDING, None, at
        row.last_error, row.refused = reply, refused

    def requeue_failed(self, notification_id: int, *, now: datetime) -> bool:
        found = [row for row in self.writing().outbox if row.id == notification_id and row.state == FAILED]
        for row in found:
            row.state, row.attempts, row.next_attempt_at, row.claimed_until = PENDING, 0, now, None
        return bool(found)

    def sent_at(self, message_id: str) -> datetime | None:
        return next((row.sent_at for row in self.data.outbox if row.new.message_id == message_id), None)

    def state_of(self, notification_id: int) -> str | None:
        return next((row.state for row in self.data.outbox if row.id == notification_id), None)

    def failed_count(self, *, signoff_id: str | None = None) -> int:
        rows = self.data.outbox
        return sum(1 for r in rows if r.state == FAILED and signoff_id in (None, r.new.signoff_id))

    def listing(self, *, states: Sequence[str], signoff_id: str | None = None) -> list[OutboxEntry]:
        return [
            OutboxEntry(
                id=row.id,
                signoff_id=row.new.signoff_id,
                kind=row.new.kind,
                channel=row.new.channel,
                recipient=row.new.recipient,
                state=row.state,
                attempts=row.attempts,
                next_attempt_at=row.next_attempt_at or row.new.created_at,
                last_error=row.last_error,
                refused=dict(row.refused),
                message_id=row.new.message_id,
                created_at=row.new.created_at,
            )
            for row in self.data.outbox
            if row.state in states and signoff_id in (None, row.new.signoff_id)
        ]

    def rows(self) -> list[FakeOutboxRow]:
        """Every queued notification, for tests to inspect."""
        return list(self.data.outbox)


class FakeReminders(Repository):
    def of_signoff(self, signoff_id: str) -> list[NudgeRecord]:
        emails = {row.id: row for row in self.data.outbox}
        found = []
        for row in self.data.nudges:
            if row.nudge.signoff_id != signoff_id:
                continue
            email = emails.get(row.outbox_id) if row.outbox_id is not None else None
            n = row.nudge
            state, sent_at = (email.state, email.sent_at) if email else (None, None)
            found.append(NudgeRecord(n.stage_id, n.kind, n.recipient, row.at, n.manual, state, sent_at))
        return found

    def record_once(self, nudge: NewNudge, *, key: str, now: datetime, queue: Callable[[], object]) -> bool:
        data = self.writing()
        if any(row.key == key for row in data.nudges):
            return False
        row = FakeNudgeRow(key, nudge, now)
        data.nudges.append(row)
        queue()
        row.outbox_id = next((r.id for r in data.outbox if r.new.dedupe_key == key), None)
        return True
