"""Turns a sign-off's events into queued notifications, in the transaction that caused them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from governance.domain.events import Event, SignOffFinished, StageCompleted, StageOpened
from governance.domain.london_time import human_date, human_time
from governance.domain.route import Stage
from governance.domain.signoff import SignOff
from governance.services.outbox import enqueue
from governance.services.ports import UnitOfWork
from governance.services.tokens import issue_token
from governance.settings import Settings
from notifications.message import new_message_id

MAIL_DOMAIN = "signoff.local"


def thread_root(signoff_id: str) -> str:
    """The Message-ID every email of a sign-off refers to, so clients keep one conversation."""
    return f"<signoff.{signoff_id}@{MAIL_DOMAIN}>"


class Notifier:
    """Queues the emails (and channel posts) that a sign-off's events call for."""

    def __init__(self, uow: UnitOfWork, settings: Settings, *, now: datetime) -> None:
        self.uow = uow
        self.settings = settings
        self.now = now

    def handle(self, signoff: SignOff, events: list[Event]) -> None:
        for event in events:
            if isinstance(event, StageOpened):
                self._invite(signoff, signoff.route.stage(event.stage_id))
            elif isinstance(event, StageCompleted):
                self._stage_completed(signoff, event)
            elif isinstance(event, SignOffFinished):
                self._finished(signoff, event)

    def queue(
        self, signoff: SignOff, kind: str, recipient: str, context: dict[str, Any], **extra: Any
    ) -> bool:
        """Queue one email to one recipient with the sign-off's common context."""
        full = common_context(signoff, self.settings, recipient=recipient) | context
        return enqueue(
            self.uow,
            kind,
            recipient,
            context=full,
            now=self.now,
            signoff_id=signoff.id,
            message_id=new_message_id(MAIL_DOMAIN),
            **extra,
        )

    def _invite(self, signoff: SignOff, stage: Stage) -> None:
        for reviewer in stage.deciders:
            self.invite(
                signoff,
                stage,
                reviewer,
                kind="invitation",
                context={
                    "role": "reviewer",
                    "reason": f"You are a reviewer for the {stage.name} stage of this sign-off.",
                },
            )

    def invite(
        self,
        signoff: SignOff,
        stage: Stage,
        reviewer: str,
        *,
        kind: str,
        context: dict[str, Any],
        dedupe_key: str | None = None,
    ) -> bool:
        """Queue an email carrying a new personal action link (invitations and reminders)."""
        nonce = issue_token(
            self.uow,
            self.settings.signing_key(),
            signoff_id=signoff.id,
            stage_id=stage.id,
            reviewer=reviewer,
            document_version=signoff.document_version,
            now=self.now,
        )
        full = {"stage": stage_context(signoff, stage)} | context
        return self.queue(signoff, kind, reviewer, full, token_nonce=nonce, dedupe_key=dedupe_key)

    def _stage_completed(self, signoff: SignOff, event: StageCompleted) -> None:
        stage = signoff.route.stage(event.stage_id)
        self.queue(
            signoff,
            "stage_completed",
            signoff.lead,
            {
                "role": "lead",
                "reason": "You lead this sign-off.",
                "stage": stage_context(signoff, stage) | {"outcome": "approved"},
                "decisions": decisions_context(signoff, stage.id),
                "next_stages": [signoff.route.stage(s).name for s in event.next_stage_ids],
            },
        )
        self._post_to_channels(signoff, "stage_completed", f"{stage.name} approved: {signoff.title}")
        for reviewer in event.not_needed:
            self.queue(
                signoff,
                "stage_closed",
                reviewer,
                {
                    "role": "reviewer",
                    "reason": f"You were asked to review {signoff.title} for the {stage.name} stage.",
                    "stage": stage_context(signoff, stage),
                },
            )

    def _finished(self, signoff: SignOff, event: SignOffFinished) -> None:
        self.uow.links.revoke_unused(signoff.id, now=self.now)
        everyone = signoff.route.reviewers if event.state == "approved" else event.participants
        recipients = dict.fromkeys([*everyone, *event.outstanding], "reviewer") | {signoff.lead: "lead"}
        for recipient, role in recipients.items():
            self.queue(
                signoff,
                "signoff_finished",
                recipient,
                {
                    "role": role,
                    "reason": "You lead this sign-off."
                    if role == "lead"
                    else "You were a reviewer on this sign-off.",
                    "outcome": event.state,
                    "ended_by": ended_by_context(signoff, event.ended_by_stage),
                    "need_not_act": recipient in event.outstanding,
                    "decisions": decisions_context(signoff, None),
                },
            )
        self._post_to_channels(
            signoff, "signoff_finished", f"Sign-off {event.state.replace('_', ' ')}: {signoff.title}"
        )

    def post_to_channels(self, signoff: SignOff, kind: str, summary: str, *, dedupe_key: str) -> int:
        """Queue a notice to each of the route's channels once (``dedupe_key`` names the notice)."""
        return self._post_to_channels(signoff, kind, summary, dedupe_key=dedupe_key)

    def _post_to_channels(
        self, signoff: SignOff, kind: str, summary: str, *, dedupe_key: str | None = None
    ) -> int:
        queued = 0
        for index, url in enumerate(signoff.route.channels):
            queued += enqueue(
                self.uow,
                kind,
                url,
                context={"summary": summary, "signoff_id": signoff.id},
                now=self.now,
                signoff_id=signoff.id,
                message_id=new_message_id(MAIL_DOMAIN),
                channel="apprise",
                dedupe_key=None if dedupe_key is None else f"{dedupe_key}:channel{index}",
            )
        return queued


