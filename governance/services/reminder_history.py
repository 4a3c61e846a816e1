"""The history of nudges queued per stage (reminders, escalations, stall notices): what the reminder
rules read, and the lines the status and timeline list. The records live behind ``uow.reminders``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from governance.domain.london_time import london_date
from governance.domain.reminders import SentReminder
from governance.services.ports import UnitOfWork
from governance.services.stored_records import NewNudge, NudgeRecord

REMINDER, ESCALATION = "reminder", "escalation"
STALLED, ESCALATION_POST = "stalled", "escalation-post"  # notices to the route's channels


def by_stage(nudges: Sequence[NudgeRecord]) -> dict[str, list[NudgeRecord]]:
    """Nudges grouped by stage id, keeping their order."""
    found: dict[str, list[NudgeRecord]] = {}
    for nudge in nudges:
        found.setdefault(nudge.stage_id, []).append(nudge)
    return found


def sent_reminders(nudges: Sequence[NudgeRecord]) -> tuple[SentReminder, ...]:
    """A stage's reminders as the rules see them: dated by the London day they were queued."""
    return tuple(SentReminder(n.recipient, london_date(n.at), n.manual) for n in nudges if n.kind == REMINDER)


def escalated(nudges: Sequence[NudgeRecord]) -> bool:
    return any(n.kind == ESCALATION for n in nudges)


def nudge(
    stage_id: str, signoff_id: str, kind: str, recipient: str, slot: date, *, manual: bool = False
) -> NewNudge:
    """One nudge to record, besides its key and time."""
    return NewNudge(signoff_id, stage_id, kind, recipient, slot, manual)


@dataclass(frozen=True)
class ReminderLine:
    """A reminder as the timeline lists it: ``at`` is when it was sent, or queued while it waits."""

    to: str
    at: datetime
    state: str | None
    manual: bool


@dataclass(frozen=True)
class EscalationLine:
    to: tuple[str, ...]
    at: datetime


@dataclass(frozen=True)
class NudgeLines:
    """A stage's reminders, oldest first, and its escalation if there was one."""

    reminders: tuple[ReminderLine, ...] = ()
    escalation: EscalationLine | None = None


def stage_nudge_lines(uow: UnitOfWork, signoff_id: str) -> dict[str, NudgeLines]:
    """Per stage id, the reminders and the escalation recorded for a sign-off."""
    return {
        stage_id: nudge_lines(nudges)
        for stage_id, nudges in by_stage(uow.reminders.of_signoff(signoff_id)).items()
    }


def nudge_lines(nudges: Sequence[NudgeRecord]) -> NudgeLines:
    """One stage's reminders and escalation (its first moment, everyone it went to)."""
    reminders = tuple(
        ReminderLine(n.recipient, n.sent_at or n.at, n.email_state, n.manual)
        for n in nudges
        if n.kind == REMINDER
    )
    escalations = [n for n in nudges if n.kind == ESCALATION]
    escalation = None
    if escalations:
        first = escalations[0]
        escalation = EscalationLine(tuple(n.recipient for n in escalations), first.sent_at or first.at)
    return NudgeLines(reminders, escalation)
