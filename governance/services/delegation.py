"""Use cases that hand reviews on: a reviewer names a deputy from their page, an officer reassigns
a review, and absences are recorded (invitations and reminders in their window go to the deputy:
``governance.services.handing_on``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from governance.domain.errors import TransitionNotAllowed
from governance.domain.handovers import HandoverHow, absence_problem, handover_problem
from governance.domain.london_time import london_date
from governance.services.audit import Actor
from governance.services.handing_on import HandingOn
from governance.services.loop_ports import Absence
from governance.services.notify import Notifier
from governance.services.ports import UnitsOfWork
from governance.services.signoffs import refusal
from governance.services.tokens import LinkLifetime, find_token, standing
from governance.settings import Settings

NOTHING_HANDED_ON = "Nothing has been handed on."


class AbsenceRefused(ValueError):
    """An absence that cannot be recorded as given (bad dates, not an email address, ...)."""


@dataclass(frozen=True)
class HandoverResult:
    """What a reviewer's request to hand on did: ``status`` 200 handed on, 409 link closed, 422 refused."""

    handed_on: bool
    message: str
    status: int
    deputy: str = ""


def delegate_by_token(
    uows: UnitsOfWork,
    settings: Settings,
    token: str,
    deputy: str,
    *,
    now: datetime,
    actor: Actor,
    lifetime: LinkLifetime | None = None,
) -> HandoverResult | None:
    """Hand the review an emailed link stands for to ``deputy``; None when the link is not recognised."""
    deputy = deputy.strip().lower()
    with uows.write() as uow:
        link = find_token(uow, token)
        if link is None or link.purpose != "decide":
            return None
        signoff = uow.signoffs.get(link.signoff_id, for_update=True)
        link_standing = standing(signoff, link, lifetime, today=london_date(now))
        if not link_standing.may_decide:
            return HandoverResult(False, refusal(link_standing, link), 409)
        if not deputy:
            return HandoverResult(False, f"Enter your deputy's email address. {NOTHING_HANDED_ON}", 422)
        if deputy == link.reviewer:
            return HandoverResult(False, f"You cannot hand the review to yourself. {NOTHING_HANDED_ON}", 422)
        problem = handover_problem(signoff, link.stage_id, link.reviewer, deputy, how=HandoverHow.DELEGATED)
        if problem is not None:
            return HandoverResult(False, f"{problem[0].upper()}{problem[1:]}. {NOTHING_HANDED_ON}", 422)
        seen = Actor(link.reviewer, actor.client_address, actor.user_agent)
        notifier = Notifier(uow, settings, now=now)
        HandingOn(notifier, signoff).hand_on(
            link.stage_id, link.reviewer, deputy, how=HandoverHow.DELEGATED, actor=seen
        )
    return HandoverResult(True, f"handed to {deputy}", 200, deputy)


def reassign_review(
    uows: UnitsOfWork,
    settings: Settings,
    signoff_id: str,
    stage_id: str,
    *,
    from_whom: str,
    to_whom: str,
    now: datetime,
    actor: Actor,
) -> None:
    """An officer moves ``from_whom``'s outstanding review of an open stage to ``to_whom``, who gets a
    link of their own (TransitionNotAllowed, SignOffNotFound when it cannot be done)."""
    from_whom, to_whom = from_whom.strip().lower(), to_whom.strip().lower()
    with uows.write() as uow:
        signoff = uow.signoffs.get(signoff_id, for_update=True)
        problem = handover_problem(signoff, stage_id, from_whom, to_whom, how=HandoverHow.REASSIGNED)
        if problem is not None:
            raise TransitionNotAllowed(f"{problem}; nothing was reassigned")
        notifier = Notifier(uow, settings, now=now)
        HandingOn(notifier, signoff).hand_on(
            stage_id, from_whom, to_whom, how=HandoverHow.REASSIGNED, actor=actor
        )


def record_absence(
    uows: UnitsOfWork, person: str, deputy: str, *, starts: date, ends: date, actor: Actor, now: datetime
) -> Absence:
    """Record that ``person`` is away from ``starts`` to ``ends`` (inclusive) and ``deputy`` covers."""
    person, deputy = person.strip().lower(), deputy.strip().lower()
    problem = absence_problem(person, deputy, starts=starts, ends=ends, today=london_date(now))
    if problem is not None:
        raise AbsenceRefused(problem)
    with uows.write() as uow:
        absence_id = uow.absences.add(person, deputy, starts=starts, ends=ends, by=actor.who, now=now)
    return Absence(absence_id, person, deputy, starts, ends, actor.who)


def absences_from(uows: UnitsOfWork, *, today: date) -> list[Absence]:
    """Absences not over by ``today``, soonest first."""
    with uows.read() as uow:
        return uow.absences.listing(from_day=today)
