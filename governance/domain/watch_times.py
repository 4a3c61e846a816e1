"""When the watcher must next look at a running sign-off: the earliest moment anything may be owed.

Each reason gives a London day; what is owed on a day goes out from the sending window's opening
(09:00 on a working day, ``reminders.sending_window_open``), so that is the moment stored:
- ``reminder``: an outstanding reviewer not yet reminded for the current slot (today), else the next slot;
- ``escalation``: owed today, or tomorrow (a reminder sent today counts towards it from tomorrow);
- ``stall``: a stage not yet announced as stalled, the day after it was due;
- ``phase``: a meeting stage's reminders change hands (after the paper deadline, after the meeting);
- ``rag``: the stored RAG is not today's (today), or the day the RAG changes as the days pass.
Looking early is harmless (the watcher finds nothing and plans again); looking late would not be, so
every reason errs early.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from governance.domain.reminders import (
    LONDON,
    SENDING_FROM,
    StageWatch,
    current_slot,
    escalation_due,
    interval_start,
    is_stalled,
    london_moment,
    sending_window_open,
)
from governance.domain.workdays import WorkingDays

ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class StageLook:
    """One open stage: its reminder rules today (None while a meeting stage nudges nobody), whether
    its stall needs no announcing (told already, or no channel to tell), and the day its reminders
    change hands (a meeting stage's phase ends)."""

    watch: StageWatch | None
    stall_told: bool = False
    phase_ends: date | None = None


@dataclass(frozen=True)
class RagLook:
    """Whether the stored RAG is stale today, and the first later day the RAG is different."""

    stale: bool = False
    changes: date | None = None


@dataclass(frozen=True)
class NextCheck:
    at: datetime  # UTC
    reason: str


def next_check(
    stages: Sequence[StageLook], *, rag: RagLook, now: datetime, workdays: WorkingDays
) -> NextCheck | None:
    """The first moment at or after ``now`` that something may be owed, and why; None when nothing
    ever will be (until the sign-off changes)."""
    today = london_moment(now).date()
    days = [*(d for look in stages for d in _stage_days(look, today, workdays)), *_rag_days(rag, today)]
    if not days:
        return None
    day, reason = min(days, key=lambda found: found[0])
    return NextCheck(sending_opens(max(now, _midnight(day)), workdays), reason)


def sending_opens(moment: datetime, workdays: WorkingDays) -> datetime:
    """The first moment at or after ``moment`` at which scheduled nudges may go, in UTC."""
    if sending_window_open(moment, workdays):
        return moment.astimezone(UTC)
    local = london_moment(moment)
    day = local.date()
    if not (workdays.is_working_day(day) and local.time() < SENDING_FROM):
        day = workdays.after(day, 1)
    return datetime.combine(day, SENDING_FROM, tzinfo=LONDON).astimezone(UTC)


def _midnight(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time(), tzinfo=LONDON)


def _stage_days(look: StageLook, today: date, workdays: WorkingDays) -> Iterator[tuple[date, str]]:
    if look.phase_ends is not None:
        yield max(look.phase_ends, today), "phase"
    watch = look.watch
    if watch is None:
        return
    yield from _reminder_days(watch, today, workdays)
    if escalation_due(watch, today, workdays) is not None:
        yield today, "escalation"
    elif escalation_due(watch, today + ONE_DAY, workdays) is not None:
        yield today + ONE_DAY, "escalation"
    if not look.stall_told and watch.due is not None:
        yield (today if is_stalled(watch.due, today) else watch.due + ONE_DAY), "stall"


def _reminder_days(watch: StageWatch, today: date, workdays: WorkingDays) -> Iterator[tuple[date, str]]:
    """Today when someone is owed the current slot's reminder, and the next slot's day."""
    if not watch.outstanding:
        return
    slot = current_slot(watch, today, workdays)
    reminded = {s.reviewer for s in watch.sent if slot is not None and s.day >= slot}
    if slot is not None and any(reviewer not in reminded for reviewer in watch.outstanding):
        yield today, "reminder"
    every = watch.settings.every_working_days
    start = interval_start(watch)
    rounds = workdays.between(start, today) // every if today > start else 0
    yield workdays.after(start, (rounds + 1) * every), "reminder"


def _rag_days(rag: RagLook, today: date) -> Iterator[tuple[date, str]]:
    if rag.stale:
        yield today, "rag"
    if rag.changes is not None:
        yield max(rag.changes, today), "rag"


def phase_ends(
    *, meeting: date | None, paper_deadline: date | None, submitted: bool, today: date
) -> date | None:
    """The first day a booked meeting stage nudges someone other than today (``reminder_phase``):
    the day after the paper deadline while the paper is awaited, the day after the meeting before it."""
    if meeting is None:
        return None
    if paper_deadline is not None and today <= paper_deadline and not submitted:
        return paper_deadline + ONE_DAY
    return meeting + ONE_DAY if today <= meeting else None
