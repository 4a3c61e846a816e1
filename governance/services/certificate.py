"""The completion certificate as a read model: everything the PDF lists, already in words."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from governance.domain.audit_chain import AuditEntry, AuditKind
from governance.domain.london_time import human_time
from governance.domain.signoff import SignOff
from governance.domain.states import SignOffState
from governance.services.audit import Actor, final_hash, record
from governance.services.ports import UnitsOfWork

OUTCOMES = {"approve": "Approved", "reject": "Rejected", "changes": "Changes requested"}


@dataclass(frozen=True)
class CertificateStage:
    name: str
    state: str
    opened: str
    completed: str


@dataclass(frozen=True)
class CertificateDecision:
    stage: str
    reviewer: str
    on_behalf_of: str
    outcome: str
    minute_reference: str
    at_london: str
    at_utc: str
    client_address: str
    document_sha256: str
    possibly_automated: bool


@dataclass(frozen=True)
class Certificate:
    signoff_id: str
    title: str
    route_name: str
    organisation: str
    lead: str
    state: str
    in_progress: bool
    document_version: int
    document_sha256: str
    stages: tuple[CertificateStage, ...]
    decisions: tuple[CertificateDecision, ...]
    audit_final_hash: str
    generated_london: str
    generated_utc: str


def utc_words(moment: datetime | None) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC") if moment else ""


def certificate_of(uows: UnitsOfWork, signoff_id: str, *, actor: Actor, now: datetime) -> Certificate:
    """The certificate as of ``now``; its making is recorded first, so the final hash covers it."""
    with uows.write() as uow:
        signoff = uow.signoffs.get(signoff_id)
        record(uow, signoff, AuditKind.EXPORTED, actor=actor, now=now, details={"what": "certificate"})
        entries = uow.audit.entries(signoff_id)
        chain_end = final_hash(uow, signoff_id)
    return Certificate(
        signoff_id=signoff.id,
        title=signoff.title,
        route_name=signoff.route.name,
        organisation=signoff.route.organisation,
        lead=signoff.lead,
        state=signoff.state.value.replace("_", " "),
        in_progress=signoff.state is SignOffState.IN_PROGRESS,
        document_version=signoff.document_version,
        document_sha256=signoff.document_sha256,
        stages=tuple(_stages(signoff)),
        decisions=tuple(_decisions(signoff, entries)),
        audit_final_hash=chain_end,
        generated_london=human_time(now) or "",
        generated_utc=utc_words(now),
    )


def _stages(signoff: SignOff) -> list[CertificateStage]:
    return [
        CertificateStage(
            name=stage.name,
            state=signoff.stages[stage.id].state.value.replace("_", " "),
            opened=human_time(signoff.stages[stage.id].opened_at) or "",
            completed=human_time(signoff.stages[stage.id].completed_at) or "",
        )
        for stage in signoff.route.stages
    ]


def _decisions(signoff: SignOff, entries: Sequence[AuditEntry]) -> list[CertificateDecision]:
    """Every decision, with the client address and flags its audit entry recorded."""
    decided = {
        (e.facts.details.get("stage"), e.facts.actor, e.facts.document_version): e
        for e in entries
        if e.facts.kind == AuditKind.DECIDED
    }
    found = []
    for stage in signoff.route.stages:
        for decision in signoff.stages[stage.id].decisions:
            entry = decided.get((stage.id, decision.reviewer, decision.document_version))
            details = entry.facts.details if entry else {}
            found.append(
                CertificateDecision(
                    stage=stage.name,
                    reviewer=decision.reviewer,
                    on_behalf_of=str(details.get("on_behalf_of") or ""),
                    outcome=OUTCOMES.get(decision.verdict.value, decision.verdict.value),
                    minute_reference=str(details.get("minute_reference") or ""),
                    at_london=human_time(decision.at) or "",
                    at_utc=utc_words(decision.at),
                    client_address=entry.facts.client_address if entry else "",
                    document_sha256=entry.facts.document_sha256 if entry else signoff.document_sha256,
                    possibly_automated=bool(details.get("possibly_automated")),
                )
            )
    return found
