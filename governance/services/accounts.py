"""Use cases of signing in: accounts, passwords with lock-out, one-time sign-in and set-password links."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from governance.domain.access import Account, after_failure, after_success, is_locked
from governance.domain.audit_chain import AuditFacts, AuditKind
from governance.services.access_ports import ACCESS_CHAIN, StoredAccount
from governance.services.passwords import hash_password, password_matches, password_problem
from governance.services.ports import UnitOfWork, UnitsOfWork

SIGN_IN_LINK_LIFETIME = timedelta(hours=24)
SET_PASSWORD_LINK_LIFETIME = timedelta(days=7)


class LinkPurpose(StrEnum):
    SIGN_IN = "sign_in"
    SET_PASSWORD = "set_password"  # noqa: S105 - a purpose, not a password


class AccountProblem(ValueError):
    """Something about an account request that a person must fix; the message says what."""


@dataclass(frozen=True)
class Client:
    """Where a request came from, for the audit trail."""

    address: str = ""
    user_agent: str = ""


class SignIn(StrEnum):
    SIGNED_IN = "signed_in"
    REFUSED = "refused"  # unknown address or wrong password: one answer for both
    LOCKED = "locked"


@dataclass(frozen=True)
class SignInResult:
    outcome: SignIn
    account: Account | None = None


def add_account(uows: UnitsOfWork, account: Account, *, password: str | None, now: datetime) -> None:
    """A new account; without a password, its holder signs in by single sign-on or sets one by link."""
    if password is not None and (problem := password_problem(password)):
        raise AccountProblem(problem)
    hashed = hash_password(password) if password is not None else None
    with uows.write() as uow:
        added = uow.accounts.add(account, password_hash=hashed, now=now)
    if not added:
        msg = f"There is already an account for {account.email}."
        raise AccountProblem(msg)


def accounts(uows: UnitsOfWork) -> list[StoredAccount]:
    with uows.read() as uow:
        return uow.accounts.all()


def remove_account(uows: UnitsOfWork, email: str) -> bool:
    with uows.write() as uow:
        return uow.accounts.remove(email)


def account_of(uows: UnitsOfWork, email: str) -> Account | None:
    """The account a session belongs to, or None once it has been removed."""
    with uows.read() as uow:
        stored = uow.accounts.get(email)
    return stored.account if stored else None


def sign_in_with_password(
    uows: UnitsOfWork, email: str, password: str, *, now: datetime, client: Client
) -> SignInResult:
    """Check a password; repeated failures lock the account for a while, whatever is typed then."""
    with uows.write() as uow:
        stored = uow.accounts.get(email)
        if stored is None:
            password_matches(password, None)  # the same work as for a real account
            return SignInResult(SignIn.REFUSED)
        if is_locked(stored.record, now=now):
            return SignInResult(SignIn.LOCKED)
        if not password_matches(password, stored.password_hash):
            record = after_failure(stored.record, now=now)
            uow.accounts.record_attempt(stored.account.email, record)
            return SignInResult(SignIn.LOCKED if is_locked(record, now=now) else SignIn.REFUSED)
        uow.accounts.record_attempt(stored.account.email, after_success())
        record_sign_in(uow, stored.account, method="password", now=now, client=client)
    return SignInResult(SignIn.SIGNED_IN, stored.account)


def record_sign_in(uow: UnitOfWork, account: Account, *, method: str, now: datetime, client: Client) -> None:
    facts = AuditFacts(
        kind=AuditKind.SIGNED_IN,
        at=now,
        actor=account.email,
        client_address=client.address,
        user_agent=client.user_agent,
        details={"method": method, "role": account.role.value},
    )
    uow.audit.append(ACCESS_CHAIN, facts)


def signed_in_by_sso(uows: UnitsOfWork, email: str, *, now: datetime, client: Client) -> Account | None:
    """The account for an address the identity provider vouched for; None when there is none."""
    with uows.write() as uow:
        stored = uow.accounts.get(email) if email else None
        if stored is None:
            return None
        record_sign_in(uow, stored.account, method="single sign-on", now=now, client=client)
    return stored.account


def link_token_hash(token: str) -> str:
    return hashlib.sha256(f"sign-in-link:{token}".encode()).hexdigest()


def issue_link(uows: UnitsOfWork, email: str, purpose: LinkPurpose, *, now: datetime) -> str:
    """A one-time link token for ``email`` (only its hash is stored)."""
    token = secrets.token_urlsafe(32)
    lifetime = SIGN_IN_LINK_LIFETIME if purpose is LinkPurpose.SIGN_IN else SET_PASSWORD_LINK_LIFETIME
    with uows.write() as uow:
        uow.accounts.add_link(
            link_token_hash(token), email=email, purpose=purpose.value, now=now, expires=now + lifetime
        )
    return token


def link_is_live(uows: UnitsOfWork, token: str, purpose: LinkPurpose, *, now: datetime) -> bool:
    with uows.read() as uow:
        return uow.accounts.link_is_live(link_token_hash(token), purpose=purpose, now=now)


def sign_in_by_link(uows: UnitsOfWork, token: str, *, now: datetime, client: Client) -> Account | None:
    """Spend a one-time sign-in link; None when it is unknown, used or expired."""
    with uows.write() as uow:
        email = uow.accounts.use_link(link_token_hash(token), purpose=LinkPurpose.SIGN_IN, now=now)
        stored = uow.accounts.get(email) if email else None
        if stored is None:
            return None
        record_sign_in(uow, stored.account, method="one-time link", now=now, client=client)
    return stored.account


def set_password_by_link(uows: UnitsOfWork, token: str, password: str, *, now: datetime) -> str | None:
    """Spend a set-password link; the account's email, or None when the link does not work."""
    if problem := password_problem(password):
        raise AccountProblem(problem)
    with uows.write() as uow:
        email = uow.accounts.use_link(link_token_hash(token), purpose=LinkPurpose.SET_PASSWORD, now=now)
        if email is None or uow.accounts.get(email) is None:
            return None
        uow.accounts.set_password_hash(email, hash_password(password))
        uow.accounts.record_attempt(email, after_success())
    return email
