"""Emails of the document loop: the lead's request for a revision, and reviews handed on."""

from __future__ import annotations

from typing import TYPE_CHECKING

from governance.domain.events import ChangesRequested
from governance.domain.signoff import SignOff
from governance.services.email_facts import decision_facts, stage_facts
from notifications.contexts import RevisionFacts
from notifications.loop_contexts import ChangesRequestedEmail, DelegatedEmail

if TYPE_CHECKING:
    from governance.services.notify import Notifier


class LoopNotices:
    """Queues the document loop's emails through ``notifier``, for one sign-off."""

    def __init__(self, notifier: Notifier, signoff: SignOff) -> None:
        self.notifier = notifier
        self.signoff = signoff

    def changes_requested(self, event: ChangesRequested) -> None:
        """Withdraw this version's outstanding links and send the lead every comment made on it."""
        signoff, uow = self.signoff, self.notifier.uow
        uow.links.revoke_unused(signoff.id, now=self.notifier.now)
        stage = signoff.route.stage(event.stage_id)
        comments = tuple(
            d
            for d in decision_facts(signoff, None)
            if d.version == event.document_version and (d.comment or d.decision == "changes")
        )
        email = ChangesRequestedEmail(
            role="lead",
            reason="You lead this sign-off.",
            stage=stage_facts(signoff, stage),
            version=event.document_version,
            comments=comments,
            revise_command=f'signoff revise {signoff.id} --document FILE --note "what changed"',
        )
        key = f"{signoff.id}:changes:{stage.id}:v{event.document_version}"
        self.notifier.queue(signoff, signoff.lead, email, dedupe_key=key)

    def revision(self) -> RevisionFacts | None:
        """What an invitation to a revised version says about it (None for version 1)."""
        if self.signoff.document_version == 1:
            return None
        latest = self.notifier.uow.versions.of_signoff(self.signoff.id)[-1]
        return RevisionFacts(latest.version, latest.change_summary or "not recorded", latest.note)

    def handed_on(self, stage_id: str, reviewer: str, deputy: str, how: str) -> None:
        """Tell the reviewer who has their review now."""
        stage = self.signoff.route.stage(stage_id)
        reason = f"You are a reviewer for the {stage.name} stage of this sign-off."
        email = DelegatedEmail("reviewer", reason, stage_facts(self.signoff, stage), deputy, how)
        self.notifier.queue(self.signoff, reviewer, email)
