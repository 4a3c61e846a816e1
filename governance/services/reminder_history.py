"""The history of nudges queued per stage (reminders, escalations, stall notices): what the reminder
rules read, and what the status and timeline list. The records live behind ``uow.reminders``."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from governance.domain.london_time import london_date, utc_now
from governance.domain.reminders import SentReminder
from governance.domain.signoff import SignOff
from governance.domain.stage_risk import stalled
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


def stage_nudges(nudges: Sequence[NudgeRecord]) -> dict[str, dict[str, Any]]:
    """Per stage id: ``reminders`` [{to, at, state, manual}] and ``escalation`` ({to, at} or None).

    ``at`` is when the email was sent, or when it was queued while it waits (ISO, with offset).
    """
    found: dict[str, dict[str, Any]] = {}
    for row in nudges:
        stage = found.setdefault(row.stage_id, {"reminders": [], "escalation": None})
        at = (row.sent_at or row.at).isoformat()
        if row.kind == REMINDER:
            stage["reminders"].append(
                {"to": row.recipient, "at": at, "state": row.email_state, "manual": row.manual}
            )
        elif row.kind == ESCALATION:
            escalation = stage["escalation"] or {"to": [], "at": at}
            escalation["to"].append(row.recipient)
            stage["escalation"] = escalation
    return found


def with_nudges(
    uow: UnitOfWork, signoff: SignOff, stages: list[dict[str, Any]], *, now: datetime | None = None
) -> list[dict[str, Any]]:
    """Add ``stalled``, ``reminders`` and ``escalation`` to each stage of the status JSON."""
    today = london_date(now or utc_now())
    sent = stage_nudges(uow.reminders.of_signoff(signoff.id))
    for stage in stages:
        progress = signoff.stages[stage["id"]]
        found = sent.get(stage["id"], {"reminders": [], "escalation": None})
        stage["stalled"] = stalled(progress.state, due=progress.due, today=today)
        stage["reminders"] = found["reminders"]
        stage["escalation"] = found["escalation"]
    return stages
