"""The fake unit of work and the store it comes from."""

from __future__ import annotations

from types import TracebackType
from typing import Self

from governance.services.ports import UnitsOfWork
from tests.fakes.access import FakeAccounts, FakeAuditLog
from tests.fakes.data import FakeData, FakeLinks, FakeSignOffs
from tests.fakes.loop import FakeAbsences, FakeDelegations, FakeVersions
from tests.fakes.outbox import FakeOutbox, FakeReminders
from tests.fakes.overview import FakeOverview
from tests.fakes.story import FakeStories
from tests.fakes.watch import FakeWatch


class FakeUnitOfWork:
    """One transaction over the fake repositories: a private copy, published on a clean exit."""

    def __init__(self, store: FakeStore, *, read_only: bool) -> None:
        self.store = store
        self.read_only = read_only
        self.data = FakeData()
        self.signoffs = FakeSignOffs(self)
        self.links = FakeLinks(self)
        self.outbox = FakeOutbox(self)
        self.reminders = FakeReminders(self)
        self.accounts = FakeAccounts(self)
        self.audit = FakeAuditLog(self)
        self.versions = FakeVersions(self)
        self.absences = FakeAbsences(self)
        self.delegations = FakeDelegations(self)
        self.overview = FakeOverview(self)
        self.stories = FakeStories(self)
        self.watch = FakeWatch(self)

    def __enter__(self) -> Self:
        self.data = self.store.data.copied()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if exc_type is None and not self.read_only:
            self.store.data = self.data
            self.store.commits += 1


class FakeStore:
    """Where fake units of work come from (stands where a Database stands in production)."""

    def __init__(self) -> None:
        self.data = FakeData()
        self.commits = 0
        self.reads = 0

    def write(self) -> FakeUnitOfWork:
        return FakeUnitOfWork(self, read_only=False)

    def read(self) -> FakeUnitOfWork:
        self.reads += 1
        return FakeUnitOfWork(self, read_only=True)

    def ping(self) -> None:
        return None

    def committed(self) -> FakeUnitOfWork:
        """A read unit of work over what has been committed, for tests to look at."""
        return self.read()


def _conforms(store: FakeStore) -> UnitsOfWork:
    """Type-checked: the fake implements the same ports as the database."""
    return store
