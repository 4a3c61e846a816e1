"""The database handle the composition root passes to services: units of work, migrations."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, text

from governance.adapters.database.engine import make_engine, migrate
from governance.adapters.database.route_cache import SHARED
from governance.adapters.database.unit_of_work import SqlUnitOfWork


class Database:
    """One engine, and the process's cache of parsed routes for every unit of work it hands out."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self.routes = SHARED  # parsed routes are the same whichever database they came from

    def write(self) -> SqlUnitOfWork:
        """A unit of work that may change things (commits when its block ends normally)."""
        return SqlUnitOfWork(self.engine, self.routes, read_only=False)

    def read(self) -> SqlUnitOfWork:
        """A read-only unit of work that neither waits for nor delays a writer."""
        return SqlUnitOfWork(self.engine, self.routes, read_only=True)

    def ping(self) -> None:
        """Raise unless the database answers."""
        with self.read() as uow:
            uow.connection.execute(text("SELECT 1"))

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """A raw writing transaction, for migrations tooling and tests that inspect tables."""
        with self.write() as uow:
            yield uow.connection

    def migrate(self) -> None:
        migrate(self.engine)

    def dispose(self) -> None:
        self.engine.dispose()
