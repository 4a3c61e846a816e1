"""Engines and migrations. SQLite gets WAL; its writing transactions lock at once so racing writers
queue, and its reading ones stay deferred so they never wait for a writer nor make one wait."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect

MIGRATIONS = Path(__file__).parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 30_000
READ_ONLY_OPTION = "signoff_read_only"  # execution option a read unit of work sets on its connection


def make_engine(url: str) -> Engine:
    """An engine for ``url``; on SQLite a writing transaction begins IMMEDIATE (see TESTING-NOTES),
    one on a connection marked read-only begins deferred, with writes refused (``query_only``)."""
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True)
    engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # let the BEGIN below be the only one
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        read_only = bool(connection.get_execution_options().get(READ_ONLY_OPTION))
        connection.exec_driver_sql(f"PRAGMA query_only={'ON' if read_only else 'OFF'}")
        connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")

    return engine


def alembic_config(url: str) -> Any:
    """The alembic configuration for this project's migrations against ``url``."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def migrate(engine: Engine, revision: str = "head") -> None:
    """Bring the schema up to ``revision`` (a no-op when it is at the newest already)."""
    _alembic(engine, "upgrade", revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Take the schema back down to ``revision`` (for tests of the migrations)."""
    _alembic(engine, "downgrade", revision)


def _alembic(engine: Engine, action: str, revision: str) -> None:
    """Run alembic's ``action`` in one transaction. On SQLite a migration that rebuilds a table others
    point at (batch mode copies it and drops the old one) would fail with foreign keys on, so they are
    off while it runs, every key is checked before the commit, and they are on again after."""
    from alembic import command

    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            _sqlite_foreign_keys(connection, on=False)
        try:
            with connection.begin():
                if action == "upgrade" and revision == "head" and _is_current(connection):
                    return
                config = alembic_config(str(engine.url))
                config.attributes["connection"] = connection
                getattr(command, action)(config, revision)
                if sqlite:
                    _refuse_broken_keys(connection)
        finally:
            if sqlite:
                _sqlite_foreign_keys(connection, on=True)


def _sqlite_foreign_keys(connection: Connection, *, on: bool) -> None:
    """Outside any transaction (SQLite ignores the pragma inside one), on the driver's connection."""
    driver = connection.connection.driver_connection
    if driver is not None:
        driver.execute(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")


def _refuse_broken_keys(connection: Connection) -> None:
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
    if broken:
        msg = f"the migration left rows whose foreign keys point nowhere: {broken[:5]}"
        raise RuntimeError(msg)


def _is_current(connection: Any) -> bool:
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    if not inspect(connection).has_table("alembic_version"):
        return False
    heads = set(ScriptDirectory(str(MIGRATIONS)).get_heads())
    return set(MigrationContext.configure(connection).get_current_heads()) == heads
