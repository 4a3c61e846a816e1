"""The watcher finds its work through the stored next check, on real SQLite and PostgreSQL: it reads
only the sign-offs due, however many are in progress, and two watchers never nudge one twice."""

from __future__ import annotations

import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import event, func, select

from governance.adapters.database.database import Database
from governance.adapters.database.tables import outbox, signoffs
from governance.benchmarks.population import Product
from governance.services.key_dates import key_dates_of
from governance.services.reminders import ReminderCounts, send_due_reminders
from governance.services.watcher import rag_look, watch_signoffs
from governance.settings import Settings
from tests.integration.signoffs_helpers import SPINE_ROUTE, start_spine_signoff
from tests.integration.stall_helpers import OPENED, ROUTE, start

# Three weeks after the stall route's sign-offs opened: each is owed a reminder to Alice and Bob.
LATER = datetime(2026, 4, 9, 10, 0, tzinfo=UTC)


@contextmanager
def statements(db: Database) -> Iterator[list[str]]:
    """The SQL statements sent through ``db`` while the block runs."""
    sent: list[str] = []

    def executed(_connection: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        sent.append(statement)

    event.listen(db.engine, "before_cursor_execute", executed)
    try:
        yield sent
    finally:
        event.remove(db.engine, "before_cursor_execute", executed)


def populated(db: Database, settings: Settings, tmp: Path, *, in_progress: int, due: int = 3) -> list[str]:
    """``in_progress`` sign-offs: ``due`` real ones on the stall route whose next check has come, and
    copies of one more, not due before next year. Returns the due ones' ids."""
    due_ids = [start(db, settings, tmp) for _ in range(due)]
    template = start(db, settings, tmp)
    next_year = LATER + timedelta(days=365)
    with db.write() as uow:
        uow.watch.plan(template, next_year)
    Product(settings, db).clone_waiting(template, in_progress - due - 1, next_check_at=next_year)
    return due_ids


def sweep_statements(db: Database, settings: Settings, tmp: Path, *, in_progress: int) -> list[str]:
    populated(db, settings, tmp, in_progress=in_progress)
    with statements(db) as sent:
        counts = watch_signoffs(db, settings, now=LATER)
    assert (counts.reminders.signoffs, counts.reminders.reminders) == (3, 6)
    return sent


def test_the_watcher_sends_as_many_statements_among_1000_in_progress_as_among_100(
    database: Database, settings: Settings, tmp_path: Path
) -> None:
    hundred = sweep_statements(database, settings, tmp_path, in_progress=100)
    with database.transaction() as connection:
        connection.execute(signoffs.update().values(state="approved", next_check_at=None))
    thousand = sweep_statements(database, settings, tmp_path, in_progress=1000)
    assert len(thousand) == len(hundred)


def test_the_watchers_query_returns_only_the_due_sign_offs_and_leaves_the_others_as_they_were(
    database: Database, settings: Settings, tmp_path: Path
) -> None:
    due = populated(database, settings, tmp_path, in_progress=1000)
    with database.read() as uow:
        found = [signoff_id for _at, signoff_id in uow.watch.due(LATER, limit=500)]
    assert sorted(found) == sorted(due)
    watch_signoffs(database, settings, now=LATER)
    query = select(signoffs.c.next_check_at, func.count()).group_by(signoffs.c.next_check_at)
    with database.transaction() as connection:
        checks = dict(connection.execute(query).all())
    assert checks[LATER + timedelta(days=365)] == 997  # the others: untouched
    assert [at > LATER for at in checks if at != LATER + timedelta(days=365)] == [True]  # the due: re-planned
    with database.read() as uow:
        assert uow.watch.due(LATER, limit=500) == []


def test_a_swept_sign_off_is_next_looked_at_when_its_first_reminder_is_due(
    database: Database, settings: Settings, tmp_path: Path
) -> None:
    signoff_id = start(database, settings, tmp_path)
    watch_signoffs(database, settings, now=OPENED)
    with database.transaction() as connection:
        stored = connection.execute(
            select(signoffs.c.next_check_at).where(signoffs.c.id == signoff_id)
        ).scalar()
    assert stored == datetime(2026, 3, 25, 9, 0, tzinfo=UTC)  # Wednesday, 09:00 GMT


def test_two_watchers_at_once_never_send_a_reminder_twice(
    database: Database, settings: Settings, tmp_path: Path
) -> None:
    due = populated(database, settings, tmp_path, in_progress=40, due=12)
    results: list[ReminderCounts] = []
    barrier = threading.Barrier(4)

    def watcher() -> None:
        barrier.wait()
        results.append(send_due_reminders(database, settings, now=LATER))

    threads = [threading.Thread(target=watcher) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    query = select(outbox.c.dedupe_key).where(outbox.c.kind == "reminder")
    with database.transaction() as connection:
        keys = list(connection.execute(query).scalars())
    assert sum(r.errors for r in results) == 0
    assert sum(r.signoffs for r in results) == len(due)  # each due sign-off looked at by one watcher
    assert sum(r.reminders for r in results) == len(keys) == len(set(keys)) == 2 * len(due)


def test_the_rag_is_next_checked_on_the_day_it_changes_as_the_days_pass(
    database: Database, settings: Settings, tmp_path: Path
) -> None:
    signoff_id = start(database, settings, tmp_path, route=ROUTE)
    with database.read() as uow:
        signoff = uow.signoffs.get(signoff_id)
    today = OPENED.date()
    rag = key_dates_of(signoff, today=today).rag
    look = rag_look(signoff, rag, today=today)
    assert look.stale is False
    assert look.changes is not None
    assert key_dates_of(signoff, today=look.changes - timedelta(days=1)).rag == rag
    assert key_dates_of(signoff, today=look.changes).rag != rag


def test_a_route_version_is_parsed_once_across_many_transactions_and_databases(
    database: Database, settings: Settings, tmp_path: Path
) -> None:
    text = SPINE_ROUTE.read_text() + f"# version {secrets.token_hex(8)}\n"
    parsed_before = database.routes.parsed
    signoff_id = start_spine_signoff(database, settings, now=OPENED, tmp=tmp_path, route_text=text)
    another = Database(str(database.engine.url.render_as_string(hide_password=False)))
    for db in (database, another) * 10:
        with db.read() as uow:
            assert uow.signoffs.get(signoff_id).route.id == "spine-test-route"
    another.dispose()
    assert database.routes.parsed - parsed_before == 1
