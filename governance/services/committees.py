"""Use cases for committee stages: a paper submitted, a late paper, chair's action, ratification.

Each runs in one write unit of work, records its audit entry and queues its emails there.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from governance.domain import committee_actions
from governance.domain.audit_chain import AuditKind
from governance.domain.errors import DomainError
from governance.domain.events import Event, MeetingChanged
from governance.domain.london_time import london_date
from governance.domain.signoff import SignOff
from governance.services.audit import PRODUCT, Actor, record
from governance.services.dates import committee_dates
from governance.services.notify import Notifier
from governance.services.ports import UnitOfWork, UnitsOfWork
from governance.services.rag_alerts import refresh_rag
from governance.services.tokens import find_token
from governance.settings import Settings

T = TypeVar("T")


class CommitteeActionRefused(ValueError):
    """A committee action that cannot be done now; the message says why, for a person."""


@dataclass(frozen=True)
class LinkOutcome:
    """What a lead's or secretary's link recorded (``recorded`` False: nothing, and why)."""

    recorded: bool
    message: str
    signoff_id: str
    stage_id: str


def paper_submitted(
    uows: UnitsOfWork, signoff_id: str, *, stage_id: str, now: datetime, actor: Actor = PRODUCT
) -> bool:
    """Record that the stage's paper reached the secretary; False when it was recorded before."""
    with uows.write() as uow:
        signoff = uow.signoffs.get(signoff_id, for_update=True)
        newly = _refusing(lambda: committee_actions.mark_paper_submitted(signoff, stage_id, now=now))
        if newly:
            uow.signoffs.save(signoff, pending_advance=False)
            record(uow, signoff, AuditKind.PAPER_SUBMITTED, actor=actor, now=now, details={"stage": stage_id})
    return newly


def late_paper(
    uows: UnitsOfWork,
    settings: Settings,
    signoff_id: str,
    *,
    stage_id: str,
    reason: str,
    now: datetime,
    actor: Actor = PRODUCT,
) -> MeetingChanged:
    """Put the stage's paper on the committee's next meeting as a late paper agreed by the chair."""
    today = london_date(now)
    with uows.write() as uow:
        signoff = uow.signoffs.get(signoff_id, for_update=True)
        dates = committee_dates(signoff.route, around=today)
        events = _refusing(
            lambda: committee_actions.accept_late_paper(
                signoff, stage_id, reason=reason, today=today, committees=dates
            )
        )
        details = {"stage": stage_id, "reason": reason.strip()}
        _apply(
            uow, settings, signoff, events, now=now, kind=AuditKind.LATE_PAPER, actor=actor, details=details
        )
    changed = events[0]
    assert isinstance(changed, MeetingChanged)  # accept_late_paper returns exactly this event
    return changed


def chairs_action(
    uows: UnitsOfWork,
    settings: Settings,
    signoff_id: str,
    *,
    stage_id: str,
    reason: str,
    now: datetime,
    actor: Actor = PRODUCT,
) -> tuple[str, ...]:
    """Ask the stage's chairs to act between meetings; returns the chairs emailed."""
    with uows.write() as uow:
        signoff = uow.signoffs.get(signoff_id, for_update=True)
        events = _refusing(
            lambda: committee_actions.request_chairs_action(
                signoff, stage_id, reason=reason, by=actor.who or signoff.lead, now=now
            )
        )
        details = {"stage": stage_id, "reason": reason.strip()}
        kind = AuditKind.CHAIRS_ACTION_REQUESTED
        _apply(uow, settings, signoff, events, now=now, kind=kind, actor=actor, details=details)
    return signoff.route.stage(stage_id).chairs_action


def ratify_by_token(
    uows: UnitsOfWork, token: str, *, minute_ref: str, now: datetime, actor: Actor | None = None
) -> LinkOutcome | None:
    """Record the committee's ratification of a chair's action with the secretary's link."""
    with uows.write() as uow:
        link = find_token(uow, token)
        if link is None or link.purpose != "ratify":
            return None
        signoff = uow.signoffs.get(link.signoff_id, for_update=True)
        try:
            committee_actions.ratify(
                signoff, link.stage_id, minute_ref=minute_ref, now=now, today=london_date(now)
            )
        except DomainError as error:
            return LinkOutcome(False, str(error), signoff.id, link.stage_id)
        uow.signoffs.save(signoff, pending_advance=False)
        uow.links.mark_used(link.token_hash, now=now)
        seen = Actor(link.reviewer, actor.client_address, actor.user_agent) if actor else Actor(link.reviewer)
        details = {"stage": link.stage_id, "minute_ref": minute_ref.strip()}
        record(uow, signoff, AuditKind.RATIFIED, actor=seen, now=now, details=details)
    return LinkOutcome(True, "ratified", signoff.id, link.stage_id)


def paper_submitted_by_token(
    uows: UnitsOfWork, token: str, *, now: datetime, actor: Actor | None = None
) -> LinkOutcome | None:
    """The lead's link: mark the stage's paper as submitted."""
    with uows.read() as uow:
        link = find_token(uow, token)
    if link is None or link.purpose != "paper":
        return None
    who = Actor(link.reviewer, actor.client_address, actor.user_agent) if actor else Actor(link.reviewer)
    try:
        paper_submitted(uows, link.signoff_id, stage_id=link.stage_id, now=now, actor=who)
    except CommitteeActionRefused as error:
        return LinkOutcome(False, str(error), link.signoff_id, link.stage_id)
    return LinkOutcome(True, "paper submitted", link.signoff_id, link.stage_id)


def _apply(
    uow: UnitOfWork,
    settings: Settings,
    signoff: SignOff,
    events: list[Event],
    *,
    now: datetime,
    kind: AuditKind,
    actor: Actor,
    details: Mapping[str, object],
) -> None:
    uow.signoffs.save(signoff, pending_advance=False)
    record(uow, signoff, kind, actor=actor, now=now, details=details)
    Notifier(uow, settings, now=now).handle(signoff, events)
    refresh_rag(uow, settings, signoff, now=now)


def _refusing(action: Callable[[], T]) -> T:
    """Run a domain action, turning its refusal into this module's error."""
    try:
        return action()
    except DomainError as error:
        raise CommitteeActionRefused(str(error)) from error
