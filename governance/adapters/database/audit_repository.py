"""The audit log in the database: entries appended to per-sign-off chains, read back for checking."""

from __future__ import annotations

import json
from contextlib import AbstractContextManager, nullcontext
from datetime import datetime

from sqlalchemy import Connection, Row, func, insert, select
from sqlalchemy.exc import IntegrityError

from governance.adapters.database.access_tables import audit_log
from governance.domain.audit_chain import AuditEntry, AuditFacts, next_entry

APPEND_TRIES = 5
INSERT = insert(audit_log)


class SqlAuditLog:
    """Appends to and reads the append-only ``audit_log`` within the unit of work's transaction."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def append(self, chain: str, facts: AuditFacts) -> AuditEntry:
        """Add ``facts`` as the next entry of ``chain``; a racing writer makes us take the next place."""
        for _ in range(APPEND_TRIES):
            entry = next_entry(chain, self.last(chain), facts)
            try:
                with self._guarded():
                    self.connection.execute(INSERT, _row_values(entry))  # compiled once
            except IntegrityError:
                continue  # another transaction took this place in the chain first
            return entry
        msg = f"could not append to the audit chain {chain!r} after {APPEND_TRIES} tries"
        raise RuntimeError(msg)

    def _guarded(self) -> AbstractContextManager[object]:
        """Where a refused insert leaves the transaction usable. PostgreSQL aborts the transaction on
        an error unless it was inside a savepoint; SQLite undoes only the statement that failed (and
        its writers queue for the database's one write lock, so it never races for a place)."""
        if self.connection.dialect.name == "sqlite":
            return nullcontext()
        return self.connection.begin_nested()

    def last(self, chain: str) -> AuditEntry | None:
        query = select(audit_log).where(audit_log.c.chain == chain).order_by(audit_log.c.sequence.desc())
        row = self.connection.execute(query.limit(1)).first()
        return _entry(row) if row else None

    def entries(self, chain: str) -> list[AuditEntry]:
        """Every entry of ``chain`` in sequence order."""
        query = select(audit_log).where(audit_log.c.chain == chain).order_by(audit_log.c.sequence)
        return [_entry(row) for row in self.connection.execute(query)]

    def chains(self) -> list[str]:
        query = select(audit_log.c.chain).group_by(audit_log.c.chain).order_by(func.min(audit_log.c.id))
        return [row.chain for row in self.connection.execute(query)]


def _row_values(entry: AuditEntry) -> dict[str, object]:
    facts = entry.facts
    return {
        "chain": entry.chain,
        "sequence": entry.sequence,
        "kind": facts.kind,
        "at": facts.at,
        "actor": facts.actor,
        "client_address": facts.client_address,
        "user_agent": facts.user_agent,
        "document_version": facts.document_version,
        "document_sha256": facts.document_sha256,
        "details": json.dumps(dict(facts.details), sort_keys=True),
        "previous_hash": entry.previous_hash,
        "entry_hash": entry.entry_hash,
    }


def _entry(row: Row[tuple[object, ...]]) -> AuditEntry:
    at: datetime = row.at
    facts = AuditFacts(
        kind=row.kind,
        at=at,
        actor=row.actor,
        client_address=row.client_address,
        user_agent=row.user_agent,
        document_version=row.document_version,
        document_sha256=row.document_sha256,
        details=json.loads(row.details),
    )
    return AuditEntry(row.chain, row.sequence, facts, row.previous_hash, row.entry_hash)
