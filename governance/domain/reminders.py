"""Stalls, reminders and escalation: which nudges an open stage is owed at a given moment.

Rules (issue 4):
- Each outstanding reviewer is owed a reminder every ``every_working_days`` working days, counted
  from the day the stage opened, or from the last manual reminder, which restarts the interval.
- Scheduled nudges go out only on a working day, from 09:00 Europe/London. A slot missed while
  nothing ran is sent at the next such moment, once: a late run never sends a backlog.
- A stage is stalled when today is after its due date and it is still open.
- Once stalled, when an outstanding reviewer has had ``escalate_after`` reminders dated after the
  due date, and the last of them was sent on an earlier day (the reviewer gets a working day to
  answer it), one escalation goes out for the stage. Reminders go on.
Each nudge has a deterministic identity, so the outbox can refuse a second copy of it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from governance.domain.route import Reminders
from governance.domain.workdays import WorkingDays

LONDON = ZoneInfo("Europe/London")
SENDING_FROM = time(9, 0)
KEY_LIMIT = 300  # the outbox's dedupe_key column


@dataclass(frozen=True)
class SentReminder:
    """A reminder already queued: to whom, on which London day, and whether a person asked for it."""

    reviewer: str
    day: date
    manual: bool = False


@dataclass(frozen=True)
class StageWatch:
    """What the rules need to know about one open stage of one sign-off."""

    signoff_id: str
    stage_id: str
    opened: date
    due: date | None
    settings: Reminders
    outstanding: tuple[str, ...]
    sent: tuple[SentReminder, ...] = ()
    escalated: bool = False


@dataclass(frozen=True)
class ReminderDue:
    """One reminder owed to one reviewer; ``slot`` is the day it belongs to."""

    signoff_id: str
    stage_id: str
    reviewer: str
    slot: date
    overdue_working_days: int
    manual: bool = False

    @property
    def dedupe_key(self) -> str:
        suffix = ":manual" if self.manual else ""
        return (
            identity("reminder", self.signoff_id, self.stage_id, self.reviewer, self.slot.isoformat())
            + suffix
        )


@dataclass(frozen=True)
class Waiting:
    reviewer: str
    working_days: int


@dataclass(frozen=True)
class EscalationDue:
    """The one escalation of a stalled stage: who is outstanding, and for how long."""

    signoff_id: str
    stage_id: str
    outstanding: tuple[Waiting, ...]
    reminders_sent: int

    def dedupe_key(self, recipient: str) -> str:
        return identity("escalation", self.signoff_id, self.stage_id, recipient)


@dataclass(frozen=True)
class Nudges:
    """What a stage is owed now; ``stalled`` also tells channels the stall is news to announce."""

    reminders: tuple[ReminderDue, ...] = ()
    escalation: EscalationDue | None = None
    stalled: bool = False


def identity(kind: str, *parts: str) -> str:
    """A stable key for a nudge; a hash stands in for parts too long for the column."""
    key = ":".join((kind, *parts))
    if len(key) <= KEY_LIMIT - len(":manual"):
        return key
    return f"{kind}:{hashlib.sha256(key.encode()).hexdigest()}"


def london_moment(now: datetime) -> datetime:
    """``now`` on the clocks in England (GMT or BST); ``now`` must be timezone-aware."""
    if now.tzinfo is None:
        msg = f"refusing a naive time {now.isoformat()}: pass an aware datetime"
        raise ValueError(msg)
    return now.astimezone(LONDON)


def sending_window_open(now: datetime, workdays: WorkingDays) -> bool:
    """True on a working day in England from 09:00 local time (BST or GMT) to midnight."""
    local = london_moment(now)
    return workdays.is_working_day(local.date()) and local.time() >= SENDING_FROM


def is_stalled(due: date | None, today: date) -> bool:
    """An open stage is stalled once today is after its due date."""
    return due is not None and today > due


def overdue_working_days(due: date | None, today: date, workdays: WorkingDays) -> int:
    """Working days since the due date (0 until it has passed)."""
    if due is None or today <= due:
        return 0
    return workdays.between(due, today)


def interval_start(watch: StageWatch) -> date:
    """The day reminders are counted from: the opening, or the last manual reminder after it."""
    manual = [s.day for s in watch.sent if s.manual]
    return max([watch.opened, *manual])


def current_slot(watch: StageWatch, today: date, workdays: WorkingDays) -> date | None:
    """The latest reminder day on or before today, or None before the first one."""
    every = watch.settings.every_working_days
    rounds = workdays.between(interval_start(watch), today) // every
    return workdays.after(interval_start(watch), rounds * every) if rounds > 0 else None


def due_nudges(watch: StageWatch, *, now: datetime, workdays: WorkingDays) -> Nudges:
    """The scheduled reminders and escalation this stage is owed at ``now`` (none out of hours)."""
    if not sending_window_open(now, workdays):
        return Nudges()
    today = london_moment(now).date()
    slot = current_slot(watch, today, workdays)
    reminders = (
        ()
        if slot is None
        else tuple(
            ReminderDue(
                watch.signoff_id,
                watch.stage_id,
                reviewer,
                slot,
                overdue_working_days(watch.due, today, workdays),
            )
            for reviewer in watch.outstanding
            if not any(s.reviewer == reviewer and s.day >= slot for s in watch.sent)
        )
    )
    return Nudges(reminders, _escalation(watch, today, workdays), is_stalled(watch.due, today))


def manual_reminders(watch: StageWatch, *, now: datetime, workdays: WorkingDays) -> tuple[ReminderDue, ...]:
    """A reminder for everyone outstanding, now, whatever the hour (a person asked for it)."""
    today = london_moment(now).date()
    overdue = overdue_working_days(watch.due, today, workdays)
    return tuple(
        ReminderDue(watch.signoff_id, watch.stage_id, reviewer, today, overdue, manual=True)
        for reviewer in watch.outstanding
    )


def escalation_due(watch: StageWatch, today: date, workdays: WorkingDays) -> EscalationDue | None:
    """The stage's one escalation when it is owed on ``today`` (None when not, or sent already)."""
    return _escalation(watch, today, workdays)


def _escalation(watch: StageWatch, today: date, workdays: WorkingDays) -> EscalationDue | None:
    if watch.escalated or not watch.outstanding or not is_stalled(watch.due, today):
        return None
    assert watch.due is not None  # is_stalled says so; mypy cannot see it
    answered_late = max(_reminders_to(watch, r, after=watch.due, before=today) for r in watch.outstanding)
    if answered_late < watch.settings.escalate_after:
        return None
    waiting = tuple(Waiting(r, workdays.between(watch.opened, today)) for r in watch.outstanding)
    sent = max(_reminders_to(watch, r, after=date.min, before=date.max) for r in watch.outstanding)
    return EscalationDue(watch.signoff_id, watch.stage_id, waiting, sent)


def _reminders_to(watch: StageWatch, reviewer: str, *, after: date, before: date) -> int:
    """Reminders sent to ``reviewer`` on days strictly between ``after`` and ``before``."""
    return sum(1 for s in watch.sent if s.reviewer == reviewer and after < s.day < before)
