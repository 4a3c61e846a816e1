"""Accounts and one-time sign-in links in the ``users`` and ``sign_in_links`` tables."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import Connection, Row, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from governance.adapters.database.access_tables import sign_in_links, users
from governance.domain.access import Account, Role, SignInRecord
from governance.services.access_ports import StoredAccount


class SqlAccounts:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def add(self, account: Account, *, password_hash: str | None, now: datetime) -> bool:
        row = {
            "email": account.email.lower(),
            "role": account.role.value,
            "organisations": json.dumps(list(account.organisations)),
            "password_hash": password_hash,
            "failed_attempts": 0,
            "created_at": now,
        }
        try:
            with self.connection.begin_nested():
                self.connection.execute(insert(users).values(**row))
        except IntegrityError:
            return False
        return True

    def get(self, email: str) -> StoredAccount | None:
        row = self.connection.execute(select(users).where(users.c.email == email.strip().lower())).first()
        return _stored(row) if row else None

    def all(self) -> list[StoredAccount]:
        return [_stored(row) for row in self.connection.execute(select(users).order_by(users.c.email))]

    def remove(self, email: str) -> bool:
        gone = self.connection.execute(delete(users).where(users.c.email == email.strip().lower()))
        self.connection.execute(delete(sign_in_links).where(sign_in_links.c.email == email.strip().lower()))
        return gone.rowcount > 0

    def record_attempt(self, email: str, record: SignInRecord) -> None:
        self.connection.execute(
            update(users)
            .where(users.c.email == email.lower())
            .values(failed_attempts=record.failed_attempts, locked_until=record.locked_until)
        )

    def set_password_hash(self, email: str, password_hash: str) -> None:
        self.connection.execute(
            update(users).where(users.c.email == email.lower()).values(password_hash=password_hash)
        )

    def add_link(
        self, token_hash: str, *, email: str, purpose: str, now: datetime, expires: datetime
    ) -> None:
        self.connection.execute(
            insert(sign_in_links).values(
                token_hash=token_hash,
                email=email.lower(),
                purpose=purpose,
                created_at=now,
                expires_at=expires,
            )
        )

    def use_link(self, token_hash: str, *, purpose: str, now: datetime) -> str | None:
        """Spend a one-time link once: the email it was for, or None (unknown, used or expired)."""
        spent = self.connection.execute(
            update(sign_in_links)
            .where(
                sign_in_links.c.token_hash == token_hash,
                sign_in_links.c.purpose == purpose,
                sign_in_links.c.used_at.is_(None),
                sign_in_links.c.expires_at > now,
            )
            .values(used_at=now)
            .returning(sign_in_links.c.email)
        ).first()
        return None if spent is None else str(spent.email)

    def link_is_live(self, token_hash: str, *, purpose: str, now: datetime) -> bool:
        row = self.connection.execute(
            select(sign_in_links.c.token_hash).where(
                sign_in_links.c.token_hash == token_hash,
                sign_in_links.c.purpose == purpose,
                sign_in_links.c.used_at.is_(None),
                sign_in_links.c.expires_at > now,
            )
        ).first()
        return row is not None


def _stored(row: Row[tuple[object, ...]]) -> StoredAccount:
    account = Account(row.email, Role(row.role), tuple(json.loads(row.organisations)))
    return StoredAccount(
        account, row.password_hash, SignInRecord(row.failed_attempts, row.locked_until), row.created_at
    )
