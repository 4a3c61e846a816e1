"""Use cases of signing in: accounts, passwords with lock-out, one-time sign-in and set-password links."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy.exc import IntegrityError

from governance.adapters.database.accounts import AccountRepository, StoredAccount
from governance.adapters.database.audit_log import ACCESS_CHAIN, AuditRepository
from governance.adapters.database.database import Database
from governance.adapters.passwords import hash_password, password_matches, password_problem
from governance.domain.access import Account, after_failure, after_success, is_locked
from governance.domain.audit_chain import AuditFacts, AuditKind

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


def add_account(db: Database, account: Account, *, password: str | None, now: datetime) -> None:
    """A new account; without a password, its holder signs in by single sign-on or sets one by link."""
    if password is not None and (problem := password_problem(password)):
        raise AccountProblem(problem)
    hashed = hash_password(password) if password is not None else None
    try:
        with db.transaction() as connection:
            AccountRepository(connection).add(account, password_hash=hashed, now=now)
    except IntegrityError:
        msg = f"There is already an account for {account.email}."
        raise AccountProblem(msg) from None


def accounts(db: Database) -> list[StoredAccount]:
    with db.transaction() as connection:
        return AccountRepository(connection).all()


def remove_account(db: Database, email: str) -> bool:
    with db.transaction() as connection:
        return AccountRepository(connection).remove(email)


def account_of(db: Database, email: str) -> Account | None:
    """The account a session belongs to, or None once it has been removed."""
    with db.transaction() as connection:
        stored = AccountRepository(connection).get(email)
    return stored.account if stored else None


@dataclass(frozen=True)
class SignInResult:
    outcome: SignIn
    account: Account | None = None


def sign_in_with_password(
    db: Database, email: str, password: str, *, now: datetime, client: Client
) -> SignInResult:
    """Check a password; repeated failures lock the account for a while, whatever is typed then."""
    with db.transaction() as connection:
        repository = AccountRepository(connection)
        stored = repository.get(email)
        if stored is None:
            password_matches(password, None)  # the same work as for a real account
            return SignInResult(SignIn.REFUSED)
        if is_locked(stored.record, now=now):
            return SignInResult(SignIn.LOCKED)
        if not password_matches(password, stored.password_hash):
            record = after_failure(stored.record, now=now)
            repository.record_attempt(stored.account.email, record)
            return SignInResult(SignIn.LOCKED if is_locked(record, now=now) else SignIn.REFUSED)
        repository.record_attempt(stored.account.email, after_success())
        record_sign_in(connection, stored.account, method="password", now=now, client=client)
    return SignInResult(SignIn.SIGNED_IN, stored.account)


def record_sign_in(
    connection: object, account: Account, *, method: str, now: datetime, client: Client
) -> None:
    facts = AuditFacts(
        kind=AuditKind.SIGNED_IN,
        at=now,
        actor=account.email,
        client_address=client.address,
        user_agent=client.user_agent,
        details={"method": method, "role": account.role.value},
    )
    AuditRepository(connection).append(ACCESS_CHAIN, facts)  # type: ignore[arg-type]


def signed_in_by_sso(db: Database, email: str, *, now: datetime, client: Client) -> Account | None:
    """The account for an address the identity provider vouched for; None when there is none."""
    with db.transaction() as connection:
        stored = AccountRepository(connection).get(email)
        if stored is None:
            return None
        record_sign_in(connection, stored.account, method="single sign-on", now=now, client=client)
    return stored.account


def link_token_hash(token: str) -> str:
    return hashlib.sha256(f"sign-in-link:{token}".encode()).hexdigest()


def issue_link(db: Database, email: str, purpose: LinkPurpose, *, now: datetime) -> str:
    """A one-time link token for ``email`` (only its hash is stored)."""
    token = secrets.token_urlsafe(32)
    lifetime = SIGN_IN_LINK_LIFETIME if purpose is LinkPurpose.SIGN_IN else SET_PASSWORD_LINK_LIFETIME
    with db.transaction() as connection:
        AccountRepository(connection).add_link(
            link_token_hash(token), email=email, purpose=purpose.value, now=now, expires=now + lifetime
        )
    return token


def link_is_live(db: Database, token: str, purpose: LinkPurpose, *, now: datetime) -> bool:
    with db.transaction() as connection:
        return AccountRepository(connection).link_is_live(link_token_hash(token), purpose=purpose, now=now)


def sign_in_by_link(db: Database, token: str, *, now: datetime, client: Client) -> Account | None:
    """Spend a one-time sign-in link; None when it is unknown, used or expired."""
    with db.transaction() as connection:
        repository = AccountRepository(connection)
        email = repository.use_link(link_token_hash(token), purpose=LinkPurpose.SIGN_IN, now=now)
        stored = repository.get(email) if email else None
        if stored is None:
            return None
        record_sign_in(connection, stored.account, method="one-time link", now=now, client=client)
    return stored.account


def set_password_by_link(db: Database, token: str, password: str, *, now: datetime) -> str | None:
    """Spend a set-password link; the account's email, or None when the link does not work."""
    if problem := password_problem(password):
        raise AccountProblem(problem)
    with db.transaction() as connection:
        repository = AccountRepository(connection)
        email = repository.use_link(link_token_hash(token), purpose=LinkPurpose.SET_PASSWORD, now=now)
        if email is None or repository.get(email) is None:
            return None
        repository.set_password_hash(email, hash_password(password))
        repository.record_attempt(email, after_success())
    return email
