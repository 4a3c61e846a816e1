"""The audit trail: what is appended for each event, the export, and the check of every chain."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from governance.domain.audit_chain import AuditEntry, AuditFacts, AuditKind, BrokenEntry, first_broken
from governance.domain.signoff import SignOff
from governance.services.ports import SignOffNotFound, UnitOfWork, UnitsOfWork

EXPORT_FIELDS = (
    "sequence",
    "kind",
    "at",
    "actor",
    "client_address",
    "user_agent",
    "document_version",
    "document_sha256",
    "details",
    "previous_hash",
    "entry_hash",
)


@dataclass(frozen=True)
class Actor:
    """Who did it and from where: an email address (or "signoff" for the product itself)."""

    who: str
    client_address: str = ""
    user_agent: str = ""


PRODUCT = Actor("signoff")


def record(
    uow: UnitOfWork,
    signoff: SignOff,
    kind: AuditKind,
    *,
    actor: Actor,
    now: datetime,
    details: Mapping[str, object] | None = None,
) -> AuditEntry:
    """Append an event of ``signoff`` to its chain, inside the unit of work that made the change."""
    facts = AuditFacts(
        kind=kind.value,
        at=now,
        actor=actor.who,
        client_address=actor.client_address,
        user_agent=actor.user_agent,
        document_version=signoff.document_version,
        document_sha256=signoff.document_sha256,
        details=dict(details or {}),
    )
    return uow.audit.append(signoff.id, facts)


def entries_of(uows: UnitsOfWork, signoff_id: str) -> list[AuditEntry]:
    """A sign-off's audit entries in order (SignOffNotFound for an unknown id)."""
    with uows.read() as uow:
        uow.signoffs.record(signoff_id)
        return uow.audit.entries(signoff_id)


def export(uows: UnitsOfWork, signoff_id: str, *, actor: Actor, now: datetime) -> list[AuditEntry]:
    """The sign-off's audit entries, after recording that they were exported (the last entry says so)."""
    with uows.write() as uow:
        signoff = uow.signoffs.get(signoff_id)
        record(uow, signoff, AuditKind.EXPORTED, actor=actor, now=now, details={"what": "audit"})
        return uow.audit.entries(signoff_id)


def as_json(entries: list[AuditEntry]) -> list[dict[str, object]]:
    return [_row(entry) | {"details": dict(entry.facts.details)} for entry in entries]


def as_csv(entries: list[AuditEntry]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=EXPORT_FIELDS, lineterminator="\n")
    writer.writeheader()
    for entry in entries:
        writer.writerow(_row(entry))
    return out.getvalue()


def _row(entry: AuditEntry) -> dict[str, object]:
    facts = entry.facts
    return {
        "sequence": entry.sequence,
        "kind": facts.kind,
        "at": facts.at.isoformat(),
        "actor": facts.actor,
        "client_address": facts.client_address,
        "user_agent": facts.user_agent,
        "document_version": facts.document_version,
        "document_sha256": facts.document_sha256,
        "details": json.dumps(dict(facts.details), sort_keys=True),
        "previous_hash": entry.previous_hash,
        "entry_hash": entry.entry_hash,
    }


def verify(uows: UnitsOfWork, signoff_id: str | None = None) -> tuple[int, list[BrokenEntry]]:
    """Check one sign-off's chain, or every chain: (entries checked, the first broken entry of each)."""
    with uows.read() as uow:
        if signoff_id is not None:
            uow.signoffs.record(signoff_id)  # SignOffNotFound for an unknown id
        chains = [signoff_id] if signoff_id is not None else uow.audit.chains()
        checked, broken = 0, []
        for chain in chains:
            entries = uow.audit.entries(chain)
            checked += len(entries)
            if (found := first_broken(entries)) is not None:
                broken.append(found)
    return checked, broken


def final_hash(uow: UnitOfWork, signoff_id: str) -> str:
    """The hash of the sign-off's latest audit entry ('' before the first)."""
    entries = uow.audit.entries(signoff_id)
    return entries[-1].entry_hash if entries else ""


__all__ = ["PRODUCT", "Actor", "SignOffNotFound", "as_csv", "as_json", "export", "record", "verify"]


def record_link_viewed(uows: UnitsOfWork, token: str, *, actor: Actor, now: datetime, what: str) -> None:
    """A reviewer's link was opened (by the reviewer, or a mail scanner): recorded, nothing changed."""
    from governance.services.tokens import find_token

    with uows.write() as uow:
        link = find_token(uow, token)
        if link is None:
            return
        signoff = uow.signoffs.get(link.signoff_id)
        details = {"stage": link.stage_id, "reviewer": link.reviewer, "what": what}
        record(uow, signoff, AuditKind.LINK_VIEWED, actor=actor, now=now, details=details)


def possibly_automated(uows: UnitsOfWork, signoff_id: str) -> set[tuple[str, str]]:
    """(stage id, reviewer) of the decisions the audit flagged possibly automated."""
    with uows.read() as uow:
        entries = uow.audit.entries(signoff_id)
    return {
        (str(e.facts.details.get("stage")), e.facts.actor)
        for e in entries
        if e.facts.kind == AuditKind.DECIDED and e.facts.details.get("possibly_automated")
    }
