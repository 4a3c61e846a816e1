"""When an opened stage is due: one rule for a newly opened stage, the plan and the running forecast.

The finance committee meets on the 2nd Tuesday, papers 7 working days before: 9 Mar 2027 (papers
Fri 26 Feb) and 13 Apr 2027 (papers Fri 2 Apr, before Easter).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from governance.adapters.bank_holidays import bank_holidays
from governance.domain.route import ApprovalRule, Calendar, Route, RuleKind, Stage, StageKind
from governance.domain.stage_dates import MEETING_HORIZON, StageDater, due_when_opened
from governance.domain.workdays import WorkingDays

WORKDAYS = WorkingDays.of(bank_holidays(2025, 2035))
COMMITTEE = Calendar("finance", "Finance Committee", 7, "FREQ=MONTHLY;BYDAY=+2TU", date(2026, 1, 1))
ONE_OFF = Calendar("panel", "Panel", 2, None, None, (date(2027, 3, 10),))
FAR_OFF = Calendar("board", "Board", 2, None, None, (date(2027, 1, 4) + MEETING_HORIZON + MEETING_HORIZON,))
ROUTE = Route("r", "Route", "ICB", (), {"finance": COMMITTEE, "panel": ONE_OFF, "board": FAR_OFF})


def review(days: int | None) -> Stage:
    return Stage("legal", "Legal", StageKind.REVIEW, ("l@nhs.net",), ApprovalRule(RuleKind.ALL), days)


def meeting(calendar: str = "finance", days: int | None = None) -> Stage:
    rule = ApprovalRule(RuleKind.ANY)
    return Stage("committee", "Committee", StageKind.MEETING, ("s@nhs.net",), rule, days, calendar)


@pytest.mark.parametrize(
    ("stage", "opened_on", "due"),
    [
        (review(5), date(2027, 3, 24), date(2027, 4, 2)),  # skips Good Friday and Easter Monday
        (review(1), date(2027, 3, 26), date(2027, 3, 30)),  # opened on a bank holiday
        (review(0), date(2027, 3, 1), date(2027, 3, 1)),
        (review(None), date(2027, 3, 1), date(2027, 3, 1)),
        (meeting(), date(2027, 2, 26), date(2027, 3, 9)),  # on the paper deadline itself
        (meeting(), date(2027, 3, 1), date(2027, 4, 13)),  # one day late for March
        (meeting(days=2), date(2027, 3, 1), date(2027, 4, 15)),  # the secretary's two working days
        (meeting("panel"), date(2027, 3, 1), date(2027, 3, 10)),
        (meeting("panel"), date(2027, 3, 9), None),  # its only meeting cannot take the papers
        (meeting("board"), date(2027, 1, 4), None),  # beyond the horizon
    ],
)
def test_an_opened_stage_is_due_by_its_working_days_or_the_meeting_that_takes_its_papers(
    stage: Stage, opened_on: date, due: date | None
) -> None:
    assert due_when_opened(ROUTE, stage, opened_on=opened_on, workdays=WORKDAYS) == due


@pytest.mark.parametrize(
    "opened_on", [date(2027, 2, 1), date(2027, 2, 26), date(2027, 3, 1), date(2027, 12, 31)]
)
def test_a_meeting_stage_is_due_at_the_meeting_the_planner_forecasts(opened_on: date) -> None:
    stage = meeting(days=3)
    forecast_meeting = StageDater(ROUTE, WORKDAYS).forward(replace(stage, due_working_days=None), opened_on)
    assert due_when_opened(ROUTE, stage, opened_on=opened_on, workdays=WORKDAYS) == WORKDAYS.after(
        forecast_meeting, 3
    )
