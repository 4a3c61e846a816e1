"""The SQLAlchemy unit of work: one connection, one transaction, every repository on it.

A write unit of work commits when its block ends normally and rolls back when it raises; a read
one always rolls back. On SQLite a write begins IMMEDIATE (it queues behind another writer
instead of failing later) and a read begins deferred, so in WAL mode it reads a snapshot without
taking or waiting for the write lock. On PostgreSQL a read is a READ ONLY transaction.
"""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy import Connection, Engine, RootTransaction

from governance.adapters.database.account_repository import SqlAccounts
from governance.adapters.database.audit_repository import SqlAuditLog
from governance.adapters.database.delegation_repository import SqlDelegations
from governance.adapters.database.engine import READ_ONLY_OPTION
from governance.adapters.database.link_repository import SqlLinks
from governance.adapters.database.loop_repository import SqlAbsences, SqlVersions
from governance.adapters.database.outbox_repository import SqlOutbox
from governance.adapters.database.overview_repository import SqlOverview
from governance.adapters.database.reminder_repository import SqlReminders
from governance.adapters.database.route_cache import RouteCache
from governance.adapters.database.signoff_repository import SqlSignOffs
from governance.adapters.database.story_repository import SqlStories
from governance.adapters.database.watch_repository import SqlWatch


class SqlUnitOfWork:
    def __init__(self, engine: Engine, routes: RouteCache, *, read_only: bool) -> None:
        self._engine = engine
        self._routes = routes
        self.read_only = read_only
        self._connection: Connection | None = None
        self._transaction: RootTransaction | None = None

    def __enter__(self) -> Self:
        if self._connection is not None:
            msg = "a unit of work is used for one transaction only; ask for a new one"
            raise RuntimeError(msg)
        connection = self._engine.connect().execution_options(**{READ_ONLY_OPTION: self.read_only})
        self._connection = connection
        self._transaction = connection.begin()
        if self.read_only and connection.dialect.name == "postgresql":
            connection.exec_driver_sql("SET TRANSACTION READ ONLY")
        self._signoffs = SqlSignOffs(connection, self._routes)
        self._links = SqlLinks(connection)
        self._outbox = SqlOutbox(connection)
        self._reminders = SqlReminders(connection)
        self._accounts = SqlAccounts(connection)
        self._audit = SqlAuditLog(connection)
        self._versions = SqlVersions(connection)
        self._absences = SqlAbsences(connection)
        self._delegations = SqlDelegations(connection)
        self._stories = SqlStories(connection)
        self._watch = SqlWatch(connection)
        self._overview = SqlOverview(connection, self._routes)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        connection, transaction = self._connection, self._transaction
        if connection is None or transaction is None:
            return
        try:
            if exc_type is None and not self.read_only:
                transaction.commit()
            else:
                transaction.rollback()
        finally:
            connection.close()

    @property
    def connection(self) -> Connection:
        """The connection under this unit of work (for the adapters; services never need it)."""
        if self._connection is None:
            msg = "the unit of work has not begun: use it in a `with` block"
            raise RuntimeError(msg)
        return self._connection

    @property
    def signoffs(self) -> SqlSignOffs:
        self.connection  # noqa: B018 - fails clearly outside a `with` block
        return self._signoffs

    @property
    def links(self) -> SqlLinks:
        self.connection  # noqa: B018
        return self._links

    @property
    def outbox(self) -> SqlOutbox:
        self.connection  # noqa: B018
        return self._outbox

    @property
    def reminders(self) -> SqlReminders:
        self.connection  # noqa: B018
        return self._reminders

    @property
    def accounts(self) -> SqlAccounts:
        self.connection  # noqa: B018
        return self._accounts

    @property
    def audit(self) -> SqlAuditLog:
        self.connection  # noqa: B018
        return self._audit

    @property
    def versions(self) -> SqlVersions:
        self.connection  # noqa: B018
        return self._versions

    @property
    def absences(self) -> SqlAbsences:
        self.connection  # noqa: B018
        return self._absences

    @property
    def delegations(self) -> SqlDelegations:
        self.connection  # noqa: B018
        return self._delegations

    @property
    def overview(self) -> SqlOverview:
        self.connection  # noqa: B018
        return self._overview

    @property
    def stories(self) -> SqlStories:
        self.connection  # noqa: B018
        return self._stories

    @property
    def watch(self) -> SqlWatch:
        self.connection  # noqa: B018
        return self._watch
