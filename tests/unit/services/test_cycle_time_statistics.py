"""Cycle-time statistics as tables: median and 90th percentile on small samples and none, and the
report over plain records (working days, responses, deferrals, late papers, on time or late)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from governance.adapters.route_files import parse_route
from governance.domain.workdays import WorkingDays
from governance.services.cycle_times import cycle_report, median, percentile_90
from governance.services.overview_ports import Response, SignOffHistory, StageSpell

ROUTE = parse_route(
    """\
id: small
name: Small route
organisation: NHS Example ICB
stages:
  - {id: legal, name: Legal review, kind: review, reviewers: [legal@example.nhs.uk], due_working_days: 5}
  - {id: finance, name: Finance review, kind: review, reviewers: [cfo@example.nhs.uk], due_working_days: 5}
""",
    path="small.yaml",
)
# Good Friday and Easter Monday 2026 are bank holidays.
WORKDAYS = {"small": WorkingDays.of({date(2026, 4, 3), date(2026, 4, 6)})}


@pytest.mark.parametrize(
    ("values", "expected"),
    [([], None), ([4], 4), ([1, 3], 2), ([5, 1, 3], 3), ([1, 2, 3, 10], 2.5)],
)
def test_the_median_is_the_middle_value_or_the_mean_of_the_middle_two(values, expected) -> None:
    assert median(values) == expected


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([], None),
        ([7], 7),
        ([1, 9], 9),
        ([3, 1, 2], 3),
        (list(range(1, 10)), 9),
        (list(range(1, 11)), 9),
        (list(range(1, 21)), 18),
        ([0] * 19 + [100], 0),
    ],
)
def test_the_90th_percentile_is_the_nearest_rank_and_the_longest_of_fewer_than_ten(values, expected) -> None:
    assert percentile_90(values) == expected


def at(day: int, month: int = 3, hour: int = 10) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=UTC)


def history(
    signoff_id: str, *, opened: datetime, closed: datetime | None, state: str = "approved", **kw
) -> SignOffHistory:
    spells = (
        StageSpell(
            "legal", "Legal review", "review", 0, "approved" if closed else "open", opened, closed, **kw
        ),
        StageSpell("finance", "Finance review", "review", 1, "pending", None, None),
    )
    responses = (Response("legal", "legal@example.nhs.uk", opened, closed),) if closed else ()
    return SignOffHistory(
        signoff_id, ROUTE, "lead@example.nhs.uk", state, date(2026, 4, 30), closed, spells, responses
    )


def test_no_signoffs_give_an_empty_report() -> None:
    assert cycle_report([], workdays=WORKDAYS) == ()


def test_a_stage_opened_and_decided_the_same_day_took_no_working_days() -> None:
    (route,) = cycle_report([history("a", opened=at(2), closed=at(2, hour=15))], workdays=WORKDAYS)
    legal, finance = route.stages
    assert (legal.open_days.count, legal.open_days.median, legal.open_days.p90) == (1, 0, 0)
    assert (finance.open_days.count, finance.open_days.median) == (0, None)


def test_working_days_leave_out_weekends_and_bank_holidays() -> None:
    # Thu 2 April to Tue 7 April 2026: Good Friday, the weekend and Easter Monday leave one working day.
    over_easter = history("a", opened=at(2, month=4), closed=at(7, month=4))
    (route,) = cycle_report([over_easter], workdays=WORKDAYS)
    assert route.stages[0].open_days.median == 1
    assert route.stages[0].response_days.median == 1


def test_open_stages_are_left_out_of_days_open_but_deferrals_and_late_papers_count() -> None:
    records = [
        history("a", opened=at(2), closed=at(4)),
        history("b", opened=at(2), closed=at(9)),
        history("c", opened=at(2), closed=None, state="in_progress", deferrals=2, late_paper=True),
    ]
    (route,) = cycle_report(records, workdays=WORKDAYS)
    legal = route.stages[0]
    assert (legal.open_days.count, legal.open_days.median, legal.open_days.p90) == (2, 3.5, 5)
    assert (legal.deferrals, legal.late_papers) == (2, 1)


def test_approved_signoffs_are_counted_on_time_or_late_against_their_target() -> None:
    records = [
        history("on-time", opened=at(2), closed=at(30, month=4)),
        history("late", opened=at(2), closed=at(1, month=5)),
        history("rejected", opened=at(2), closed=at(3), state="rejected"),
    ]
    (route,) = cycle_report(records, workdays=WORKDAYS)
    assert (route.on_time, route.late, route.no_target) == (1, 1, 0)
