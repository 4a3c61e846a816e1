"""Turns a sign-off's events into queued notifications, in the transaction that caused them.

Each email is built as its kind's typed context (``notifications.contexts``) here, so a wrong or
missing field fails now, inside the transaction, rather than when the email is sent.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime

from governance.domain.events import (
    ChairsActionRequested,
    ChangesRequested,
    Event,
    MeetingChanged,
    RatificationBooked,
    SignOffFinished,
    StageCompleted,
    StageOpened,
)
from governance.domain.london_time import human_time
from governance.domain.route import Stage
from governance.domain.signoff import SignOff
from governance.services.committee_notices import CommitteeNotices
from governance.services.email_facts import (
    MAIL_DOMAIN,
    decision_facts,
    ended_by_facts,
    envelope_of,
    stage_facts,
    thread_root,
)
from governance.services.handing_on import HandingOn
from governance.services.loop_notices import LoopNotices
from governance.services.outbox import enqueue
from governance.services.ports import UnitOfWork
from governance.services.tokens import issue_token
from governance.settings import Settings
from notifications.contexts import (
    ChannelNotice,
    DecisionReceiptEmail,
    EmailBody,
    InvitationEmail,
    PaperDueEmail,
    QueuedEmail,
    RatificationEmail,
    ReminderEmail,
    SettledStageFacts,
    SignOffFinishedEmail,
    StageClosedEmail,
    StageCompletedEmail,
)
from notifications.message import new_message_id
from notifications.wording import decision_words

__all__ = ["MAIL_DOMAIN", "Notifier", "stage_facts", "thread_root"]
LinkEmail = InvitationEmail | ReminderEmail | PaperDueEmail | RatificationEmail


class Notifier:
    """Queues the emails (and channel posts) that a sign-off's events call for."""

    def __init__(self, uow: UnitOfWork, settings: Settings, *, now: datetime) -> None:
        self.uow = uow
        self.settings = settings
        self.now = now

    def handle(self, signoff: SignOff, events: list[Event]) -> None:
        committee = CommitteeNotices(self, signoff)
        for event in events:
            if isinstance(event, StageOpened):
                self._invite(signoff, signoff.route.stage(event.stage_id))
            elif isinstance(event, StageCompleted):
                self._stage_completed(signoff, event)
            elif isinstance(event, SignOffFinished):
                self._finished(signoff, event)
            elif isinstance(event, MeetingChanged):
                committee.meeting_changed(event)
            elif isinstance(event, ChairsActionRequested):
                committee.chairs_action_requested(event)
            elif isinstance(event, RatificationBooked):
                committee.ratification_booked(event)
            elif isinstance(event, ChangesRequested):
                LoopNotices(self, signoff).changes_requested(event)

    def queue(
        self,
        signoff: SignOff,
        recipient: str,
        body: EmailBody,
        *,
        token_nonce: str | None = None,
        dedupe_key: str | None = None,
        message_id: str | None = None,
    ) -> bool:
        """Queue one email to one recipient: the sign-off's envelope around the kind's typed body."""
        email = QueuedEmail(envelope_of(signoff, self.settings, recipient=recipient), body)
        return enqueue(
            self.uow,
            email.kind,
            recipient,
            context=email.to_data(),
            now=self.now,
            signoff_id=signoff.id,
            message_id=message_id or new_message_id(MAIL_DOMAIN),
            token_nonce=token_nonce,
            dedupe_key=dedupe_key,
        )

    def _invite(self, signoff: SignOff, stage: Stage) -> None:
        if signoff.stages[stage.id].meeting is not None:
            CommitteeNotices(self, signoff).meeting_opened(stage)
            return
        revision, handing_on = LoopNotices(self, signoff).revision(), HandingOn(self, signoff)
        for reviewer in stage.deciders:
            if handing_on.invited_deputy_of(stage, reviewer):
                continue  # away: the deputy of their absence has the review
            reason = f"You are a reviewer for the {stage.name} stage of this sign-off."
            body = InvitationEmail("reviewer", reason, stage_facts(signoff, stage), revision=revision)
            self.invite(signoff, stage, reviewer, body)

    def invite(
        self,
        signoff: SignOff,
        stage: Stage,
        reviewer: str,
        body: LinkEmail,
        *,
        dedupe_key: str | None = None,
        purpose: str = "decide",
        meeting: date | None = None,
    ) -> bool:
        """Queue an email carrying a new personal action link (invitations and reminders); the new
        link replaces the reviewer's earlier ones for the stage (and purpose). A secretary's link
        is for the meeting the stage is booked on."""
        if dedupe_key is not None and self.uow.outbox.is_queued(dedupe_key):
            return False  # queued before: the link already sent stays the live one
        message_id = new_message_id(MAIL_DOMAIN)
        nonce = issue_token(
            self.uow,
            self.settings.signing_key(),
            signoff_id=signoff.id,
            stage_id=stage.id,
            reviewer=reviewer,
            document_version=signoff.document_version,
            now=self.now,
            message_id=message_id,
            purpose=purpose,
            meeting=meeting if meeting is not None else signoff.stages[stage.id].meeting,
        )
        return self.queue(
            signoff, reviewer, body, token_nonce=nonce, dedupe_key=dedupe_key, message_id=message_id
        )

    def receipt(self, signoff: SignOff, stage: Stage, reviewer: str) -> None:
        """The reviewer's receipt for the decision just recorded: what, on which version, when. No link."""
        made = [d for d in signoff.stages[stage.id].decisions if d.reviewer == reviewer]
        if not made:
            return
        decision = made[-1]  # the one just recorded (a deferral is kept with the meeting it moved from)
        receipt = DecisionReceiptEmail(
            role="reviewer",
            reason=f"A decision was recorded with your link for the {stage.name} stage.",
            stage=stage_facts(signoff, stage),
            decision_words=decision_words(decision.verdict.value),
            comment=decision.comment,
            decided_at=human_time(decision.at) or "",
            decided_version=decision.document_version,
            decided_sha256=signoff.document_sha256,
            on_behalf_of=decision.on_behalf_of,
        )
        self.queue(signoff, reviewer, receipt)

    def _stage_completed(self, signoff: SignOff, event: StageCompleted) -> None:
        stage = signoff.route.stage(event.stage_id)
        settled = SettledStageFacts(**asdict(stage_facts(signoff, stage)), outcome="approved")
        completed = StageCompletedEmail(
            role="lead",
            reason="You lead this sign-off.",
            stage=settled,
            decisions=decision_facts(signoff, stage.id),
            next_stages=tuple(signoff.route.stage(s).name for s in event.next_stage_ids),
        )
        self.queue(signoff, signoff.lead, completed)
        self._post_to_channels(signoff, "stage_completed", f"{stage.name} approved: {signoff.title}")
        for reviewer in event.not_needed:
            reason = f"You were asked to review {signoff.title} for the {stage.name} stage."
            self.queue(signoff, reviewer, StageClosedEmail("reviewer", reason, stage_facts(signoff, stage)))

    def _finished(self, signoff: SignOff, event: SignOffFinished) -> None:
        self.uow.links.revoke_unused(signoff.id, now=self.now)
        everyone = signoff.route.reviewers if event.state == "approved" else event.participants
        recipients = dict.fromkeys([*everyone, *event.outstanding], "reviewer") | {signoff.lead: "lead"}
        ended_by, decisions = ended_by_facts(signoff, event.ended_by_stage), decision_facts(signoff, None)
        for recipient, role in recipients.items():
            finished = SignOffFinishedEmail(
                role="lead" if role == "lead" else "reviewer",
                reason="You lead this sign-off."
                if role == "lead"
                else "You were a reviewer on this sign-off.",
                outcome=event.state,
                ended_by=ended_by,
                need_not_act=recipient in event.outstanding,
                decisions=decisions,
            )
            self.queue(signoff, recipient, finished)
        self._post_to_channels(
            signoff, "signoff_finished", f"Sign-off {event.state.replace('_', ' ')}: {signoff.title}"
        )

    def post_to_channels(self, signoff: SignOff, kind: str, summary: str, *, dedupe_key: str) -> int:
        """Queue a notice to each of the route's channels once (``dedupe_key`` names the notice)."""
        return self._post_to_channels(signoff, kind, summary, dedupe_key=dedupe_key)

    def _post_to_channels(
        self, signoff: SignOff, kind: str, summary: str, *, dedupe_key: str | None = None
    ) -> int:
        notice = ChannelNotice(summary=summary, signoff_id=signoff.id).to_data()
        queued = 0
        for index, url in enumerate(signoff.route.channels):
            queued += enqueue(
                self.uow,
                kind,
                url,
                context=notice,
                now=self.now,
                signoff_id=signoff.id,
                message_id=new_message_id(MAIL_DOMAIN),
                channel="apprise",
                dedupe_key=None if dedupe_key is None else f"{dedupe_key}:channel{index}",
            )
        return queued
