"""Reviews handed on: to a reviewer's deputy, by an officer's reassignment, or during an absence.

A review stage's seats are the reviewers its route names, and its approval rule counts seats. A
handover puts someone else in a seat for the version the stage is open for: their decision fills
that seat and is recorded as made on behalf of its reviewer. The latest handover of a seat is the
one in force; a new version starts again from the route's reviewers (``StageProgress.in_force``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from governance.domain.errors import TransitionNotAllowed
from governance.domain.route import StageKind
from governance.domain.states import SignOffState, StageState

if TYPE_CHECKING:
    from governance.domain.signoff import SignOff

EMAIL = re.compile(r"[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]+")
LONGEST_ABSENCE_DAYS = 366


class HandoverHow(StrEnum):
    DELEGATED = "delegated"  # the reviewer handed it to a deputy from their page
    REASSIGNED = "reassigned"  # an officer moved it
    AWAY = "away"  # the reviewer is recorded as away: it went to the deputy named for the absence


@dataclass(frozen=True)
class Handover:
    """A seat of a stage held by someone else for one version of the document."""

    reviewer: str  # the seat: the route's reviewer whose review it is
    deputy: str  # who holds it now
    how: HandoverHow
    version: int
    by: str
    at: datetime


@dataclass(frozen=True)
class ReviewHandedOn:
    """A review went to someone else: ``previous`` held the seat of ``reviewer``, ``deputy`` has it now."""

    signoff_id: str
    stage_id: str
    reviewer: str
    previous: str
    deputy: str
    how: HandoverHow


def looks_like_email(text: str) -> bool:
    return EMAIL.fullmatch(text) is not None


def stage_deciders(signoff: SignOff, stage_id: str) -> tuple[str, ...]:
    return signoff.route.stage(stage_id).deciders


def hand_on(
    signoff: SignOff, stage_id: str, holder: str, deputy: str, *, how: HandoverHow, by: str, now: datetime
) -> list[ReviewHandedOn]:
    """Give ``holder``'s outstanding review of an open stage to ``deputy`` (TransitionNotAllowed if not)."""
    problem = handover_problem(signoff, stage_id, holder, deputy, how=how)
    if problem is not None:
        raise TransitionNotAllowed(problem)
    progress = signoff.stages[stage_id]
    seat = progress.seat_for(holder, stage_deciders(signoff, stage_id)) or holder
    progress.handovers.append(Handover(seat, deputy, how, progress.version, by, now))
    return [ReviewHandedOn(signoff.id, stage_id, seat, holder, deputy, how)]


def handover_problem(
    signoff: SignOff, stage_id: str, holder: str, deputy: str, *, how: HandoverHow
) -> str | None:
    """Why ``holder``'s review of the stage cannot go to ``deputy`` now, in words; None when it can."""
    if stage_id not in signoff.stages:
        return f"sign-off {signoff.id} has no stage {stage_id!r}"
    stage, progress = signoff.route.stage(stage_id), signoff.stages[stage_id]
    if stage.kind is StageKind.MEETING:
        return f"stage {stage_id!r} is a committee meeting: its secretary's link is not handed on"
    if signoff.state is not SignOffState.IN_PROGRESS or progress.state is not StageState.OPEN:
        return f"stage {stage_id!r} is not open for decisions ({progress.state.value.replace('_', ' ')})"
    seat = progress.seat_for(holder, stage.deciders)
    if seat is None or progress.holder_of(seat) != holder or progress.decided_by(seat) is not None:
        return f"{holder} has no outstanding review on stage {stage_id!r}"
    return _deputy_problem(signoff, stage_id, seat, holder, deputy, how=how)


def _deputy_problem(
    signoff: SignOff, stage_id: str, seat: str, holder: str, deputy: str, *, how: HandoverHow
) -> str | None:
    stage, progress = signoff.route.stage(stage_id), signoff.stages[stage_id]
    if not looks_like_email(deputy):
        return f"{deputy!r} is not an email address (like name@example.nhs.uk)"
    if deputy == holder:
        return f"the review is {holder}'s already: name someone else"
    if deputy in stage.deciders or progress.seat_for(deputy, ()) is not None:
        return f"{deputy} already reviews the {stage.name} stage: name someone who does not"
    if how is HandoverHow.DELEGATED and holder != seat:
        return f"only {seat} hands this review on; ask the governance office to reassign it"
    allowed = stage.deputies_of(seat) if how is HandoverHow.DELEGATED else None
    if allowed is not None and deputy not in allowed:
        return f"on the {stage.name} stage, {seat} may hand the review only to {' or '.join(allowed)}"
    return None


def absence_problem(person: str, deputy: str, *, starts: date, ends: date, today: date) -> str | None:
    """Why an absence cannot be recorded as given, in words; None when it can."""
    for who, option in ((person, "EMAIL"), (deputy, "--deputy")):
        if not looks_like_email(who):
            return f"{option} {who!r} is not an email address (like name@example.nhs.uk)"
    if person == deputy:
        return f"{person} cannot be their own deputy: name someone else with --deputy"
    if ends < starts:
        return f"--until {ends} is before --from {starts}: the absence must end on or after it starts"
    if starts < today:
        return f"--from {starts} is in the past: an absence is recorded from today ({today}) onwards"
    if (ends - starts).days + 1 > LONGEST_ABSENCE_DAYS:
        return (
            f"{starts} to {ends} is {(ends - starts).days + 1} days: an absence is at most a year "
            f"({LONGEST_ABSENCE_DAYS} days); record a longer one again when it is nearly over"
        )
    return None
