"""Committee meetings: recurrence, extra and cancelled dates, paper deadlines, rule checks."""

from dataclasses import replace
from datetime import date

import pytest

from governance.adapters.bank_holidays import bank_holidays
from governance.domain.errors import PlanningError
from governance.domain.meetings import (
    latest_meeting,
    meeting_dates,
    next_meeting_for_papers,
    paper_deadline,
    validate_rrule,
)
from governance.domain.route import Calendar
from governance.domain.workdays import WorkingDays

WORKDAYS = WorkingDays.of(bank_holidays(2025, 2029))
SECOND_TUESDAY = Calendar("finance", "Finance Committee", 7, "FREQ=MONTHLY;BYDAY=+2TU", date(2026, 1, 1))
FIRST_TUESDAY = Calendar("quality", "Quality Committee", 7, "FREQ=MONTHLY;BYDAY=+1TU", date(2026, 1, 1))


def test_a_monthly_rule_gives_the_second_tuesday_of_each_month() -> None:
    meetings = meeting_dates(SECOND_TUESDAY, since=date(2027, 1, 1), until=date(2027, 6, 30))
    assert meetings == [
        date(2027, 1, 12),
        date(2027, 2, 9),
        date(2027, 3, 9),
        date(2027, 4, 13),
        date(2027, 5, 11),
        date(2027, 6, 8),
    ]


def test_worked_example_march_2027_meeting_takes_papers_seven_working_days_before() -> None:
    # Tue 9 Mar back 7 working days: 8, 5, 4, 3, 2, 1 Mar, then Fri 26 Feb.
    assert date(2027, 3, 9) in meeting_dates(SECOND_TUESDAY, until=date(2027, 3, 31))
    assert paper_deadline(date(2027, 3, 9), SECOND_TUESDAY, WORKDAYS) == date(2027, 2, 26)


@pytest.mark.parametrize(
    ("calendar", "meeting", "deadline"),
    [
        (SECOND_TUESDAY, date(2026, 4, 14), date(2026, 4, 1)),  # over Easter 2026
        (FIRST_TUESDAY, date(2027, 4, 6), date(2027, 3, 24)),  # over Easter 2027
        (SECOND_TUESDAY, date(2027, 1, 12), date(2026, 12, 31)),  # over New Year's Day
        (FIRST_TUESDAY, date(2027, 1, 5), date(2026, 12, 22)),  # over Christmas and New Year
        (SECOND_TUESDAY, date(2027, 6, 8), date(2027, 5, 27)),  # over the late-May bank holiday
        (FIRST_TUESDAY, date(2027, 9, 7), date(2027, 8, 26)),  # over the August bank holiday
    ],
)
def test_paper_deadlines_skip_weekends_and_bank_holidays(
    calendar: Calendar, meeting: date, deadline: date
) -> None:
    assert meeting in meeting_dates(calendar, since=meeting, until=meeting)
    assert paper_deadline(meeting, calendar, WORKDAYS) == deadline


def test_a_paper_deadline_of_zero_working_days_is_the_meeting_itself() -> None:
    calendar = replace(SECOND_TUESDAY, paper_deadline_working_days=0)
    assert paper_deadline(date(2027, 3, 9), calendar, WORKDAYS) == date(2027, 3, 9)


def test_a_cancelled_meeting_is_not_a_meeting() -> None:
    calendar = replace(SECOND_TUESDAY, cancelled=(date(2027, 3, 9),))
    meetings = meeting_dates(calendar, since=date(2027, 2, 1), until=date(2027, 4, 30))
    assert meetings == [date(2027, 2, 9), date(2027, 4, 13)]


@pytest.mark.parametrize(
    ("cancelled", "expected"),
    [((), date(2027, 3, 9)), ((date(2027, 3, 9),), date(2027, 2, 9))],
)
def test_the_latest_meeting_on_or_before_a_day_skips_a_cancelled_one(
    cancelled: tuple[date, ...], expected: date
) -> None:
    calendar = replace(SECOND_TUESDAY, cancelled=cancelled)
    assert latest_meeting(calendar, on_or_before=date(2027, 3, 20)) == expected


@pytest.mark.parametrize(
    ("cancelled", "ready", "expected"),
    [
        ((), date(2027, 2, 20), date(2027, 3, 9)),
        ((), date(2027, 2, 26), date(2027, 3, 9)),  # ready on the deadline day itself
        ((), date(2027, 3, 1), date(2027, 4, 13)),  # missed the March deadline
        ((date(2027, 3, 9),), date(2027, 2, 20), date(2027, 4, 13)),
    ],
)
def test_the_next_meeting_for_papers_is_the_first_whose_deadline_is_not_past(
    cancelled: tuple[date, ...], ready: date, expected: date
) -> None:
    calendar = replace(SECOND_TUESDAY, cancelled=cancelled)
    assert next_meeting_for_papers(calendar, WORKDAYS, ready=ready, until=date(2028, 1, 1)) == expected


