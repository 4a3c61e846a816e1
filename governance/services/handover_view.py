"""What a reviewer's page says about handing a review on: the form it offers, the seat a deputy
fills, and, once the review has gone to someone else, who has it now."""

from __future__ import annotations

from dataclasses import dataclass

from governance.domain.handovers import HandoverHow
from governance.domain.links import LinkStanding
from governance.domain.route import Stage, StageKind
from governance.domain.signoff import SignOff


@dataclass(frozen=True)
class HandoverChoice:
    """The page's part on handing on: whether the form is offered, and to whom it may go."""

    may_hand_on: bool  # the seat's own reviewer, on an open review stage
    allowed: tuple[str, ...] | None = None  # whom the route lets them nominate; None: anyone
    on_behalf_of: str | None = None  # the viewer is a deputy: whose review they decide


def handover_choice(signoff: SignOff, stage: Stage, reviewer: str, standing: LinkStanding) -> HandoverChoice:
    """What the page of ``reviewer``'s link offers about handing the review on."""
    progress = signoff.stages[stage.id]
    seat = progress.seat_for(reviewer, stage.deciders)
    on_behalf_of = seat if seat not in (None, reviewer) else None
    may = standing.may_decide and stage.kind is StageKind.REVIEW and seat == reviewer
    return HandoverChoice(may, stage.deputies_of(reviewer) if may else None, on_behalf_of)


def handed_on_reason(signoff: SignOff, stage: Stage, reviewer: str) -> str:
    """Who has the review ``reviewer``'s link was for, and what they have done with it."""
    progress = signoff.stages[stage.id]
    handover = progress.handed_on(reviewer)
    if handover is None:  # pragma: no cover - asked only for a link whose review was handed on
        return ""
    deputy, seat = handover.deputy, handover.reviewer
    whose = "your" if seat == reviewer else f"{seat}'s"
    if handover.how is HandoverHow.REASSIGNED:
        said = f"The governance office moved this review to {deputy}, who decides on {whose} behalf."
    elif handover.how is HandoverHow.AWAY:
        said = f"You are recorded as away, so this review went to {deputy}, who decides on {whose} behalf."
    else:
        said = f"This review was handed to {deputy}, who has their own link and decides on {whose} behalf."
    decision = progress.decided_by(seat)
    if decision is not None:
        verdict = decision.verdict.value.replace("_", " ")
        said += f" {decision.reviewer} has recorded a decision ({verdict}) on behalf of {seat}."
    return f"{said} This link no longer records a decision; nothing more is needed from you."
