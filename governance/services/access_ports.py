"""What signing in and the audit trail need from storage (typing.Protocol), and the records they use."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from governance.domain.access import Account, SignInRecord
from governance.domain.audit_chain import AuditEntry, AuditFacts

ACCESS_CHAIN = "access"  # the audit chain of sign-ins and other events that belong to no sign-off


@dataclass(frozen=True)
class StoredAccount:
    account: Account
    password_hash: str | None
    record: SignInRecord
    created_at: datetime


class Accounts(Protocol):
    """People who may sign in, their password hashes, their recent failures, their one-time links."""

    def add(self, account: Account, *, password_hash: str | None, now: datetime) -> bool:
        """Store a new account; False when there is one for that email already."""

    def get(self, email: str) -> StoredAccount | None:
        """The account for ``email`` (any case), if any."""

    def all(self) -> list[StoredAccount]:
        """Every account, by email."""

    def remove(self, email: str) -> bool:
        """Remove an account and its links; False when there was none."""

    def record_attempt(self, email: str, record: SignInRecord) -> None:
        """Store the account's failures and lock-out after a sign-in attempt."""

    def set_password_hash(self, email: str, password_hash: str) -> None:
        """Replace the account's password hash."""

    def add_link(
        self, token_hash: str, *, email: str, purpose: str, now: datetime, expires: datetime
    ) -> None:
        """Store a one-time link (by its token's hash)."""

    def use_link(self, token_hash: str, *, purpose: str, now: datetime) -> str | None:
        """Spend a live one-time link once: the email it was for, else None."""

    def link_is_live(self, token_hash: str, *, purpose: str, now: datetime) -> bool:
        """Whether the link exists, is unused and has not expired."""


class AuditLog(Protocol):
    """The append-only audit log: hash-chained entries, one chain per sign-off (and one for access)."""

    def append(self, chain: str, facts: AuditFacts) -> AuditEntry:
        """Add ``facts`` as the next entry of ``chain``."""

    def entries(self, chain: str) -> list[AuditEntry]:
        """Every entry of ``chain`` in sequence order."""

    def chains(self) -> list[str]:
        """Every chain, in the order it was begun."""