def test_extra_dates_join_the_recurring_meetings_in_order() -> None:
    calendar = replace(SECOND_TUESDAY, dates=(date(2027, 3, 23),))
    meetings = meeting_dates(calendar, since=date(2027, 3, 1), until=date(2027, 4, 30))
    assert meetings == [date(2027, 3, 9), date(2027, 3, 23), date(2027, 4, 13)]


def test_a_calendar_of_dates_alone_has_just_those_meetings() -> None:
    calendar = Calendar("board", "ICB Board", 5, dates=(date(2027, 7, 1), date(2027, 2, 4)))
    assert meeting_dates(calendar, until=date(2030, 1, 1)) == [date(2027, 2, 4), date(2027, 7, 1)]
    assert latest_meeting(calendar, on_or_before=date(2027, 1, 31)) is None
    assert next_meeting_for_papers(calendar, WORKDAYS, ready=date(2027, 7, 1), until=date(2030, 1, 1)) is None


def test_no_meeting_is_found_after_the_search_limit() -> None:
    found = next_meeting_for_papers(SECOND_TUESDAY, WORKDAYS, ready=date(2027, 3, 1), until=date(2027, 4, 12))
    assert found is None


def test_meetings_before_the_rules_start_do_not_exist() -> None:
    assert latest_meeting(SECOND_TUESDAY, on_or_before=date(2026, 1, 12)) is None
    assert latest_meeting(SECOND_TUESDAY, on_or_before=date(2026, 1, 13)) == date(2026, 1, 13)


def test_a_rule_with_a_count_stops_after_that_many_meetings() -> None:
    calendar = replace(SECOND_TUESDAY, rrule="FREQ=MONTHLY;BYDAY=+2TU;COUNT=3")
    assert meeting_dates(calendar, until=date(2028, 1, 1)) == [
        date(2026, 1, 13),
        date(2026, 2, 10),
        date(2026, 3, 10),
    ]


def test_two_years_of_weekly_meetings_are_expanded() -> None:
    calendar = Calendar("weekly", "Weekly huddle", 1, "RRULE:FREQ=WEEKLY;BYDAY=MO", date(2026, 1, 1))
    assert len(meeting_dates(calendar, since=date(2026, 1, 1), until=date(2027, 12, 31))) == 104


def test_an_invalid_rule_is_a_planning_error_naming_the_calendar() -> None:
    calendar = replace(SECOND_TUESDAY, rrule="FREQ=MONTHLY;BYDAY=+2TX")
    with pytest.raises(PlanningError, match=r"calendar 'finance' \(Finance Committee\).*BYDAY"):
        meeting_dates(calendar, until=date(2027, 1, 1))


def test_a_rule_without_a_start_date_is_a_planning_error() -> None:
    calendar = replace(SECOND_TUESDAY, dtstart=None)
    with pytest.raises(PlanningError, match=r"'finance'.*no dtstart"):
        latest_meeting(calendar, on_or_before=date(2027, 1, 1))


@pytest.mark.parametrize(
    "text",
    ["FREQ=MONTHLY;BYDAY=+2TU", "RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=WE", "FREQ=MONTHLY;BYDAY=-1TH;COUNT=12"],
)
def test_a_usable_rule_has_no_problem(text: str) -> None:
    assert validate_rrule(text) is None


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("FREQ=MONTHLY;BYDAY=+2TX", "BYDAY"),
        ("BYDAY=MO", "FREQ is missing"),
        ("FREQ=FORTNIGHTLY", "FORTNIGHTLY"),
        ("FREQ=HOURLY", "daily at most"),
        ("", "one RRULE value"),
        ("DTSTART:20260101\nRRULE:FREQ=WEEKLY", "one RRULE value"),
        ("FREQ=WEEKLY;UNTIL=20270101T000000Z", "UNTIL as a plain date"),
        ("FREQ=WEEKLY;WHEN=SOON", "WHEN"),
    ],
)
def test_an_unusable_rule_is_explained(text: str, problem: str) -> None:
    assert problem in (validate_rrule(text) or "")


def test_a_rule_with_no_meeting_after_its_start_date_is_explained() -> None:
    problem = validate_rrule("FREQ=MONTHLY;COUNT=2", dtstart=date(2026, 1, 1))
    assert problem is None
    problem = validate_rrule("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", dtstart=date(2026, 1, 1))
    assert "no meeting" in (problem or "")
