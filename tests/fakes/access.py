"""The fake accounts (with their one-time links) and the fake audit log."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from governance.domain.access import Account, SignInRecord
from governance.domain.audit_chain import AuditEntry, AuditFacts, next_entry
from governance.services.access_ports import StoredAccount
from tests.fakes.data import FakeSignInLink, Repository


class FakeAccounts(Repository):
    def add(self, account: Account, *, password_hash: str | None, now: datetime) -> bool:
        accounts = self.writing().accounts
        email = account.email.lower()
        if email in accounts:
            return False
        stored = replace(account, email=email)
        accounts[email] = StoredAccount(stored, password_hash, SignInRecord(0, None), now)
        return True

    def get(self, email: str) -> StoredAccount | None:
        return self.data.accounts.get(email.lower())

    def all(self) -> list[StoredAccount]:
        return [self.data.accounts[email] for email in sorted(self.data.accounts)]

    def remove(self, email: str) -> bool:
        data = self.writing()
        data.sign_in_links = {k: v for k, v in data.sign_in_links.items() if v.email != email.lower()}
        return data.accounts.pop(email.lower(), None) is not None

    def record_attempt(self, email: str, record: SignInRecord) -> None:
        accounts = self.writing().accounts
        accounts[email.lower()] = replace(accounts[email.lower()], record=record)

    def set_password_hash(self, email: str, password_hash: str) -> None:
        accounts = self.writing().accounts
        accounts[email.lower()] = replace(accounts[email.lower()], password_hash=password_hash)

    def add_link(
        self, token_hash: str, *, email: str, purpose: str, now: datetime, expires: datetime
    ) -> None:
        del now  # the fake keeps only what deciding a link's life needs
        self.writing().sign_in_links[token_hash] = FakeSignInLink(email.lower(), purpose, expires)

    def use_link(self, token_hash: str, *, purpose: str, now: datetime) -> str | None:
        links = self.writing().sign_in_links
        link = links.get(token_hash)
        if link is None or not link.live(purpose=purpose, now=now):
            return None
        links[token_hash] = replace(link, used_at=now)
        return link.email

    def link_is_live(self, token_hash: str, *, purpose: str, now: datetime) -> bool:
        link = self.data.sign_in_links.get(token_hash)
        return link is not None and link.live(purpose=purpose, now=now)


class FakeAuditLog(Repository):
    def append(self, chain: str, facts: AuditFacts) -> AuditEntry:
        entries = self.writing().audit.setdefault(chain, [])
        entry = next_entry(chain, entries[-1] if entries else None, facts)
        entries.append(entry)
        return entry

    def entries(self, chain: str) -> list[AuditEntry]:
        return list(self.data.audit.get(chain, []))

    def chains(self) -> list[str]:
        return list(self.data.audit)
