"""Who may see what, and when an account is locked: the rules of signing in, free of any framework."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

MAX_FAILED_SIGN_INS = 5
LOCK_OUT = timedelta(minutes=15)


class Role(StrEnum):
    OFFICER = "officer"  # sees and acts on every sign-off of their organisations
    LEAD = "lead"  # sees the sign-offs they lead


@dataclass(frozen=True)
class Account:
    """A person who signs in; an officer with no organisations sees every organisation."""

    email: str
    role: Role
    organisations: tuple[str, ...] = ()

    def may_see(self, *, organisation: str, lead: str) -> bool:
        """Whether this person may see (and act on) a sign-off of ``organisation`` led by ``lead``."""
        if self.role is Role.OFFICER:
            return not self.organisations or organisation in self.organisations
        return lead.casefold() == self.email.casefold()

    @property
    def is_officer(self) -> bool:
        return self.role is Role.OFFICER


@dataclass(frozen=True)
class SignInRecord:
    """An account's recent failures, as stored."""

    failed_attempts: int
    locked_until: datetime | None


def is_locked(record: SignInRecord, *, now: datetime) -> bool:
    """True while a lock-out is in force; a wrong or right password changes nothing then."""
    return record.locked_until is not None and now < record.locked_until


def after_failure(record: SignInRecord, *, now: datetime) -> SignInRecord:
    """One more failed attempt; the MAX_FAILED_SIGN_INS-th locks the account for LOCK_OUT."""
    failures = record.failed_attempts + 1
    if failures >= MAX_FAILED_SIGN_INS:
        return SignInRecord(0, now + LOCK_OUT)
    return SignInRecord(failures, None)


def after_success() -> SignInRecord:
    return SignInRecord(0, None)


def is_cross_site(*, origin: str | None, fetch_site: str | None, own_origins: Collection[str]) -> bool:
    """Whether a request's ``Origin`` / ``Sec-Fetch-Site`` show it came from another site.

    ``Sec-Fetch-Site`` decides when a browser sends it: pages sent with ``Referrer-Policy:
    no-referrer`` make Chromium send ``Origin: null`` on their own same-origin forms. Without it,
    an ``Origin`` other than ours (``null`` included) is another site's. A request with neither
    header (a script, an old browser) is not treated as cross-site.
    """
    if fetch_site is not None:
        return fetch_site.strip().lower() == "cross-site"
    if origin is None:
        return False
    return origin.strip().rstrip("/").lower() not in {o.rstrip("/").lower() for o in own_origins}
