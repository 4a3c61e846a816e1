"""Use cases that change a sign-off: start it, record a decision, advance it, cancel it."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from governance.domain.audit_chain import AuditKind
from governance.domain.committee_stage import Minutes
from governance.domain.events import Event, MeetingChanged, SignOffFinished, StageClosed, StageOpened
from governance.domain.links import LinkStanding
from governance.domain.london_time import london_date
from governance.domain.route import Route
from governance.domain.rules import Verdict
from governance.domain.signoff import SignOff
from governance.services.audit import PRODUCT, Actor, record
from governance.services.dates import committee_dates, due_calculator
from governance.services.documents import store_document
from governance.services.loop_ports import DocumentVersion
from governance.services.notify import Notifier
from governance.services.ports import UnitOfWork, UnitsOfWork
from governance.services.rag_alerts import refresh_rag
from governance.services.stored_records import StoredLink
from governance.services.tokens import LinkLifetime, find_token, standing
from governance.settings import Settings

AUTOMATED_WITHIN = timedelta(seconds=60)


def new_signoff_id() -> str:
    """A short, unguessable, URL- and tag-safe id."""
    return secrets.token_hex(6)


@dataclass(frozen=True)
class NewSignOff:
    route: Route
    route_yaml: str
    title: str
    document: Path
    lead: str
    target: date | None
    tags: frozenset[str] = frozenset()  # conditional stages run only for sign-offs with their tag


def start_signoff(uows: UnitsOfWork, settings: Settings, request: NewSignOff, *, now: datetime) -> str:
    """Record a new sign-off with its document as version 1; ``advance`` opens its first stage."""
    signoff_id = new_signoff_id()
    stored, sha256 = store_document(
        request.document, documents_dir=settings.documents_dir, signoff_id=signoff_id, version=1
    )
    signoff = SignOff(
        id=signoff_id,
        route=request.route,
        title=request.title,
        lead=request.lead,
        document_sha256=sha256,
        created_at=now,
        target=request.target,
        tags=request.tags,
    )
    path = str(stored.resolve())
    with uows.write() as uow:
        uow.signoffs.add(
            signoff,
            route_yaml=request.route_yaml,
            document_filename=request.document.name,
            document_path=path,
        )
        first = DocumentVersion(signoff_id, 1, request.document.name, path, sha256, "", now, request.lead)
        uow.versions.add(first)
        details = {
            "route": request.route.id,
            "title": request.title,
            "target": str(request.target or ""),
            "tags": " ".join(sorted(request.tags)),
        }
        record(uow, signoff, AuditKind.STARTED, actor=Actor(request.lead), now=now, details=details)
    return signoff_id


def advance_signoff(uows: UnitsOfWork, settings: Settings, signoff_id: str, *, now: datetime) -> list[Event]:
    """Open the next stage, announce completions, or end the sign-off; repeatable with one effect."""
    with uows.write() as uow:
        signoff = uow.signoffs.get(signoff_id, for_update=True)
        today = london_date(now)
        committees = committee_dates(signoff.route, around=today)
        events = signoff.advance(
            now=now, today=today, due_for=due_calculator(signoff.route), committees=committees
        )
        finished = any(isinstance(e, SignOffFinished) for e in events)
        uow.signoffs.save(signoff, pending_advance=False, completed_at=now if finished else None)
        Notifier(uow, settings, now=now).handle(signoff, events)
        for event in events:
            if isinstance(event, StageOpened):
                opened = {"stage": event.stage_id}
                record(uow, signoff, AuditKind.STAGE_OPENED, actor=PRODUCT, now=now, details=opened)
        refresh_rag(uow, settings, signoff, now=now)  # does nothing once ended or without a target
    return events


@dataclass(frozen=True)
class DecisionResult:
    recorded: bool
    message: str
    signoff_id: str
    stage_id: str
    reviewer: str


def decide_by_token(
    uows: UnitsOfWork,
    token: str,
    *,
    verdict: Verdict,
    comment: str,
    now: datetime,
    settings: Settings,
    actor: Actor | None = None,
    lifetime: LinkLifetime | None = None,
    minutes: Minutes | None = None,
) -> DecisionResult | None:
    """Record the decision an emailed link stands for; None when the link is not recognised.

    The decision is appended to the audit trail (with ``actor``'s address and user agent) and the
    reviewer is emailed a receipt. ``lifetime``: refuse a link that has expired. ``minutes``: what
    a committee's secretary records with its outcome (a deferral moves the stage at once)."""
    today = london_date(now)
    with uows.write() as uow:
        link = find_token(uow, token)
        if link is None or link.purpose != "decide":
            return None
        signoff_id, stage_id, reviewer = link.signoff_id, link.stage_id, link.reviewer
        signoff = uow.signoffs.get(signoff_id, for_update=True)
        link_standing = standing(signoff, link, lifetime, today=today)
        if not link_standing.may_decide:
            return DecisionResult(False, refusal(link_standing, link), signoff_id, stage_id, reviewer)
        asked = Asked(verdict, comment, minutes)
        record_decision(uow, settings, signoff, link, asked, now=now, actor=actor)
    return DecisionResult(True, "recorded", signoff_id, stage_id, reviewer)


@dataclass(frozen=True)
class Asked:
    """The decision a link is to record: the verdict, the reviewer's comment, a committee's minutes."""

    verdict: Verdict
    comment: str
    minutes: Minutes | None = None


def record_decision(
    uow: UnitOfWork,
    settings: Settings,
    signoff: SignOff,
    link: StoredLink,
    asked: Asked,
    *,
    now: datetime,
    actor: Actor | None,
) -> list[Event]:
    """Record the decision of a link that may decide, in the caller's unit of work holding the sign-off."""
    today = london_date(now)
    events = signoff.decide(
        link.stage_id,
        link.reviewer,
        verdict=asked.verdict,
        comment=asked.comment.strip(),
        now=now,
        minutes=asked.minutes,
        today=today,
        committees=committee_dates(signoff.route, around=today),
    )
    uow.signoffs.save(signoff, pending_advance=True)
    _after_decision(uow, settings, signoff, link, events, now=now, actor=actor, minutes=asked.minutes)
    return events


def _after_decision(  # the rest of one decision's transaction: links, audit, emails, RAG
    uow: UnitOfWork,
    settings: Settings,
    signoff: SignOff,
    link: StoredLink,
    events: list[Event],
    *,
    now: datetime,
    actor: Actor | None,
    minutes: Minutes | None,
) -> None:
    stage_id, reviewer = link.stage_id, link.reviewer
    uow.links.mark_used(link.token_hash, now=now)
    if any(isinstance(e, StageClosed) for e in events):
        uow.links.revoke_unused(signoff.id, now=now, stage_id=stage_id)
    decision = signoff.stages[stage_id].decisions[-1]
    seen = Actor(reviewer, actor.client_address, actor.user_agent) if actor else Actor(reviewer)
    details: dict[str, object] = {
        "stage": stage_id,
        "decision": decision.verdict.value,
        "possibly_automated": possibly_automated(uow, link, now=now),
    }
    if minutes is not None:
        details["minute_ref"] = minutes.minute_ref
    if decision.on_behalf_of:
        details["on_behalf_of"] = decision.on_behalf_of
    record(uow, signoff, AuditKind.DECIDED, actor=seen, now=now, details=details)
    notifier = Notifier(uow, settings, now=now)
    notifier.receipt(signoff, signoff.route.stage(stage_id), reviewer)
    notifier.handle(signoff, [e for e in events if not isinstance(e, StageClosed)])
    if any(isinstance(e, MeetingChanged) for e in events):
        refresh_rag(uow, settings, signoff, now=now)


def possibly_automated(uow: UnitOfWork, link: StoredLink, *, now: datetime) -> bool:
    """Decided within a minute of its email being sent: more likely a mail scanner than a person."""
    sent = uow.outbox.sent_at(link.message_id) if link.message_id else None
    return sent is not None and now - sent < AUTOMATED_WITHIN


def refusal(standing: LinkStanding, link: StoredLink) -> str:
    """Why a link recorded nothing, in a line for logs and the command line."""
    stage_id, reviewer = link.stage_id, link.reviewer
    if standing is LinkStanding.DECIDED:
        return f"{reviewer} has already decided on stage {stage_id!r}"
    if standing is LinkStanding.SUPERSEDED:
        return f"this link is for version {link.document_version} of the document; nothing was recorded"
    if standing is LinkStanding.NOT_OPEN_YET:
        return f"stage {stage_id!r} has not opened yet; nothing was recorded"
    if standing is LinkStanding.BEFORE_MEETING:
        return (
            f"stage {stage_id!r}: an outcome is recorded on or after the meeting date; nothing was recorded"
        )
    if standing is LinkStanding.MOVED:
        return f"stage {stage_id!r} moved to another meeting and a new link was sent; nothing was recorded"
    if standing is LinkStanding.AWAITING_REVISION:
        return "changes were asked for: a revised version is awaited; nothing was recorded"
    if standing in (LinkStanding.CANCELLED, LinkStanding.ENDED, LinkStanding.SETTLED):
        closed = f"stage {stage_id!r} is no longer open for decisions"
        return f"{closed} and this link was withdrawn; nothing was recorded"
    if standing is LinkStanding.WITHDRAWN:
        return "this link was withdrawn when its stage closed; nothing was recorded"
    return f"{reviewer} cannot decide on stage {stage_id!r} ({standing.value}); nothing was recorded"


def cancel_signoff(
    uows: UnitsOfWork, settings: Settings, signoff_id: str, *, now: datetime, actor: Actor = PRODUCT
) -> list[Event]:
    """End a sign-off in progress; reviewers still awaited are told they need not act."""
    with uows.write() as uow:
        signoff = uow.signoffs.get(signoff_id, for_update=True)
        events = signoff.cancel(now=now)
        uow.signoffs.save(signoff, pending_advance=False, completed_at=now)
        record(uow, signoff, AuditKind.CANCELLED, actor=actor, now=now)
        Notifier(uow, settings, now=now).handle(signoff, events)
    return events


@dataclass(frozen=True)
class Work:
    """A step owed to a sign-off: ``start`` (nothing opened yet), ``advance`` or ``send email``."""

    signoff_id: str | None
    title: str
    step: str


def work_waiting(uows: UnitsOfWork, *, now: datetime) -> list[Work]:
    """Every step owed: sign-offs with unapplied changes, then notifications due to be sent."""
    with uows.read() as uow:
        work = [
            Work(waiting.id, waiting.title, "advance" if waiting.started else "start")
            for waiting in uow.signoffs.waiting_to_advance()
        ]
        mail = uow.outbox.signoffs_with_due(now=now)
        titles = uow.signoffs.titles([s for s in mail if s is not None])
    return work + [Work(s, titles.get(s, "") if s else "notifications", "send email") for s in mail]
