"""The watcher's index: running sign-offs by their next check (``signoffs.next_check_at``)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, and_, or_, select, update

from governance.adapters.database.tables import signoffs
from governance.domain.states import SignOffState
from governance.services.watch_ports import next_check_on_save

RUNNING = SignOffState.IN_PROGRESS.value


def watch_columns(state: SignOffState) -> dict[str, object]:
    """The column every save of a sign-off writes: it is re-planned by the watcher's next run."""
    return {"next_check_at": next_check_on_save(state)}


class SqlWatch:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def due(
        self, now: datetime, *, limit: int, after: tuple[datetime, str] | None = None
    ) -> list[tuple[datetime, str]]:
        """A range of ``ix_signoffs_next_check_at``, in index order: rows not due are never read."""
        at, key = signoffs.c.next_check_at, signoffs.c.id
        query = select(at, key).where(at <= now, signoffs.c.state == RUNNING)
        if after is not None:
            query = query.where(or_(at > after[0], and_(at == after[0], key > after[1])))
        rows = self.connection.execute(query.order_by(at, key).limit(limit))
        return [(row[0], row[1]) for row in rows]

    def claim(self, signoff_id: str, *, now: datetime) -> bool:
        """On SQLite the write unit of work holds the database's write lock already (BEGIN IMMEDIATE),
        and the due test sees what a watcher before it stored."""
        query = (
            select(signoffs.c.id)
            .where(signoffs.c.id == signoff_id, signoffs.c.next_check_at <= now, signoffs.c.state == RUNNING)
            .with_for_update(skip_locked=True)
        )
        return self.connection.execute(query).first() is not None

    def plan(self, signoff_id: str, at: datetime | None) -> None:
        self.connection.execute(update(signoffs).where(signoffs.c.id == signoff_id).values(next_check_at=at))
