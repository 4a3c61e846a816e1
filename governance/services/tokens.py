"""Action-link tokens: 256 bits derived from a random nonce and the secret key; only a hash is kept.

The outbox keeps the nonce so that a retried email carries the same link; without the secret key
the database alone cannot produce a working link.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from datetime import datetime

from sqlalchemy import Connection, insert, select, update

from governance.adapters.database.tables import action_tokens

TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9_-]{43}$")


def new_nonce() -> str:
    """256 random bits for one emailed link."""
    return secrets.token_urlsafe(32)


def token_from_nonce(nonce: str, key: bytes) -> str:
    """The link token for ``nonce``: HMAC-SHA256 under the secret key, URL-safe, 43 characters."""
    digest = hmac.new(key, b"action-link:" + nonce.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def looks_like_token(token: str) -> bool:
    """A cheap shape check before any database look-up."""
    return bool(TOKEN_SHAPE.match(token))


def issue_token(
    connection: Connection,
    key: bytes,
    *,
    signoff_id: str,
    stage_id: str,
    reviewer: str,
    document_version: int,
    now: datetime,
) -> str:
    """Record a new link for one reviewer of one stage; returns the nonce to keep in the outbox."""
    nonce = new_nonce()
    connection.execute(
        insert(action_tokens).values(
            token_hash=token_hash(token_from_nonce(nonce, key)),
            signoff_id=signoff_id,
            stage_id=stage_id,
            reviewer=reviewer,
            document_version=document_version,
            created_at=now,
        )
    )
    return nonce


def find_token(connection: Connection, token: str) -> dict[str, object] | None:
    """The stored link for ``token``, or None when it is malformed or unknown."""
    if not looks_like_token(token):
        return None
    row = connection.execute(
        select(action_tokens).where(action_tokens.c.token_hash == token_hash(token))
    ).first()
    return dict(row._mapping) if row else None


def revoke_unused(
    connection: Connection, signoff_id: str, *, now: datetime, stage_id: str | None = None
) -> None:
    """Stop unused links deciding anything (the stage or the sign-off has closed)."""
    query = update(action_tokens).where(
        action_tokens.c.signoff_id == signoff_id,
        action_tokens.c.used_at.is_(None),
        action_tokens.c.revoked_at.is_(None),
    )
    if stage_id is not None:
        query = query.where(action_tokens.c.stage_id == stage_id)
    connection.execute(query.values(revoked_at=now))
