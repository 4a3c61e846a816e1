"""The record of nudges in the ``reminders`` table, each linked to the outbox row that sends it.

Each row claims its nudge's deterministic key (unique) in a savepoint that also queues the
outbox row, so a nudge is recorded and queued together or not at all, and never twice.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import Connection, insert, select, update
from sqlalchemy.exc import IntegrityError

from governance.adapters.database.tables import outbox, reminders
from governance.services.stored_records import NewNudge, NudgeRecord


class SqlReminders:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def of_signoff(self, signoff_id: str) -> list[NudgeRecord]:
        query = (
            select(reminders, outbox.c.state, outbox.c.sent_at)
            .select_from(reminders.outerjoin(outbox, reminders.c.outbox_id == outbox.c.id))
            .where(reminders.c.signoff_id == signoff_id)
            .order_by(reminders.c.id)
        )
        return [
            NudgeRecord(row.stage_id, row.kind, row.recipient, row.at, row.manual, row.state, row.sent_at)
            for row in self.connection.execute(query)
        ]

    def record_once(self, nudge: NewNudge, *, key: str, now: datetime, queue: Callable[[], object]) -> bool:
        """A concurrent run that got there first makes the insert fail on the unique key: that
        rolls back only this savepoint, so the job carries on with the next nudge."""
        try:
            with self.connection.begin_nested():
                self.connection.execute(
                    insert(reminders).values(
                        dedupe_key=key,
                        at=now,
                        signoff_id=nudge.signoff_id,
                        stage_id=nudge.stage_id,
                        kind=nudge.kind,
                        recipient=nudge.recipient,
                        slot=nudge.slot,
                        manual=nudge.manual,
                    )
                )
                queue()
                self._link_outbox(key)
        except IntegrityError:
            return False
        return True

    def _link_outbox(self, key: str) -> None:
        query = select(outbox.c.id).where(outbox.c.dedupe_key == key)
        outbox_id = self.connection.execute(query).scalar()
        if outbox_id is not None:
            self.connection.execute(
                update(reminders).where(reminders.c.dedupe_key == key).values(outbox_id=outbox_id)
            )
