"""Reviews handed on inside one unit of work: the handover stored and audited, the deputy invited
(on behalf of the reviewer) and the one who had the review told who has it now.

Invitations and reminders ask ``recipient`` whom to email about a seat: its deputy while it is
handed on, the deputy of an absence that covers today (the seat is handed on then, as ``away``),
or else its reviewer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from governance.domain.audit_chain import AuditKind
from governance.domain.handovers import HandoverHow, ReviewHandedOn, hand_on, handover_problem
from governance.domain.london_time import london_date
from governance.domain.route import Stage, StageKind
from governance.services.audit import PRODUCT, Actor, record
from governance.services.email_facts import stage_facts
from governance.services.loop_notices import LoopNotices
from notifications.contexts import InvitationEmail

if TYPE_CHECKING:
    from governance.domain.signoff import SignOff
    from governance.services.notify import Notifier

INVITED_BECAUSE = {
    HandoverHow.DELEGATED: "{seat} handed you their review for the {stage} stage of this sign-off.",
    HandoverHow.REASSIGNED: "The governance office moved the review of {seat} for the {stage} stage to you.",
    HandoverHow.AWAY: "{seat} is away and you are their deputy for the {stage} stage of this sign-off.",
}


class HandingOn:
    """Hands one sign-off's reviews on, queueing its emails through ``notifier``."""

    def __init__(self, notifier: Notifier, signoff: SignOff) -> None:
        self.notifier = notifier
        self.signoff = signoff

    def hand_on(self, stage_id: str, holder: str, deputy: str, *, how: HandoverHow, actor: Actor) -> None:
        """Give ``holder``'s review to ``deputy`` and email them a link of their own."""
        [event] = self._record(stage_id, holder, deputy, how=how, actor=actor)
        self.invite(self.signoff.route.stage(stage_id), event.deputy, seat=event.reviewer, how=how)

    def recipient(self, stage: Stage, seat: str) -> tuple[str, str | None]:
        """Whom to email about ``seat`` now, and whose seat it is when that is someone else."""
        progress = self.signoff.stages[stage.id]
        handover = progress.in_force().get(seat)
        if handover is not None:
            return handover.deputy, seat
        if stage.kind is StageKind.MEETING:
            return seat, None
        today = london_date(self.notifier.now)
        away = self.notifier.uow.absences.covering((seat,), today).get(seat)
        if away is None or handover_problem(self.signoff, stage.id, seat, away.deputy, how=HandoverHow.AWAY):
            return seat, None
        self._record(stage.id, seat, away.deputy, how=HandoverHow.AWAY, actor=PRODUCT)
        return away.deputy, seat

    def invited_deputy_of(self, stage: Stage, seat: str) -> bool:
        """Invite whoever holds ``seat`` on its behalf (its deputy, or an absence's); False: nobody does."""
        recipient, on_behalf_of = self.recipient(stage, seat)
        if on_behalf_of is None:
            return False
        how = self.signoff.stages[stage.id].in_force()[seat].how
        self.invite(stage, recipient, seat=seat, how=how)
        return True

    def invite(self, stage: Stage, deputy: str, *, seat: str, how: HandoverHow) -> None:
        """The deputy's invitation: their own link, deciding on behalf of ``seat``."""
        reason = INVITED_BECAUSE[how].format(seat=seat, stage=stage.name)
        revision = LoopNotices(self.notifier, self.signoff).revision()
        facts = stage_facts(self.signoff, stage)
        body = InvitationEmail("reviewer", reason, facts, revision=revision, on_behalf_of=seat)
        self.notifier.invite(self.signoff, stage, deputy, body)

    def _record(
        self, stage_id: str, holder: str, deputy: str, *, how: HandoverHow, actor: Actor
    ) -> list[ReviewHandedOn]:
        notifier, signoff = self.notifier, self.signoff
        events = hand_on(signoff, stage_id, holder, deputy, how=how, by=actor.who, now=notifier.now)
        notifier.uow.delegations.add(signoff.id, stage_id, signoff.stages[stage_id].handovers[-1])
        for event in events:
            details = {"stage": stage_id, "reviewer": event.reviewer, "deputy": deputy, "how": how.value}
            if event.previous != event.reviewer:
                details["from"] = event.previous
            record(notifier.uow, signoff, AuditKind.DELEGATED, actor=actor, now=notifier.now, details=details)
            LoopNotices(notifier, signoff).handed_on(stage_id, event.previous, deputy, how.value)
        return events
