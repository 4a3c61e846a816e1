"""Emailed action links in the ``action_tokens`` table (only each token's hash is stored)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, insert, select, update

from governance.adapters.database.tables import action_tokens
from governance.services.stored_records import StoredLink


class SqlLinks:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def add(self, link: StoredLink) -> None:
        self.connection.execute(
            insert(action_tokens).values(
                token_hash=link.token_hash,
                signoff_id=link.signoff_id,
                stage_id=link.stage_id,
                reviewer=link.reviewer,
                document_version=link.document_version,
                created_at=link.created_at,
                used_at=link.used_at,
                revoked_at=link.revoked_at,
                replaced_at=link.replaced_at,
                message_id=link.message_id,
                purpose=link.purpose,
                meeting=link.meeting,
            )
        )

    def replace_earlier(
        self, signoff_id: str, stage_id: str, reviewer: str, *, now: datetime, purpose: str = "decide"
    ) -> int:
        """Mark the reviewer's live links for the stage (and purpose) replaced: a newer one is on its way."""
        replaced = self.connection.execute(
            update(action_tokens)
            .where(
                action_tokens.c.signoff_id == signoff_id,
                action_tokens.c.stage_id == stage_id,
                action_tokens.c.reviewer == reviewer,
                action_tokens.c.purpose == purpose,
                action_tokens.c.used_at.is_(None),
                action_tokens.c.revoked_at.is_(None),
                action_tokens.c.replaced_at.is_(None),
            )
            .values(replaced_at=now)
        )
        return replaced.rowcount

    def find(self, token_hash: str) -> StoredLink | None:
        query = select(action_tokens).where(action_tokens.c.token_hash == token_hash)
        row = self.connection.execute(query).first()
        return StoredLink(**row._mapping) if row else None

    def mark_used(self, token_hash: str, *, now: datetime) -> None:
        self.connection.execute(
            update(action_tokens).where(action_tokens.c.token_hash == token_hash).values(used_at=now)
        )

    def revoke_unused(self, signoff_id: str, *, now: datetime, stage_id: str | None = None) -> None:
        """Withdraw live links (a ratification's link lives on: the committee still has to ratify)."""
        query = update(action_tokens).where(
            action_tokens.c.signoff_id == signoff_id,
            action_tokens.c.purpose != "ratify",
            action_tokens.c.used_at.is_(None),
            action_tokens.c.revoked_at.is_(None),
        )
        if stage_id is not None:
            query = query.where(action_tokens.c.stage_id == stage_id)
        self.connection.execute(query.values(revoked_at=now))
