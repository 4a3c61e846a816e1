"""Plain records the repositories take and hand back, besides the SignOff aggregate itself."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

# A notification's life: pending -> sending (claimed, with a lease) -> sent | pending (retry) | failed.
PENDING, SENDING, SENT, FAILED = "pending", "sending", "sent", "failed"


@dataclass(frozen=True)
class SignOffRecord:
    """What is stored about a sign-off outside the aggregate: its file, when it ended, its RAG, and
    the SHA-256 of the route text it started on (it keeps that route whatever happens to the file)."""

    id: str
    document_filename: str
    document_path: str
    completed_at: datetime | None
    rag: str | None
    route_sha256: str = ""


def route_sha256(route_yaml: str) -> str:
    """The SHA-256 of a route's text (UTF-8) as stored with a sign-off."""
    return hashlib.sha256(route_yaml.encode()).hexdigest()


@dataclass(frozen=True)
class SignOffLine:
    """One line of the list of sign-offs."""

    id: str
    title: str
    state: str
    route_id: str
    lead: str
    created_at: datetime
    target: date | None
    rag: str | None
    organisation: str = ""


@dataclass(frozen=True)
class SignOffToAdvance:
    """A sign-off with a change not yet acted on; ``started`` once any stage has opened."""

    id: str
    title: str
    started: bool


@dataclass(frozen=True)
class StoredLink:
    """An emailed action link for one reviewer of one stage of one document version."""

    token_hash: str
    signoff_id: str
    stage_id: str
    reviewer: str
    document_version: int
    created_at: datetime
    used_at: datetime | None = None
    revoked_at: datetime | None = None
    replaced_at: datetime | None = None  # a newer link for the same reviewer and stage took its place
    message_id: str | None = None  # of the email that carries the link
    purpose: str = "decide"  # decide, ratify (a chair's action) or paper (the lead marks it submitted)
    meeting: date | None = None  # a secretary's link: the meeting whose outcome it records


@dataclass(frozen=True)
class NewNotification:
    """A notification to queue (``context`` is what its template is rendered with)."""

    kind: str
    recipient: str
    context: dict[str, Any]
    message_id: str
    signoff_id: str | None
    created_at: datetime
    channel: str = "email"
    token_nonce: str | None = None
    dedupe_key: str | None = None


@dataclass(frozen=True)
class Notification:
    """A claimed notification, as the sender needs it."""

    id: int
    signoff_id: str | None
    kind: str
    channel: str
    recipient: str
    context: dict[str, Any]
    message_id: str
    token_nonce: str | None
    attempts: int


@dataclass(frozen=True)
class OutboxEntry:
    """A notification as ``signoff outbox`` and the timeline list it."""

    id: int
    signoff_id: str | None
    kind: str
    channel: str
    recipient: str
    state: str
    attempts: int
    next_attempt_at: datetime
    last_error: str | None
    refused: dict[str, str]
    message_id: str
    created_at: datetime


@dataclass(frozen=True)
class NewNudge:
    """A reminder, escalation or stall notice to record for a stage (``slot``: the day it is for)."""

    signoff_id: str
    stage_id: str
    kind: str
    recipient: str
    slot: date
    manual: bool = False


@dataclass(frozen=True)
class NudgeRecord:
    """A recorded nudge with its email's state (None for channel notices and unlinked rows)."""

    stage_id: str
    kind: str
    recipient: str
    at: datetime
    manual: bool
    email_state: str | None = None
    sent_at: datetime | None = None
