"""The fake store's data, and the fake sign-off and link repositories."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING

from governance.domain.audit_chain import AuditEntry
from governance.domain.signoff import SignOff, SignOffState
from governance.services.access_ports import StoredAccount
from governance.services.loop_ports import Absence, DocumentVersion
from governance.services.ports import SignOffNotFound
from governance.services.stored_records import (
    PENDING,
    SENDING,
    NewNotification,
    NewNudge,
    SignOffLine,
    SignOffRecord,
    SignOffToAdvance,
    StoredLink,
    route_sha256,
)
from governance.services.story_ports import StoryRecord
from governance.services.watch_ports import LOOK_AT_NEXT_RUN, next_check_on_save

if TYPE_CHECKING:
    from tests.fakes.unit_of_work import FakeUnitOfWork


class ReadOnlyViolation(AssertionError):
    """A service wrote inside a read unit of work."""


@dataclass
class FakeSignOffRow:
    signoff: SignOff
    route_yaml: str
    document_filename: str
    document_path: str
    pending_advance: bool = True
    completed_at: datetime | None = None
    rag: str | None = None
    next_check_at: datetime | None = LOOK_AT_NEXT_RUN


@dataclass
class FakeOutboxRow:
    id: int
    new: NewNotification
    state: str = PENDING
    attempts: int = 0
    next_attempt_at: datetime | None = None
    claimed_until: datetime | None = None
    last_error: str | None = None
    refused: dict[str, str] = field(default_factory=dict)
    sent_at: datetime | None = None

    def due(self, now: datetime) -> bool:
        if self.state == PENDING:
            return self.next_attempt_at is not None and self.next_attempt_at <= now
        return self.state == SENDING and self.claimed_until is not None and self.claimed_until < now


@dataclass
class FakeNudgeRow:
    key: str
    nudge: NewNudge
    at: datetime
    outbox_id: int | None = None


@dataclass(frozen=True)
class FakeSignInLink:
    email: str
    purpose: str
    expires: datetime
    used_at: datetime | None = None

    def live(self, *, purpose: str, now: datetime) -> bool:
        return self.purpose == purpose and self.used_at is None and self.expires > now


@dataclass
class FakeData:
    signoffs: dict[str, FakeSignOffRow] = field(default_factory=dict)
    links: dict[str, StoredLink] = field(default_factory=dict)
    outbox: list[FakeOutboxRow] = field(default_factory=list)
    nudges: list[FakeNudgeRow] = field(default_factory=list)
    accounts: dict[str, StoredAccount] = field(default_factory=dict)  # by lower-case email
    sign_in_links: dict[str, FakeSignInLink] = field(default_factory=dict)  # by token hash
    audit: dict[str, list[AuditEntry]] = field(default_factory=dict)  # by chain
    versions: dict[str, list[DocumentVersion]] = field(default_factory=dict)  # by sign-off
    absences: list[Absence] = field(default_factory=list)
    stories: dict[str, StoryRecord] = field(default_factory=dict)  # what Prefect was told, by sign-off

    def copied(self) -> FakeData:
        """A deep copy sharing the (frozen) routes, as a new transaction sees the data."""
        memo = {id(row.signoff.route): row.signoff.route for row in self.signoffs.values()}
        return copy.deepcopy(self, memo)


class Repository:
    def __init__(self, uow: FakeUnitOfWork) -> None:
        self._uow = uow

    @property
    def data(self) -> FakeData:
        return self._uow.data

    def writing(self) -> FakeData:
        if self._uow.read_only:
            msg = "a service wrote inside a read unit of work"
            raise ReadOnlyViolation(msg)
        return self._uow.data


class FakeSignOffs(Repository):
    def add(self, signoff: SignOff, *, route_yaml: str, document_filename: str, document_path: str) -> None:
        row = FakeSignOffRow(
            copy.deepcopy(signoff, {id(signoff.route): signoff.route}),
            route_yaml,
            document_filename,
            document_path,
        )
        self.writing().signoffs[signoff.id] = row

    def _row(self, signoff_id: str) -> FakeSignOffRow:
        if signoff_id not in self.data.signoffs:
            raise SignOffNotFound(signoff_id)
        return self.data.signoffs[signoff_id]

    def get(self, signoff_id: str, *, for_update: bool = False) -> SignOff:
        del for_update  # units of work here never overlap: there is nothing to lock
        signoff = self._row(signoff_id).signoff
        return copy.deepcopy(signoff, {id(signoff.route): signoff.route})

    def get_with_record(self, signoff_id: str, *, for_update: bool = False) -> tuple[SignOff, SignOffRecord]:
        return self.get(signoff_id, for_update=for_update), self.record(signoff_id)

    def record(self, signoff_id: str) -> SignOffRecord:
        row = self._row(signoff_id)
        return SignOffRecord(
            signoff_id,
            row.document_filename,
            row.document_path,
            row.completed_at,
            row.rag,
            route_sha256=route_sha256(row.route_yaml),
        )

    def save(self, signoff: SignOff, *, pending_advance: bool, completed_at: datetime | None = None) -> None:
        self.writing()
        row = self._row(signoff.id)
        row.signoff = copy.deepcopy(signoff, {id(signoff.route): signoff.route})
        row.pending_advance = pending_advance
        row.next_check_at = next_check_on_save(signoff.state)
        if completed_at is not None:
            row.completed_at = completed_at

    def set_rag(self, signoff_id: str, rag: str) -> None:
        self.writing()
        self._row(signoff_id).rag = rag

    def _by_age(self) -> list[FakeSignOffRow]:
        return sorted(self.data.signoffs.values(), key=lambda row: row.signoff.created_at)

    def listing(self) -> list[SignOffLine]:
        return [
            SignOffLine(s.id, s.title, s.state.value, s.route.id, s.lead, s.created_at, s.target, row.rag)
            for row in reversed(self._by_age())
            if (s := row.signoff)
        ]

    def in_progress_ids(self) -> list[str]:
        return [r.signoff.id for r in self._by_age() if r.signoff.state is SignOffState.IN_PROGRESS]

    def in_progress_titled(self, title: str) -> str | None:
        running = self.in_progress_ids()
        return next((i for i in running if self.data.signoffs[i].signoff.title == title), None)

    def waiting_to_advance(self) -> list[SignOffToAdvance]:
        return [
            SignOffToAdvance(
                r.signoff.id, r.signoff.title, any(p.opened_at for p in r.signoff.stages.values())
            )
            for r in self._by_age()
            if r.pending_advance
        ]

    def titles(self, signoff_ids: Sequence[str]) -> dict[str, str]:
        return {i: self.data.signoffs[i].signoff.title for i in signoff_ids if i in self.data.signoffs}

    def ids_starting_with(self, prefix: str, *, limit: int) -> list[str]:
        return sorted(i for i in self.data.signoffs if i.startswith(prefix))[:limit]


class FakeLinks(Repository):
    def add(self, link: StoredLink) -> None:
        self.writing().links[link.token_hash] = link

    def find(self, token_hash: str) -> StoredLink | None:
        return self.data.links.get(token_hash)

    def mark_used(self, token_hash: str, *, now: datetime) -> None:
        links = self.writing().links
        links[token_hash] = replace(links[token_hash], used_at=now)

    def replace_earlier(
        self, signoff_id: str, stage_id: str, reviewer: str, *, now: datetime, purpose: str = "decide"
    ) -> int:
        links = self.writing().links
        mine = (signoff_id, stage_id, reviewer, purpose)
        live = [
            key
            for key, link in links.items()
            if (link.signoff_id, link.stage_id, link.reviewer, link.purpose) == mine
            and link.used_at is None
            and link.revoked_at is None
            and link.replaced_at is None
        ]
        for key in live:
            links[key] = replace(links[key], replaced_at=now)
        return len(live)

    def revoke_unused(self, signoff_id: str, *, now: datetime, stage_id: str | None = None) -> None:
        links = self.writing().links
        for key, link in links.items():
            unused = link.used_at is None and link.revoked_at is None and link.purpose != "ratify"
            if unused and link.signoff_id == signoff_id and stage_id in (None, link.stage_id):
                links[key] = replace(link, revoked_at=now)
