"""The migrations on real SQLite and PostgreSQL: from an empty database to a schema that matches the
tables, and from 0008 or 0009 with sign-offs in it to 0010 (route versions, the watcher's next check)."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import func, inspect, select, text

from governance.adapters.database.database import Database
from governance.adapters.database.engine import downgrade, migrate
from governance.adapters.database.tables import metadata, route_versions, signoffs
from governance.entrypoints.status_json import status_to_json
from governance.services.signoffs import cancel_signoff
from governance.services.status import signoff_status
from governance.settings import Settings
from tests.integration.signoffs_helpers import SPINE_ROUTE, start_spine_signoff

NOW = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def revision(db: Database) -> str | None:
    with db.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def test_an_empty_database_migrates_to_a_schema_that_matches_the_tables(database: Database) -> None:
    assert revision(database) == "0010"
    with database.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), metadata)
    assert differences == []


def three_signoffs(db: Database, settings: Settings, tmp: Path) -> dict[str, str]:
    """Two on the spine route (one cancelled), one on another version of it: each one's route hash."""
    other = SPINE_ROUTE.read_text() + "# a later version\n"
    ids = [
        start_spine_signoff(db, settings, now=NOW, tmp=tmp),
        start_spine_signoff(db, settings, now=NOW, tmp=tmp, title="Second agreement"),
        start_spine_signoff(db, settings, now=NOW, tmp=tmp, title="Third agreement", route_text=other),
    ]
    cancel_signoff(db, settings, ids[1], now=NOW)
    return {i: status_to_json(signoff_status(db, i, now=NOW))["route_sha256"] for i in ids}


@pytest.mark.parametrize("start_at", ["0009", "0008"])
def test_sign_offs_stored_before_route_versions_keep_their_route_and_its_hash(
    database: Database, settings: Settings, tmp_path: Path, start_at: str
) -> None:
    hashes = three_signoffs(database, settings, tmp_path)
    downgrade(database.engine, start_at)
    with database.engine.connect() as connection:
        columns = {c["name"] for c in inspect(connection).get_columns("signoffs")}
        texts = dict(connection.execute(text("SELECT id, route_yaml FROM signoffs")).all())
    assert "route_yaml" in columns
    assert "route_sha256" not in columns
    assert {i: hashlib.sha256(t.encode()).hexdigest() for i, t in texts.items()} == hashes
    migrate(database.engine)
    assert revision(database) == "0010"
    with database.transaction() as connection:
        versions = connection.execute(select(func.count()).select_from(route_versions)).scalar()
        checks = dict(connection.execute(select(signoffs.c.id, signoffs.c.next_check_at)).all())
    assert versions == 2
    assert {i: status_to_json(signoff_status(database, i, now=NOW))["route_sha256"] for i in hashes} == hashes
    running = {i for i in hashes if signoff_status(database, i, now=NOW).state == "in_progress"}
    assert len(running) == 2
    assert {i: checks[i] for i in hashes} == {i: EPOCH if i in running else None for i in hashes}
