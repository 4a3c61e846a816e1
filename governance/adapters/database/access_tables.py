"""Tables for who may sign in and for the audit trail (beside the sign-off tables, same metadata)."""

from __future__ import annotations

from sqlalchemy import Column, Index, Integer, String, Table, Text, UniqueConstraint

from governance.adapters.database.tables import metadata
from governance.adapters.database.types import UtcDateTime

users = Table(
    "users",
    metadata,
    Column("email", String(320), primary_key=True),  # stored in lower case
    Column("role", String(16), nullable=False),
    Column("organisations", Text, nullable=False, default="[]"),  # JSON list; empty: every organisation
    Column("password_hash", String(300), nullable=True),  # None: single sign-on or a set-password link
    Column("failed_attempts", Integer, nullable=False, default=0),
    Column("locked_until", UtcDateTime, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
)

# One-time links that sign someone in (the demo) or let them set a password; only a hash is kept.
sign_in_links = Table(
    "sign_in_links",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("email", String(320), nullable=False),
    Column("purpose", String(16), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
    Column("used_at", UtcDateTime, nullable=True),
)

# Append-only: database triggers refuse UPDATE and DELETE (migration 0006).
audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("chain", String(64), nullable=False),
    Column("sequence", Integer, nullable=False),
    Column("kind", String(32), nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Column("actor", String(320), nullable=False),
    Column("client_address", String(64), nullable=False, default=""),
    Column("user_agent", String(500), nullable=False, default=""),
    Column("document_version", Integer, nullable=True),
    Column("document_sha256", String(64), nullable=False, default=""),
    Column("details", Text, nullable=False, default="{}"),
    Column("previous_hash", String(64), nullable=False),
    Column("entry_hash", String(64), nullable=False),
    UniqueConstraint("chain", "sequence", name="uq_audit_log_place"),
    Index("ix_audit_log_chain", "chain", "sequence"),
)
