"""Use cases that change a sign-off: start it, record a decision, advance it, cancel it."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, update

from governance.adapters.database.database import Database
from governance.adapters.database.repository import SignOffRepository
from governance.adapters.database.tables import action_tokens
from governance.domain.errors import DecisionRefused
from governance.domain.events import Event, SignOffFinished
from governance.domain.london_time import london_date
from governance.domain.route import Route
from governance.domain.rules import Verdict
from governance.domain.signoff import SignOff
from governance.services.dates import due_calculator
from governance.services.documents import store_document
from governance.services.key_dates import refresh_rag
from governance.services.notify import Notifier
from governance.services.outbox import signoffs_with_due_mail
from governance.services.tokens import find_token, revoke_unused
from governance.settings import Settings


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


def start_signoff(db: Database, settings: Settings, request: NewSignOff, *, now: datetime) -> str:
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
    )
    with db.transaction() as connection:
        SignOffRepository(connection).add(
            signoff,
            route_yaml=request.route_yaml,
            document_filename=request.document.name,
            document_path=str(stored.resolve()),
        )
    return signoff_id


def advance_signoff(db: Database, settings: Settings, signoff_id: str, *, now: datetime) -> list[Event]:
    """Open the next stage, announce completions, or end the sign-off; repeatable with one effect."""
    with db.transaction() as connection:
        repository = SignOffRepository(connection)
        signoff = repository.get(signoff_id, for_update=True)
        events = signoff.advance(now=now, today=london_date(now), due_for=due_calculator(signoff.route))
        finished = any(isinstance(e, SignOffFinished) for e in events)
        repository.save(signoff, pending_advance=False, completed_at=now if finished else None)
        Notifier(connection, settings, now=now).handle(signoff, events)
        refresh_rag(connection, settings, signoff, now=now)  # does nothing once ended or without a target
    return events


@dataclass(frozen=True)
class DecisionResult:
    recorded: bool
    message: str
    signoff_id: str
    stage_id: str
    reviewer: str


def decide_by_token(
    db: Database, token: str, *, verdict: Verdict, comment: str, now: datetime
) -> DecisionResult | None:
    """Record the decision an emailed link stands for; None when the link is not recognised."""
    with db.transaction() as connection:
        link = find_token(connection, token)
        if link is None:
            return None
        signoff_id, stage_id, reviewer = str(link["signoff_id"]), str(link["stage_id"]), str(link["reviewer"])
        if link["revoked_at"] is not None:
            withdrawn = "this link was withdrawn when its stage closed; nothing was recorded"
            return DecisionResult(False, withdrawn, signoff_id, stage_id, reviewer)
        repository = SignOffRepository(connection)
        signoff = repository.get(signoff_id, for_update=True)
        try:
            events = signoff.decide(stage_id, reviewer, verdict=verdict, comment=comment.strip(), now=now)
        except DecisionRefused as refused:
            return DecisionResult(False, str(refused), signoff_id, stage_id, reviewer)
        repository.save(signoff, pending_advance=True)
        _use_token(connection, link, now=now)
        if events:
            revoke_unused(connection, signoff_id, now=now, stage_id=stage_id)
    return DecisionResult(True, "recorded", signoff_id, stage_id, reviewer)


def _use_token(connection: Connection, link: dict[str, Any], *, now: datetime) -> None:
    connection.execute(
        update(action_tokens).where(action_tokens.c.token_hash == link["token_hash"]).values(used_at=now)
    )


def cancel_signoff(db: Database, settings: Settings, signoff_id: str, *, now: datetime) -> list[Event]:
    """End a sign-off in progress; reviewers still awaited are told they need not act."""
    with db.transaction() as connection:
        repository = SignOffRepository(connection)
        signoff = repository.get(signoff_id, for_update=True)
        events = signoff.cancel(now=now)
        repository.save(signoff, pending_advance=False, completed_at=now)
        Notifier(connection, settings, now=now).handle(signoff, events)
    return events


@dataclass(frozen=True)
class Work:
    """A step owed to a sign-off: ``start`` (nothing opened yet), ``advance`` or ``send email``."""

    signoff_id: str | None
    title: str
    step: str


def work_waiting(db: Database, *, now: datetime) -> list[Work]:
    """Every step owed: sign-offs with unapplied changes, then notifications due to be sent."""
    with db.transaction() as connection:
        repository = SignOffRepository(connection)
        work = [
            Work(signoff_id, title, "advance" if started else "start")
            for signoff_id, title, started in repository.waiting_to_advance()
        ]
        mail = signoffs_with_due_mail(connection, now=now)
        titles = repository.titles([s for s in mail if s is not None])
    return work + [Work(s, titles.get(s, "") if s else "notifications", "send email") for s in mail]
