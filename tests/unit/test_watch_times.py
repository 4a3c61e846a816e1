"""When the watcher must next look at a sign-off: each reason, at the sending window's opening."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from governance.adapters.bank_holidays import bank_holidays
from governance.domain.reminders import SentReminder, StageWatch
from governance.domain.route import Reminders
from governance.domain.watch_times import NextCheck, RagLook, StageLook, next_check, phase_ends, sending_opens
from governance.domain.workdays import WorkingDays

WORKDAYS = WorkingDays.of(bank_holidays(2025, 2028))
ALICE, BOB = "alice@icb.example.nhs.uk", "bob@icb.example.nhs.uk"
OPENED = date(
    2026, 3, 20
)  # a Friday; reminders every 3 working days: Wed 25, Mon 30 Mar, Thu 2 Apr, Thu 9 Apr
DUE = date(2026, 4, 7)  # Good Friday and Easter Monday come before it; BST from Sunday 29 March


def utc(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


def both(*days: date) -> tuple[SentReminder, ...]:
    return tuple(SentReminder(who, day) for day in days for who in (ALICE, BOB))


def stage(*sent: SentReminder, told: bool = False, outstanding: tuple[str, ...] = (ALICE, BOB)) -> StageLook:
    watch = StageWatch("s1", "legal", OPENED, DUE, Reminders(3, 2), outstanding, sent)
    return StageLook(watch, stall_told=told)


SO_FAR = (date(2026, 3, 25), date(2026, 3, 30), date(2026, 4, 2))


@pytest.mark.parametrize(
    ("looks", "rag", "now", "expected"),
    [
        pytest.param(
            [stage()], RagLook(), utc(3, 20, 10), NextCheck(utc(3, 25, 9), "reminder"), id="next-slot"
        ),
        pytest.param(
            [stage()], RagLook(), utc(3, 25, 7), NextCheck(utc(3, 25, 9), "reminder"), id="owed-today"
        ),
        pytest.param(
            [stage()], RagLook(), utc(3, 25, 11), NextCheck(utc(3, 25, 11), "reminder"), id="owed-now"
        ),
        pytest.param(
            [stage(*both(date(2026, 3, 25)))],
            RagLook(),
            utc(3, 25, 9, 5),
            NextCheck(utc(3, 30, 8), "reminder"),  # 09:00 BST
            id="slot-after-the-clocks-change",
        ),
        pytest.param(
            [stage(*both(*SO_FAR))], RagLook(), utc(4, 2, 10), NextCheck(utc(4, 8, 8), "stall"), id="stall"
        ),
        pytest.param(
            [stage(*both(*SO_FAR), told=True)],
            RagLook(),
            utc(4, 2, 10),
            NextCheck(utc(4, 9, 8), "reminder"),  # over Easter
            id="slot-over-easter",
        ),
        pytest.param(
            [stage(*both(*SO_FAR, date(2026, 4, 9), date(2026, 4, 14)), told=True)],
            RagLook(),
            utc(4, 14, 8, 30),
            NextCheck(utc(4, 15, 8), "escalation"),  # a reminder sent today counts from tomorrow
            id="escalation-tomorrow",
        ),
        pytest.param(
            [stage(*both(*SO_FAR, date(2026, 4, 9), date(2026, 4, 14)), told=True)],
            RagLook(),
            utc(4, 15, 11),
            NextCheck(utc(4, 15, 11), "escalation"),
            id="escalation-now",
        ),
        pytest.param(
            [StageLook(None, phase_ends=date(2026, 4, 8))],
            RagLook(),
            utc(4, 2, 12),
            NextCheck(utc(4, 8, 8), "phase"),
            id="meeting-phase-ends",
        ),
        pytest.param(
            [], RagLook(stale=True), utc(3, 21, 12), NextCheck(utc(3, 23, 9), "rag"), id="rag-stale"
        ),
        pytest.param(
            [],
            RagLook(changes=date(2026, 5, 4)),  # the early May bank holiday
            utc(4, 20, 12),
            NextCheck(utc(5, 5, 8), "rag"),
            id="rag-changes",
        ),
        pytest.param([stage(told=True, outstanding=())], RagLook(), utc(3, 20, 10), None, id="nothing-owed"),
        pytest.param([], RagLook(), utc(3, 20, 10), None, id="no-stage-no-rag"),
    ],
)
def test_the_next_check_is_the_earliest_reason_at_the_sending_windows_opening(looks, rag, now, expected):
    assert next_check(looks, rag=rag, now=now, workdays=WORKDAYS) == expected


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (utc(3, 20, 10), utc(3, 20, 10)),  # a working day, in hours: at once
        (utc(3, 20, 8), utc(3, 20, 9)),  # before 09:00 GMT
        (utc(3, 21, 10), utc(3, 23, 9)),  # Saturday: Monday
        (utc(3, 28, 10), utc(3, 30, 8)),  # Saturday, and Monday is BST
        (utc(4, 2, 23, 30), utc(4, 7, 8)),  # 00:30 BST on Good Friday: Tuesday after Easter
    ],
)
def test_nudges_may_go_from_nine_on_a_working_day_in_london(moment, expected):
    assert sending_opens(moment, WORKDAYS) == expected


@pytest.mark.parametrize(
    ("meeting", "deadline", "submitted", "today", "expected"),
    [
        (None, None, False, date(2026, 4, 1), None),  # not booked: the secretary is nudged throughout
        (date(2026, 4, 14), date(2026, 4, 7), False, date(2026, 4, 1), date(2026, 4, 8)),  # paper awaited
        (date(2026, 4, 14), date(2026, 4, 7), True, date(2026, 4, 1), date(2026, 4, 15)),  # paper in
        (date(2026, 4, 14), date(2026, 4, 7), False, date(2026, 4, 10), date(2026, 4, 15)),  # between
        (date(2026, 4, 14), date(2026, 4, 7), False, date(2026, 4, 15), None),  # after the meeting
    ],
)
def test_a_meeting_stages_reminders_change_hands_after_its_paper_deadline_and_its_meeting(
    meeting, deadline, submitted, today, expected
):
    assert phase_ends(meeting=meeting, paper_deadline=deadline, submitted=submitted, today=today) == expected
