"""The port the watcher finds its work through: each running sign-off's next check, stored and indexed.

Saving a sign-off sets its next check to ``LOOK_AT_NEXT_RUN`` (a change may make a nudge owed at once;
the watcher works out when the next one is owed and stores that) and clears it once the sign-off has
ended. The watcher reads only the sign-offs whose next check has come, so its cost grows with the work
it finds, not with the number of sign-offs in progress.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Protocol

from governance.domain.states import SignOffState

LOOK_AT_NEXT_RUN = datetime(1970, 1, 1, tzinfo=UTC)  # earlier than any run: the next one looks at it


def next_check_on_save(state: SignOffState) -> datetime | None:
    """What a save stores as the next check: the next run for a running sign-off, never once ended."""
    return LOOK_AT_NEXT_RUN if state is SignOffState.IN_PROGRESS else None


class Watch(Protocol):
    """Running sign-offs by the time the watcher must next look at them."""

    def due(
        self, now: datetime, *, limit: int, after: tuple[datetime, str] | None = None
    ) -> list[tuple[datetime, str]]:
        """Up to ``limit`` (next check, id) of running sign-offs due by ``now``, in that order,
        strictly after ``after`` (the last pair of the previous batch)."""

    def claim(self, signoff_id: str, *, now: datetime) -> bool:
        """In a write unit of work: lock the sign-off's row if it is still due by ``now`` and no other
        watcher holds it (``FOR UPDATE SKIP LOCKED`` on PostgreSQL); False leaves it to the other."""

    def plan(self, signoff_id: str, at: datetime | None) -> None:
        """Store when the watcher must next look at the sign-off (None: nothing is ever owed)."""
