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
from dataclasses import dataclass
from datetime import date, datetime

from governance.adapters.bank_holidays import working_days_for
from governance.domain.link_lifetime import DEFAULT_LINK_WORKING_DAYS, last_deciding_day
from governance.domain.links import ActionLink, LinkStanding, standing_of
from governance.domain.signoff import SignOff
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
    message_id: str | None = None,
    purpose: str = "decide",
    meeting: date | None = None,
) -> str:
    """Record a new link for one reviewer of one stage, replacing their earlier live ones for it
    (of the same purpose); returns the nonce to keep in the outbox."""
    nonce = new_nonce()
    uow.links.replace_earlier(signoff_id, stage_id, reviewer, now=now, purpose=purpose)
    uow.links.add(
        StoredLink(
            token_hash=token_hash(token_from_nonce(nonce, key)),
            signoff_id=signoff_id,
            stage_id=stage_id,
            reviewer=reviewer,
            document_version=document_version,
            created_at=now,
            message_id=message_id,
            purpose=purpose,
            meeting=meeting,
        )
    )
    return nonce


def find_token(uow: UnitOfWork, token: str) -> StoredLink | None:
    """The stored link for ``token``, or None when it is malformed or unknown."""
    if not looks_like_token(token):
        return None
    return uow.links.find(token_hash(token))


def action_link(link: StoredLink, *, decides_until: date | None = None) -> ActionLink:
    """What a stored link stands for, as the domain's link rule reads it."""
    return ActionLink(
        link.stage_id,
        link.reviewer,
        link.document_version,
        withdrawn=link.revoked_at is not None,
        replaced=link.replaced_at is not None,
        decides_until=decides_until,
        meeting=link.meeting,
    )


@dataclass(frozen=True)
class LinkLifetime:
    """Links decide until ``working_days`` working days after their stage is due, judged on ``today``."""

    today: date
    working_days: int = DEFAULT_LINK_WORKING_DAYS


def standing(
    signoff: SignOff, link: StoredLink, lifetime: LinkLifetime | None, *, today: date | None = None
) -> LinkStanding:
    """The domain's link rule for a stored link; with ``lifetime``, an old link has expired.

    ``today`` without a lifetime still judges what depends on the day (a committee's meeting)."""
    if lifetime is None or link.stage_id not in signoff.stages:
        return standing_of(signoff, action_link(link), today=today)
    due = signoff.stages[link.stage_id].due
    workdays = working_days_for(signoff.route, around=due) if due else None
    until = last_deciding_day(due, workdays, working_days=lifetime.working_days) if workdays else None
    return standing_of(signoff, action_link(link, decides_until=until), today=lifetime.today)
