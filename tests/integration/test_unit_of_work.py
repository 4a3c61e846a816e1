"""The SQLAlchemy unit of work: commit or roll back, read-only reads, routes parsed once."""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.exc import DBAPIError

from governance.adapters.database.database import Database
from governance.domain.rules import Verdict
from governance.entrypoints.status_json import status_to_json
from governance.services.signoffs import advance_signoff, decide_by_token
from governance.services.status import signoff_status
from tests.integration.signoffs_helpers import SPINE_ROUTE, links, start_spine_signoff

NOW = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
CHAIR = "chair@vcse.example.org"
# Far longer than a decision takes, far shorter than SQLite's 30 s busy timeout: a thread still
# running after this is waiting for a lock.
LOCK_WAIT_SECONDS = 20


def finishes_while(action: Callable[[], object]) -> list[object]:
    """Run ``action`` in another thread and wait for it (the caller holds a transaction open)."""
    results: list[object] = []
    thread = threading.Thread(target=lambda: results.append(action()))
    thread.start()
    thread.join(timeout=LOCK_WAIT_SECONDS)
    assert not thread.is_alive(), "the other transaction waited for a lock"
    return results


def test_a_route_version_is_parsed_once_for_every_unit_of_work_that_reads_it(database, settings, tmp_path):
    # A version of the spine route no other test has used: the parsed-route cache is the process's.
    text = SPINE_ROUTE.read_text() + f"# version {secrets.token_hex(8)}\n"
    parsed_before = database.routes.parsed
    signoff_id = start_spine_signoff(database, settings, now=NOW, tmp=tmp_path, route_text=text)
    for reviewer in (CHAIR, "coordinator@vcse.example.org"):
        token = links(database, settings, signoff_id)["vcse", reviewer]
        decide_by_token(database, token, verdict=Verdict.APPROVE, comment="", now=NOW, settings=settings)
    advance_signoff(database, settings, signoff_id, now=NOW + timedelta(minutes=1))
    status_to_json(signoff_status(database, signoff_id, now=NOW))
    assert database.routes.parsed - parsed_before == 1


def test_a_write_that_raises_is_rolled_back(database, settings, tmp_path):
    signoff_id = start_spine_signoff(database, settings, now=NOW, tmp=tmp_path)
    with database.read() as uow:
        before = uow.signoffs.record(signoff_id).rag

    def change_then_fail() -> None:
        with database.write() as uow:
            uow.signoffs.set_rag(signoff_id, "red")
            raise RuntimeError

    with pytest.raises(RuntimeError):
        change_then_fail()
    with database.read() as uow:
        assert uow.signoffs.record(signoff_id).rag == before != "red"


def test_a_read_unit_of_work_refuses_to_write(database, settings, tmp_path):
    signoff_id = start_spine_signoff(database, settings, now=NOW, tmp=tmp_path)
    with pytest.raises(DBAPIError), database.read() as uow:
        uow.signoffs.set_rag(signoff_id, "red")


@pytest.fixture
def sqlite(settings) -> Iterator[Database]:
    """SQLite only: PostgreSQL reads never took the write lock; SQLite's used to."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    db = Database(settings.sqlalchemy_url)
    db.migrate()
    yield db
    db.dispose()


def test_on_sqlite_a_decision_is_recorded_while_a_page_read_is_still_open(sqlite, settings, tmp_path):
    signoff_id = start_spine_signoff(sqlite, settings, now=NOW, tmp=tmp_path)
    token = links(sqlite, settings, signoff_id)["vcse", CHAIR]
    with sqlite.read() as uow:
        assert uow.signoffs.get(signoff_id).title
        (result,) = finishes_while(
            lambda: decide_by_token(
                sqlite, token, verdict=Verdict.APPROVE, comment="", now=NOW, settings=settings
            )
        )
    assert getattr(result, "recorded", False)


def test_on_sqlite_a_page_reads_while_a_decision_holds_the_write_lock(sqlite, settings, tmp_path):
    signoff_id = start_spine_signoff(sqlite, settings, now=NOW, tmp=tmp_path)
    with sqlite.write() as uow:
        uow.signoffs.set_rag(signoff_id, "amber")
        (status,) = finishes_while(lambda: status_to_json(signoff_status(sqlite, signoff_id, now=NOW)))
    assert isinstance(status, dict)
    assert status["id"] == signoff_id
