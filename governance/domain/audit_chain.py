"""The audit trail's hash chain: each entry carries the SHA-256 of its own canonical content and
of the entry before it, so a hand-edited row, a deleted row or a reordering is found by reading.

Pure: the database appends and reads entries; this module says what their hashes are and whether
a chain read back is intact.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum

GENESIS = "0" * 64  # the "previous hash" of a chain's first entry


class AuditKind(StrEnum):
    STARTED = "started"
    STAGE_OPENED = "stage_opened"
    LINK_VIEWED = "link_viewed"
    DECIDED = "decided"
    DELEGATED = "delegated"
    REMINDED = "reminded"
    ESCALATED = "escalated"
    REVISED = "revised"
    CANCELLED = "cancelled"
    SIGNED_IN = "signed_in"
    EXPORTED = "exported"
    DEFERRED = "deferred"
    LATE_PAPER = "late_paper"
    PAPER_SUBMITTED = "paper_submitted"
    CHAIRS_ACTION_REQUESTED = "chairs_action_requested"
    RATIFIED = "ratified"


@dataclass(frozen=True)
class AuditFacts:
    """What happened, before it has a place in a chain."""

    kind: str
    at: datetime
    actor: str
    client_address: str = ""
    user_agent: str = ""
    document_version: int | None = None
    document_sha256: str = ""
    details: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class AuditEntry:
    """One appended entry: its facts, its place in its chain and the two hashes."""

    chain: str
    sequence: int
    facts: AuditFacts
    previous_hash: str
    entry_hash: str


def canonical_content(chain: str, sequence: int, facts: AuditFacts) -> bytes:
    """The bytes that are hashed: every field, keys sorted, UTC time to the microsecond."""
    if facts.at.tzinfo is None:
        msg = f"an audit entry needs a UTC time, got the naive {facts.at.isoformat()}"
        raise ValueError(msg)
    content = {
        "chain": chain,
        "sequence": sequence,
        "kind": facts.kind,
        "at": facts.at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor": facts.actor,
        "client_address": facts.client_address,
        "user_agent": facts.user_agent,
        "document_version": facts.document_version,
        "document_sha256": facts.document_sha256,
        "details": dict(facts.details),
    }
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def entry_hash(previous_hash: str, content: bytes) -> str:
    """SHA-256 over the previous entry's hash and this entry's canonical content."""
    return hashlib.sha256(previous_hash.encode() + b"\n" + content).hexdigest()


def next_entry(chain: str, last: AuditEntry | None, facts: AuditFacts) -> AuditEntry:
    """The entry that follows ``last`` (None: the chain's first) in ``chain``."""
    sequence = 1 if last is None else last.sequence + 1
    previous = GENESIS if last is None else last.entry_hash
    return AuditEntry(
        chain, sequence, facts, previous, entry_hash(previous, canonical_content(chain, sequence, facts))
    )


@dataclass(frozen=True)
class BrokenEntry:
    """The first entry of a chain that does not check out, and why."""

    chain: str
    sequence: int
    reason: str


def first_broken(entries: Sequence[AuditEntry]) -> BrokenEntry | None:
    """The first entry (in sequence order) whose place or hashes are wrong; None when intact."""
    previous: AuditEntry | None = None
    for entry in entries:
        problem = _problem(previous, entry)
        if problem:
            return BrokenEntry(entry.chain, entry.sequence, problem)
        previous = entry
    return None


def _problem(previous: AuditEntry | None, entry: AuditEntry) -> str:
    expected_sequence = 1 if previous is None else previous.sequence + 1
    if entry.sequence != expected_sequence:
        return f"entry {expected_sequence} is missing (the next one found is {entry.sequence})"
    expected_previous = GENESIS if previous is None else previous.entry_hash
    if entry.previous_hash != expected_previous:
        return "its previous-entry hash does not match the entry before it"
    content = canonical_content(entry.chain, entry.sequence, entry.facts)
    if entry.entry_hash != entry_hash(entry.previous_hash, content):
        return "its content does not match its hash (the entry was changed after it was written)"
    return ""
