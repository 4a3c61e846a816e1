"""The audit hash chain: entries link by hash; an edit, a gap or a reordering is named."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest

from governance.domain.audit_chain import (
    GENESIS,
    AuditEntry,
    AuditFacts,
    canonical_content,
    first_broken,
    next_entry,
)

AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def chain_of(count: int) -> list[AuditEntry]:
    entries: list[AuditEntry] = []
    for number in range(count):
        facts = AuditFacts(
            kind="decided",
            at=AT + timedelta(minutes=number),
            actor=f"reviewer{number}@example.nhs.uk",
            client_address="127.0.0.1",
            user_agent="Mozilla/5.0",
            document_version=1,
            document_sha256="ab" * 32,
            details={"stage": "finance", "decision": "approve"},
        )
        entries.append(next_entry("s1", entries[-1] if entries else None, facts))
    return entries


def test_the_first_entry_follows_the_genesis_hash_and_each_next_one_its_predecessor() -> None:
    entries = chain_of(3)
    assert entries[0].previous_hash == GENESIS
    assert [e.sequence for e in entries] == [1, 2, 3]
    assert entries[1].previous_hash == entries[0].entry_hash
    assert entries[2].previous_hash == entries[1].entry_hash


def test_an_intact_chain_has_no_broken_entry() -> None:
    assert first_broken(chain_of(5)) is None
    assert first_broken([]) is None


def test_a_changed_field_is_caught_at_that_entry() -> None:
    entries = chain_of(4)
    edited = dataclasses.replace(entries[2].facts, details={"stage": "finance", "decision": "reject"})
    entries[2] = dataclasses.replace(entries[2], facts=edited)
    broken = first_broken(entries)
    assert broken is not None
    assert (broken.chain, broken.sequence) == ("s1", 3)
    assert "changed" in broken.reason


def test_a_missing_entry_is_named_as_a_gap() -> None:
    entries = chain_of(4)
    del entries[1]
    broken = first_broken(entries)
    assert broken is not None
    assert broken.sequence == 3
    assert "entry 2 is missing" in broken.reason


def test_a_rehashed_edit_still_breaks_the_next_entry_link() -> None:
    entries = chain_of(3)
    facts = dataclasses.replace(entries[1].facts, actor="someone.else@example.org")
    entries[1] = next_entry("s1", entries[0], facts)  # a forger recomputes this entry's hash
    broken = first_broken(entries)
    assert broken is not None
    assert broken.sequence == 3
    assert "previous-entry hash" in broken.reason


def test_canonical_content_is_the_same_whatever_the_time_zone_of_the_moment() -> None:
    facts = AuditFacts(kind="started", at=AT, actor="lead@example.nhs.uk")
    shifted = dataclasses.replace(facts, at=AT.astimezone(datetime.now().astimezone().tzinfo))
    assert canonical_content("s1", 1, facts) == canonical_content("s1", 1, shifted)


def test_a_naive_time_is_refused() -> None:
    facts = AuditFacts(kind="started", at=datetime(2026, 3, 2, 9, 0), actor="lead@example.nhs.uk")
    with pytest.raises(ValueError, match="naive"):
        canonical_content("s1", 1, facts)
