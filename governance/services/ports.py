"""What the services need from storage: a unit of work and its repositories (typing.Protocol).

The transaction rule, stated once: a unit of work from ``write()`` commits when its ``with`` block
ends normally and rolls back when it raises; one from ``read()`` never writes and never commits.
On SQLite a write unit of work takes the write lock when it begins (so racing writers queue
instead of failing); a read one takes no lock and neither waits for nor delays a writer.

The adapters under ``governance.adapters.database`` implement these; ``tests/fakes.py`` holds an
in-memory implementation for fast tests of the services.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from types import TracebackType
from typing import Protocol, Self

from governance.domain.signoff import SignOff
from governance.services.access_ports import Accounts, AuditLog
from governance.services.loop_ports import Absences, Delegations, Versions
from governance.services.overview_ports import Overview
from governance.services.stored_records import (
    NewNotification,
    NewNudge,
    Notification,
    NudgeRecord,
    OutboxEntry,
    SignOffLine,
    SignOffRecord,
    SignOffToAdvance,
    StoredLink,
)
from governance.services.story_ports import Stories
from governance.services.watch_ports import Watch


class SignOffNotFound(LookupError):
    def __init__(self, signoff_id: str) -> None:
        super().__init__(f"no sign-off with id {signoff_id!r}")
        self.signoff_id = signoff_id


class SignOffs(Protocol):
    """Sign-off aggregates, and the few facts about them kept beside the aggregate."""

    def add(self, signoff: SignOff, *, route_yaml: str, document_filename: str, document_path: str) -> None:
        """Store a new sign-off and its stages, waiting for its first ``advance``."""

    def get(self, signoff_id: str, *, for_update: bool = False) -> SignOff:
        """The aggregate with its stages and decisions (SignOffNotFound when unknown).

        ``for_update`` holds the sign-off until the unit of work ends, so changes to it queue."""

    def record(self, signoff_id: str) -> SignOffRecord:
        """The sign-off's document file, completion time and stored RAG (SignOffNotFound when unknown)."""

    def get_with_record(self, signoff_id: str, *, for_update: bool = False) -> tuple[SignOff, SignOffRecord]:
        """``get`` and ``record`` together, from one read of the sign-off."""

    def save(self, signoff: SignOff, *, pending_advance: bool, completed_at: datetime | None = None) -> None:
        """Write back what changed since it was read: its state, changed stages, new decisions."""

    def set_rag(self, signoff_id: str, rag: str) -> None:
        """Store the RAG last worked out for the sign-off."""

    def listing(self) -> list[SignOffLine]:
        """A line per sign-off, newest first."""

    def in_progress_ids(self) -> list[str]:
        """Ids of the sign-offs still in progress, oldest first."""

    def in_progress_titled(self, title: str) -> str | None:
        """The id of a sign-off in progress with this title, if there is one."""

    def waiting_to_advance(self) -> list[SignOffToAdvance]:
        """Sign-offs with a change the orchestrator has not yet acted on, oldest first."""

    def titles(self, signoff_ids: Sequence[str]) -> dict[str, str]:
        """Document titles by sign-off id."""

    def ids_starting_with(self, prefix: str, *, limit: int) -> list[str]:
        """Up to ``limit`` sign-off ids that begin with ``prefix`` (``LIKE 'prefix%'``), in id order."""


class Links(Protocol):
    """Emailed action links, kept by the hash of their token only."""

    def add(self, link: StoredLink) -> None:
        """Store a newly issued link."""

    def find(self, token_hash: str) -> StoredLink | None:
        """The link whose token has this hash, if any."""

    def mark_used(self, token_hash: str, *, now: datetime) -> None:
        """Record that the link has recorded its decision."""

    def replace_earlier(
        self, signoff_id: str, stage_id: str, reviewer: str, *, now: datetime, purpose: str = "decide"
    ) -> int:
        """Mark the reviewer's live links for the stage replaced; how many were."""

    def revoke_unused(self, signoff_id: str, *, now: datetime, stage_id: str | None = None) -> None:
        """Withdraw the sign-off's (or one stage's) links not used or withdrawn yet."""


class Outbox(Protocol):
    """Notifications queued with the change that causes them, and their delivery state."""

    def is_queued(self, dedupe_key: str) -> bool:
        """Whether a notification with this key was ever queued."""

    def add(self, notification: NewNotification) -> None:
        """Queue a notification, due at once."""

    def signoffs_with_due(self, *, now: datetime) -> list[str | None]:
        """Sign-offs with notifications ready to send (None: ones tied to no sign-off)."""

    def claim_due(
        self, *, now: datetime, lease: timedelta, signoff_id: str | None = None, limit: int = 50
    ) -> list[Notification]:
        """Claim notifications ready to send for ``lease``; two claimers never win the same one."""

    def mark_sent(self, notification_id: int, *, now: datetime, refused: dict[str, str]) -> None:
        """Record a delivery (``refused``: recipients the server turned down, with its replies)."""

    def mark_failed(self, notification_id: int, *, reply: str, refused: dict[str, str]) -> None:
        """Record that the notification will not be sent."""

    def retry_later(self, notification_id: int, *, at: datetime, reply: str, refused: dict[str, str]) -> None:
        """Put a claimed notification back in the queue, due at ``at``."""

    def requeue_failed(self, notification_id: int, *, now: datetime) -> bool:
        """Queue a failed notification again now; False when it is not a failed one."""

    def sent_at(self, message_id: str) -> datetime | None:
        """When the email with this Message-ID was handed to the mail server, if it was."""

    def state_of(self, notification_id: int) -> str | None:
        """The notification's state, or None when there is no such notification."""

    def failed_count(self, *, signoff_id: str | None = None) -> int:
        """How many notifications have failed (all, or one sign-off's)."""

    def listing(self, *, states: Sequence[str], signoff_id: str | None = None) -> list[OutboxEntry]:
        """Notifications in ``states``, oldest first."""


class Reminders(Protocol):
    """The record of reminders, escalations and stall notices queued per stage."""

    def of_signoff(self, signoff_id: str) -> list[NudgeRecord]:
        """Every nudge of a sign-off, oldest first, with its email's delivery state."""

    def record_once(self, nudge: NewNudge, *, key: str, now: datetime, queue: Callable[[], object]) -> bool:
        """Record ``nudge`` under ``key`` and run ``queue`` together; False when ``key`` is taken.

        Either both happen or neither: a key taken meanwhile (by a concurrent run) undoes only
        this nudge, and the unit of work carries on."""


class UnitOfWork(Protocol):
    """One transaction over every repository (see the module docstring for when it commits)."""

    @property
    def signoffs(self) -> SignOffs: ...

    @property
    def links(self) -> Links: ...

    @property
    def outbox(self) -> Outbox: ...

    @property
    def reminders(self) -> Reminders: ...

    @property
    def accounts(self) -> Accounts: ...

    @property
    def audit(self) -> AuditLog: ...

    @property
    def versions(self) -> Versions: ...

    @property
    def absences(self) -> Absences: ...

    @property
    def delegations(self) -> Delegations: ...

    @property
    def stories(self) -> Stories: ...

    @property
    def overview(self) -> Overview: ...

    @property
    def watch(self) -> Watch: ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None: ...


class UnitsOfWork(Protocol):
    """Where units of work come from: what services take instead of a database."""

    def write(self) -> UnitOfWork:
        """A unit of work that may change things; commits when its block ends normally."""

    def read(self) -> UnitOfWork:
        """A read-only unit of work that neither waits for nor delays a writer."""

    def ping(self) -> None:
        """Raise unless the storage answers."""
