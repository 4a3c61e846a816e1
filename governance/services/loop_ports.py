"""What the document loop needs from storage: versions of a document, absences and handovers
(typing.Protocol)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from governance.domain.handovers import Handover


@dataclass(frozen=True)
class DocumentVersion:
    """One version of a sign-off's document, as stored."""

    signoff_id: str
    version: int
    filename: str
    path: str
    sha256: str
    note: str
    at: datetime
    by: str
    change_summary: str = ""  # what changed since the version before, in words


@dataclass(frozen=True)
class Absence:
    """Someone away from ``starts`` to ``ends`` (London dates, inclusive), and who covers."""

    id: int
    person: str
    deputy: str
    starts: date
    ends: date
    by: str

    def covers(self, day: date) -> bool:
        return self.starts <= day <= self.ends


class Versions(Protocol):
    """Every version of each sign-off's document."""

    def add(self, version: DocumentVersion) -> None:
        """Store a version (the sign-off's current document moves to it)."""

    def of_signoff(self, signoff_id: str) -> list[DocumentVersion]:
        """The sign-off's versions, oldest first."""


class Absences(Protocol):
    """Recorded absences, across sign-offs."""

    def add(self, person: str, deputy: str, *, starts: date, ends: date, by: str, now: datetime) -> int:
        """Record an absence; its id."""

    def covering(self, people: tuple[str, ...], day: date) -> dict[str, Absence]:
        """The absence (if any) that covers ``day`` for each of ``people`` who is away then."""

    def listing(self, *, from_day: date | None = None) -> list[Absence]:
        """Absences ending on or after ``from_day`` (all when None), soonest first."""


class Delegations(Protocol):
    """Reviews handed on; the sign-off repository loads them into each stage's progress."""

    def add(self, signoff_id: str, stage_id: str, handover: Handover) -> None:
        """Store a handover made on the sign-off's stage."""
