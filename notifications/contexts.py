"""Typed contexts of each notification kind: checked when a notification is queued, not when it is sent.

A queued email is an ``Envelope`` (what every email of a sign-off shows: the document, the route,
whom to ask, the links, the thread) and a body, one class per kind. Both are pydantic dataclasses:
a missing, unknown or mistyped field raises ``ValidationError`` where the notification is built,
inside the transaction that queues it, so a mistake never reaches the outbox. The outbox stores
``QueuedEmail.to_data()`` (JSON-ready, flat, the shape the templates read) and the sender reads it
back with ``QueuedEmail.from_data(kind, data)``.
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from pydantic import TypeAdapter
from pydantic.dataclasses import dataclass

from notifications.facts import (
    STRICT,
    DecisionFacts,
    EndedBy,
    Envelope,
    Links,
    RevisionFacts,
    Role,
    SettledStageFacts,
    SignOffFacts,
    StageFacts,
    Waiting,
)
from notifications.loop_contexts import ChangesRequestedEmail, DelegatedEmail

__all__ = [
    "DecisionFacts",
    "EndedBy",
    "Envelope",
    "Links",
    "RevisionFacts",
    "SettledStageFacts",
    "SignOffFacts",
    "StageFacts",
    "Waiting",
]


@dataclass(frozen=True, config=STRICT)
class InvitationEmail:
    kind: ClassVar[str] = "invitation"
    role: Role
    reason: str
    stage: StageFacts
    chairs_action: str | None = None  # the chair is asked to act between meetings, for this reason
    revision: RevisionFacts | None = None  # a new version: what changed and the lead's note
    on_behalf_of: str | None = None  # a deputy's invitation: whose review it is


@dataclass(frozen=True, config=STRICT)
class PaperDueEmail:
    """To the lead: the paper for a committee's meeting is due by its deadline (a link marks it sent)."""

    kind: ClassVar[str] = "paper_due"
    role: Role
    reason: str
    stage: StageFacts
    reminder: bool = False


@dataclass(frozen=True, config=STRICT)
class MeetingChangedEmail:
    """To the lead: the paper moved to another meeting (deferred, or accepted as a late paper)."""

    kind: ClassVar[str] = "meeting_changed"
    role: Role
    reason: str
    stage: StageFacts
    why: Literal["deferred", "late_paper"]
    from_meeting: str | None
    note: str
    forecast_effect: str | None


@dataclass(frozen=True, config=STRICT)
class RatificationEmail:
    """To the secretary: record the committee's ratification of a chair's action at its meeting."""

    kind: ClassVar[str] = "ratification"
    role: Role
    reason: str
    stage: StageFacts
    chair: str
    acted_on: str
    ratify_at: str | None


@dataclass(frozen=True, config=STRICT)
class ReminderEmail:
    kind: ClassVar[str] = "reminder"
    role: Role
    reason: str
    stage: StageFacts
    overdue_working_days: int
    due: str
    forecast_effect: str | None
    on_behalf_of: str | None = None  # a deputy's reminder: whose review it is


@dataclass(frozen=True, config=STRICT)
class StageCompletedEmail:
    kind: ClassVar[str] = "stage_completed"
    role: Role
    reason: str
    stage: SettledStageFacts
    decisions: tuple[DecisionFacts, ...]
    next_stages: tuple[str, ...]


@dataclass(frozen=True, config=STRICT)
class StageClosedEmail:
    kind: ClassVar[str] = "stage_closed"
    role: Role
    reason: str
    stage: StageFacts


@dataclass(frozen=True, config=STRICT)
class SignOffFinishedEmail:
    kind: ClassVar[str] = "signoff_finished"
    role: Role
    reason: str
    outcome: str
    ended_by: EndedBy | None
    need_not_act: bool
    decisions: tuple[DecisionFacts, ...]


@dataclass(frozen=True, config=STRICT)
class EscalationEmail:
    kind: ClassVar[str] = "escalation"
    role: Role
    reason: str
    stage: StageFacts
    outstanding: tuple[Waiting, ...]
    reminders_sent: int
    forecast_effect: str | None


@dataclass(frozen=True, config=STRICT)
class RagChangedEmail:
    kind: ClassVar[str] = "rag_changed"
    role: Role
    reason: str
    rag_from: str | None  # None: the sign-off's first stored RAG (it started amber or red)
    rag_to: str
    cause_stage: str | None
    next_meeting: str | None
    forecast: str | None
    slack_working_days: int | None
    next_meeting_committee: str | None = None  # whose meeting ``next_meeting`` is


@dataclass(frozen=True, config=STRICT)
class DecisionReceiptEmail:
    """What the reviewer's link recorded: so a decision made by someone else is noticed. No link."""

    kind: ClassVar[str] = "decision_receipt"
    role: Role
    reason: str
    stage: StageFacts
    decision_words: str
    comment: str
    decided_at: str
    decided_version: int
    decided_sha256: str
    on_behalf_of: str | None = None  # recorded by a deputy: whose review it was


EmailBody = (
    InvitationEmail
    | ReminderEmail
    | StageCompletedEmail
    | StageClosedEmail
    | SignOffFinishedEmail
    | EscalationEmail
    | RagChangedEmail
    | DecisionReceiptEmail
    | PaperDueEmail
    | MeetingChangedEmail
    | RatificationEmail
    | ChangesRequestedEmail
    | DelegatedEmail
)
BODIES: dict[str, type[EmailBody]] = {
    body.kind: body
    for body in (
        InvitationEmail,
        ReminderEmail,
        StageCompletedEmail,
        StageClosedEmail,
        SignOffFinishedEmail,
        EscalationEmail,
        RagChangedEmail,
        DecisionReceiptEmail,
        PaperDueEmail,
        MeetingChangedEmail,
        RatificationEmail,
        ChangesRequestedEmail,
        DelegatedEmail,
    )
}
ENVELOPE_FIELDS = ("signoff", "recipient", "contact", "links", "thread")


@dataclass(frozen=True, config=STRICT)
class QueuedEmail:
    """One email as the outbox keeps it: its envelope and its kind's body."""

    envelope: Envelope
    body: EmailBody

    @property
    def kind(self) -> str:
        return self.body.kind

    def to_data(self) -> dict[str, Any]:
        """The flat, JSON-ready context the templates read (and the outbox stores)."""
        envelope = TypeAdapter(Envelope).dump_python(self.envelope, mode="json")
        body = TypeAdapter(type(self.body)).dump_python(self.body, mode="json")
        return {**envelope, **body}

    @classmethod
    def from_data(cls, kind: str, data: dict[str, Any]) -> QueuedEmail:
        """Read a stored context back; ValueError for an unknown kind, ValidationError for a bad one."""
        if kind not in BODIES:
            msg = f"unknown email kind {kind!r}; expected one of {', '.join(BODIES)}"
            raise ValueError(msg)
        envelope = {key: value for key, value in data.items() if key in ENVELOPE_FIELDS}
        body = {key: value for key, value in data.items() if key not in ENVELOPE_FIELDS}
        return cls(
            TypeAdapter(Envelope).validate_python(envelope), TypeAdapter(BODIES[kind]).validate_python(body)
        )


@dataclass(frozen=True, config=STRICT)
class ChannelNotice:
    """A short notice to a chat channel (stage approved, stalled, escalated, finished)."""

    summary: str
    signoff_id: str

    def to_data(self) -> dict[str, Any]:
        data: dict[str, Any] = TypeAdapter(ChannelNotice).dump_python(self, mode="json")
        return data

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> ChannelNotice:
        return TypeAdapter(ChannelNotice).validate_python(data)
