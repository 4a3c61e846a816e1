"""The reminder rules: which reminders and escalation an open stage is owed, and when."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from governance.adapters.bank_holidays import bank_holidays
from governance.domain.reminders import (
    SentReminder,
    StageWatch,
    current_slot,
    due_nudges,
    identity,
    manual_reminders,
    sending_window_open,
)
from governance.domain.route import Reminders
from governance.domain.workdays import WorkingDays

WORKDAYS = WorkingDays.of(bank_holidays(2025, 2028))
ALICE, BOB = "alice@icb.example.nhs.uk", "bob@icb.example.nhs.uk"
OPENED = date(2026, 3, 20)  # a Friday; Good Friday 3 Apr and Easter Monday 6 Apr 2026 follow
DUE = date(2026, 4, 7)  # 10 working days later


def watch(*sent: SentReminder, escalated: bool = False, every: int = 3, after: int = 2) -> StageWatch:
    return StageWatch(
        signoff_id="s1",
        stage_id="legal",
        opened=OPENED,
        due=DUE,
        settings=Reminders(every_working_days=every, escalate_after=after),
        outstanding=(ALICE, BOB),
        sent=sent,
        escalated=escalated,
    )


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def reminded(*days: date, to: tuple[str, ...] = (ALICE, BOB)) -> tuple[SentReminder, ...]:
    return tuple(SentReminder(reviewer, day) for day in days for reviewer in to)


@pytest.mark.parametrize(
    ("now", "is_open"),
    [
        (utc(2026, 3, 27, 8, 59), False),  # Friday 08:59 GMT
        (utc(2026, 3, 27, 9, 0), True),  # Friday 09:00 GMT
        (utc(2026, 3, 30, 7, 59), False),  # Monday 08:59 BST, the first working day after the change
        (utc(2026, 3, 30, 8, 0), True),  # Monday 09:00 BST
        (utc(2026, 10, 23, 8, 0), True),  # Friday 09:00 BST
        (utc(2026, 10, 26, 8, 30), False),  # Monday 08:30 GMT, after the change back
        (utc(2026, 10, 26, 9, 0), True),  # Monday 09:00 GMT
        (utc(2026, 4, 6, 10, 0), False),  # Easter Monday, a bank holiday
        (utc(2026, 3, 28, 10, 0), False),  # Saturday
        (utc(2026, 3, 27, 23, 30), True),  # still Friday in London
        (utc(2026, 7, 2, 23, 30), False),  # 00:30 BST on Friday: not yet 09:00
    ],
)
def test_nudges_go_out_on_working_days_from_nine_london_time(now: datetime, *, is_open: bool) -> None:
    assert sending_window_open(now, WORKDAYS) is is_open


@pytest.mark.parametrize(
    ("today", "slot"),
    [
        (date(2026, 3, 24), None),  # two working days in: nothing yet
        (date(2026, 3, 25), date(2026, 3, 25)),  # third working day after the opening
        (date(2026, 3, 27), date(2026, 3, 25)),
        (date(2026, 3, 30), date(2026, 3, 30)),
        (date(2026, 4, 2), date(2026, 4, 2)),
        (date(2026, 4, 8), date(2026, 4, 2)),  # Good Friday and Easter Monday do not count
        (date(2026, 4, 9), date(2026, 4, 9)),
    ],
)
def test_reminder_days_are_counted_in_working_days_from_the_opening(today: date, slot: date | None) -> None:
    assert current_slot(watch(), today, WORKDAYS) == slot


def test_every_outstanding_reviewer_is_reminded_on_a_reminder_day() -> None:
    nudges = due_nudges(watch(), now=utc(2026, 3, 25, 9, 0), workdays=WORKDAYS)
    assert [(r.reviewer, r.slot, r.overdue_working_days) for r in nudges.reminders] == [
        (ALICE, date(2026, 3, 25), 0),
        (BOB, date(2026, 3, 25), 0),
    ]
    assert nudges.escalation is None
    assert not nudges.stalled


def test_nothing_is_sent_before_nine_on_a_reminder_day() -> None:
    assert due_nudges(watch(), now=utc(2026, 3, 25, 8, 59), workdays=WORKDAYS).reminders == ()


def test_a_reminder_already_sent_for_the_day_is_not_owed_again() -> None:
    nudges = due_nudges(watch(*reminded(date(2026, 3, 25))), now=utc(2026, 3, 25, 15, 0), workdays=WORKDAYS)
    assert nudges.reminders == ()


def test_a_reviewer_reminded_already_is_skipped_while_the_other_is_reminded() -> None:
    sent = reminded(date(2026, 3, 25), to=(ALICE,))
    nudges = due_nudges(watch(*sent), now=utc(2026, 3, 26, 9, 0), workdays=WORKDAYS)
    assert [r.reviewer for r in nudges.reminders] == [BOB]


def test_a_missed_reminder_day_is_caught_up_once_not_as_a_backlog() -> None:
    # Nothing ran from 25 Mar to 1 Apr: the 25 and 30 Mar slots collapse into one reminder.
    nudges = due_nudges(watch(), now=utc(2026, 4, 1, 9, 0), workdays=WORKDAYS)
    assert {r.slot for r in nudges.reminders} == {date(2026, 3, 30)}


def test_a_manual_reminder_restarts_the_interval() -> None:
    sent = tuple(SentReminder(r, date(2026, 3, 24), manual=True) for r in (ALICE, BOB))
    assert current_slot(watch(*sent), date(2026, 3, 26), WORKDAYS) is None
    assert current_slot(watch(*sent), date(2026, 3, 27), WORKDAYS) == date(2026, 3, 27)


def test_manual_reminders_go_to_everyone_outstanding_at_any_hour() -> None:
    found = manual_reminders(watch(), now=utc(2026, 4, 4, 22, 0), workdays=WORKDAYS)  # a Saturday night
    assert [(r.reviewer, r.slot, r.manual) for r in found] == [
        (ALICE, date(2026, 4, 4), True),
        (BOB, date(2026, 4, 4), True),
    ]
    assert found[0].dedupe_key == f"reminder:s1:legal:{ALICE}:2026-04-04:manual"


def test_a_stage_past_its_due_date_is_stalled_and_reminders_say_how_late() -> None:
    nudges = due_nudges(watch(), now=utc(2026, 4, 9, 9, 0), workdays=WORKDAYS)
    assert nudges.stalled
    assert {r.overdue_working_days for r in nudges.reminders} == {2}


@pytest.mark.parametrize(
    ("sent_days", "today", "escalates"),
    [
        ((date(2026, 4, 9),), date(2026, 4, 14), False),  # one reminder past due
        ((date(2026, 4, 7), date(2026, 4, 9)), date(2026, 4, 14), False),  # one on the due day itself
        (
            (date(2026, 4, 9), date(2026, 4, 14)),
            date(2026, 4, 14),
            False,
        ),  # second sent today: a day to answer
        ((date(2026, 4, 9), date(2026, 4, 14)), date(2026, 4, 15), True),
        ((date(2026, 4, 2), date(2026, 4, 9), date(2026, 4, 14)), date(2026, 4, 20), True),
    ],
)
def test_escalation_follows_the_configured_number_of_reminders_past_the_due_date(
    sent_days: tuple[date, ...], today: date, *, escalates: bool
) -> None:
    now = datetime(today.year, today.month, today.day, 9, 0, tzinfo=UTC)
    nudges = due_nudges(watch(*reminded(*sent_days)), now=now, workdays=WORKDAYS)
    assert (nudges.escalation is not None) is escalates


def test_an_escalation_names_who_is_outstanding_for_how_long_and_the_reminders_sent() -> None:
    sent = reminded(date(2026, 4, 2), date(2026, 4, 9), date(2026, 4, 14))
    escalation = due_nudges(watch(*sent), now=utc(2026, 4, 15, 9, 0), workdays=WORKDAYS).escalation
    assert escalation is not None
    assert [(w.reviewer, w.working_days) for w in escalation.outstanding] == [(ALICE, 16), (BOB, 16)]
    assert escalation.reminders_sent == 3
    assert escalation.dedupe_key(ALICE) == f"escalation:s1:legal:{ALICE}"


def test_only_one_escalation_goes_out_and_reminders_go_on() -> None:
    sent = reminded(date(2026, 4, 9), date(2026, 4, 14))
    nudges = due_nudges(watch(*sent, escalated=True), now=utc(2026, 4, 17, 9, 0), workdays=WORKDAYS)
    assert nudges.escalation is None
    assert len(nudges.reminders) == 2


def test_escalating_after_no_reminders_escalates_on_the_first_stalled_morning() -> None:
    nudges = due_nudges(watch(after=0), now=utc(2026, 4, 8, 9, 0), workdays=WORKDAYS)
    assert nudges.escalation is not None


def test_a_stage_with_no_due_date_is_reminded_but_never_stalled() -> None:
    undated = StageWatch("s1", "exec", OPENED, None, Reminders(), (ALICE,))
    nudges = due_nudges(undated, now=utc(2026, 6, 1, 9, 0), workdays=WORKDAYS)
    assert not nudges.stalled
    assert nudges.escalation is None
    assert len(nudges.reminders) == 1


def test_a_key_too_long_for_its_column_is_replaced_by_a_stable_hash() -> None:
    long_stage = "s" * 120
    key = identity("reminder", "s1", long_stage, "x" * 200 + "@example.org", "2026-04-09")
    assert key == identity("reminder", "s1", long_stage, "x" * 200 + "@example.org", "2026-04-09")
    assert len(key) <= 300
    assert key.startswith("reminder:")


def test_a_naive_time_is_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        sending_window_open(datetime(2026, 3, 25, 9, 0), WORKDAYS)