def common_context(signoff: SignOff, settings: Settings, *, recipient: str) -> dict[str, Any]:
    """What every email of a sign-off shows: the document, the route, who to contact, the links."""
    base = settings.base_url.rstrip("/")
    return {
        "signoff": {
            "id": signoff.id,
            "title": signoff.title,
            "route_name": signoff.route.name,
            "organisation": signoff.route.organisation,
            "document_sha256": signoff.document_sha256,
            "document_version": signoff.document_version,
            "target": human_date(signoff.target),
            "lead": signoff.lead,
        },
        "recipient": recipient,
        "contact": signoff.lead,
        "links": {
            "timeline": f"{base}/signoffs/{signoff.id}",
            "prefect_runs": f"{base}/signoffs/{signoff.id}/runs",
        },
        "thread": thread_root(signoff.id),
    }


def stage_context(signoff: SignOff, stage: Stage) -> dict[str, Any]:
    progress = signoff.stages[stage.id]
    return {
        "id": stage.id,
        "name": stage.name,
        "kind": stage.kind.value,
        "due": human_date(progress.due),
        "approvals": f"{stage.approvals} of {len(stage.deciders)}",
        "reviewers": list(stage.deciders),
    }


def decisions_context(signoff: SignOff, stage_id: str | None) -> list[dict[str, Any]]:
    stages = [signoff.stages[stage_id]] if stage_id else list(signoff.stages.values())
    return [
        {
            "stage": signoff.route.stage(p.stage_id).name,
            "reviewer": d.reviewer,
            "decision": d.verdict.value,
            "comment": d.comment,
            "at": human_time(d.at),
        }
        for p in stages
        for d in p.decisions
    ]


def ended_by_context(signoff: SignOff, stage_id: str | None) -> dict[str, Any] | None:
    if stage_id is None:
        return None
    deciding = [d for d in signoff.stages[stage_id].decisions if d.verdict.value != "approve"]
    last = deciding[-1] if deciding else None
    return {
        "stage": signoff.route.stage(stage_id).name,
        "reviewer": last.reviewer if last else None,
        "comment": last.comment if last else "",
    }
