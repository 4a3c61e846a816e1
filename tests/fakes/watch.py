"""The fake of the watcher's index: each fake sign-off row's next check."""

from __future__ import annotations

from datetime import datetime

from governance.domain.signoff import SignOffState
from tests.fakes.data import Repository


class FakeWatch(Repository):
    def due(
        self, now: datetime, *, limit: int, after: tuple[datetime, str] | None = None
    ) -> list[tuple[datetime, str]]:
        found = sorted(
            (row.next_check_at, signoff_id)
            for signoff_id, row in self.data.signoffs.items()
            if row.next_check_at is not None
            and row.next_check_at <= now
            and row.signoff.state is SignOffState.IN_PROGRESS
        )
        return [pair for pair in found if after is None or pair > after][:limit]

    def claim(self, signoff_id: str, *, now: datetime) -> bool:
        del now  # units of work here never overlap: what ``due`` found is still due
        self.writing()
        return signoff_id in self.data.signoffs

    def plan(self, signoff_id: str, at: datetime | None) -> None:
        self.writing().signoffs[signoff_id].next_check_at = at
