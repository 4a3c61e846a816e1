"""Working days over England's bank holidays and a route's closures."""

from datetime import date

import pytest

from governance.adapters.bank_holidays import bank_holidays, working_days_for
from governance.domain.route import Route
from governance.domain.workdays import WorkingDays

WORKDAYS = WorkingDays.of(bank_holidays(2025, 2029))
CLOSURE = date(2027, 3, 24)
WITH_CLOSURE = WorkingDays.of(bank_holidays(2025, 2029), {CLOSURE})


@pytest.mark.parametrize(
    "day",
    [
        date(2026, 4, 3),  # Good Friday 2026
        date(2026, 4, 6),  # Easter Monday 2026
        date(2026, 12, 25),  # Christmas Day, a Friday
        date(2026, 12, 28),  # Boxing Day substitute, a Monday
        date(2027, 1, 1),  # New Year's Day
        date(2027, 3, 26),  # Good Friday 2027
        date(2027, 3, 29),  # Easter Monday 2027
        date(2027, 5, 3),  # early May
        date(2027, 5, 31),  # late May
        date(2027, 8, 30),  # August
        date(2027, 12, 27),  # Christmas substitute
        date(2027, 12, 28),  # Boxing Day substitute
    ],
)
def test_england_bank_holidays_include_the_checked_dates(day: date) -> None:
    assert day in bank_holidays(2026, 2027)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2027, 3, 25), True),
        (date(2027, 3, 26), False),
        (date(2027, 3, 27), False),
        (date(2027, 3, 29), False),
        (date(2027, 3, 30), True),
        (date(2026, 12, 29), True),
        (date(2027, 1, 4), True),
    ],
)
def test_weekends_and_bank_holidays_are_not_working_days(day: date, working: bool) -> None:
    assert WORKDAYS.is_working_day(day) is working


@pytest.mark.parametrize(
    ("day", "count", "expected"),
    [
        (date(2027, 3, 25), 1, date(2027, 3, 30)),  # over Easter 2027
        (date(2027, 3, 19), 5, date(2027, 3, 30)),
        (date(2026, 12, 24), 1, date(2026, 12, 29)),  # over Christmas and the Boxing Day substitute
        (date(2026, 12, 31), 1, date(2027, 1, 4)),  # over New Year's Day
        (date(2027, 5, 28), 1, date(2027, 6, 1)),  # over the late-May bank holiday
        (date(2027, 8, 27), 1, date(2027, 8, 31)),  # over the August bank holiday
        (date(2027, 3, 27), 0, date(2027, 3, 27)),  # zero days is the day itself, working or not
    ],
)
def test_after_counts_working_days_forwards_not_counting_the_day_itself(
    day: date, count: int, expected: date
) -> None:
    assert WORKDAYS.after(day, count) == expected


@pytest.mark.parametrize(
    ("day", "count", "expected"),
    [
        (date(2027, 3, 30), 1, date(2027, 3, 25)),
        (date(2027, 4, 6), 7, date(2027, 3, 24)),
        (date(2026, 12, 29), 1, date(2026, 12, 24)),
        (date(2027, 1, 4), 1, date(2026, 12, 31)),
        (date(2027, 6, 1), 1, date(2027, 5, 28)),
        (date(2027, 8, 31), 1, date(2027, 8, 27)),
        (date(2027, 3, 9), 7, date(2027, 2, 26)),
    ],
)
def test_before_counts_working_days_backwards_not_counting_the_day_itself(
    day: date, count: int, expected: date
) -> None:
    assert WORKDAYS.before(day, count) == expected


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (date(2027, 3, 25), date(2027, 3, 30), 1),
        (date(2027, 3, 30), date(2027, 3, 25), -1),
        (date(2027, 3, 30), date(2027, 3, 30), 0),
        (date(2026, 12, 24), date(2027, 1, 4), 4),
        (date(2027, 5, 28), date(2027, 6, 4), 4),
    ],
)
def test_between_counts_working_days_after_start_up_to_end(start: date, end: date, expected: int) -> None:
    assert WORKDAYS.between(start, end) == expected


@pytest.mark.parametrize(
    ("day", "count", "expected"),
    [
        (date(2027, 3, 23), 1, date(2027, 3, 25)),
        (date(2027, 3, 23), 2, date(2027, 3, 30)),
        (date(2027, 3, 22), 3, date(2027, 3, 30)),
    ],
)
def test_a_closure_day_is_skipped_like_a_bank_holiday(day: date, count: int, expected: date) -> None:
    assert WITH_CLOSURE.after(day, count) == expected


def test_on_or_after_moves_a_bank_holiday_to_the_next_working_day() -> None:
    assert WORKDAYS.on_or_after(date(2027, 3, 26)) == date(2027, 3, 30)


def test_a_negative_count_of_working_days_is_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        WORKDAYS.after(date(2027, 3, 1), -1)


def test_working_days_for_a_route_combine_bank_holidays_and_its_closures() -> None:
    route = Route("r", "Route", "ICB", (), closures=frozenset({CLOSURE}))
    workdays = working_days_for(route, around=date(2027, 1, 1), years_each_side=1)
    assert not workdays.is_working_day(CLOSURE)
    assert not workdays.is_working_day(date(2028, 12, 25))
    assert workdays.is_working_day(date(2027, 3, 23))
