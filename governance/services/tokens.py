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

from governance.domain.links import ActionLink
from governance.services.ports import UnitOfWork
from governance.services.stored_records import StoredLink

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
    uow: UnitOfWork,
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
    uow.links.add(
        StoredLink(
            token_hash=token_hash(token_from_nonce(nonce, key)),
            signoff_id=signoff_id,
            stage_id=stage_id,
            reviewer=reviewer,
            document_version=document_version,
            created_at=now,
        )
    )
    return nonce


def find_token(uow: UnitOfWork, token: str) -> StoredLink | None:
    """The stored link for ``token``, or None when it is malformed or unknown."""
    if not looks_like_token(token):
        return None
    return uow.links.find(token_hash(token))


def action_link(link: StoredLink) -> ActionLink:
    """What a stored link stands for, as the domain's link rule reads it."""
    return ActionLink(
        link.stage_id, link.reviewer, link.document_version, withdrawn=link.revoked_at is not None
    )
