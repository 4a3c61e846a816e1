"""Key-date planning: backward plans, forward forecasts and running forecasts, checked to the day.

Route ``author (5 working days) -> committee (2nd Tuesday, papers 7 working days before) -> chair
(3 working days)``. The committee meets 9 Mar (papers 26 Feb), 13 Apr (papers Fri 2 Apr, before
Easter) and 11 May 2027 (papers Thu 29 Apr, before the early-May bank holiday).
"""

from dataclasses import replace
from datetime import date

import pytest

from governance.adapters.bank_holidays import bank_holidays, working_days_for
from governance.domain.errors import PlanningError
from governance.domain.planning import Plan, plan_route, plan_to_json, rag_for
from governance.domain.route import (
    ApprovalRule,
    Calendar,
    ParallelGroup,
    Route,
    RuleKind,
    Stage,
    StageKind,
)
from governance.domain.running_forecast import StageActual, forecast_running, forecast_to_json
from governance.domain.workdays import WorkingDays

WORKDAYS = WorkingDays.of(bank_holidays(2025, 2029))
COMMITTEE = Calendar("finance", "Finance Committee", 7, "FREQ=MONTHLY;BYDAY=+2TU", date(2026, 1, 1))


def review(stage_id: str, days: int) -> Stage:
    return Stage(
        stage_id, stage_id.title(), StageKind.REVIEW, ("r@nhs.net",), ApprovalRule(RuleKind.ALL), days
    )


def meeting(stage_id: str, calendar: str = "finance") -> Stage:
    rule = ApprovalRule(RuleKind.ANY)
    return Stage(stage_id, stage_id.title(), StageKind.MEETING, ("s@nhs.net",), rule, None, calendar)


ROUTE = Route(
    "policy",
    "Policy approval",
    "ICB",
    (review("author", 5), meeting("committee"), review("chair", 3)),
    {"finance": COMMITTEE},
)


def plan(target: date, start: date, route: Route = ROUTE, workdays: WorkingDays = WORKDAYS) -> Plan:
    return plan_route(route, target=target, start=start, workdays=workdays)


def dates(result: Plan, field: str) -> dict[str, date | None]:
    return {stage.id: getattr(stage, field) for stage in result.stages}


def test_worked_example_backward_plan_over_easter_2027() -> None:
    result = plan(date(2027, 4, 30), date(2027, 3, 1))
    # chair: 3 working days before Fri 30 Apr is Tue 27 Apr; the last meeting by then is 13 Apr,
    # papers Fri 2 Apr; author: 5 working days before 2 Apr skips Good Friday and Easter Monday.
    assert dates(result, "start_by") == {
        "author": date(2027, 3, 24),
        "committee": date(2027, 4, 2),
        "chair": date(2027, 4, 27),
    }
    assert dates(result, "decide_by") == {
        "author": date(2027, 4, 2),
        "committee": date(2027, 4, 13),
        "chair": date(2027, 4, 30),
    }
    committee = result.stages[1]
    assert (committee.meeting, committee.paper_deadline) == (date(2027, 4, 13), date(2027, 4, 2))
    assert (result.stages[0].meeting, result.stages[0].paper_deadline) == (None, None)


def test_worked_example_forward_forecast_misses_the_march_papers_deadline() -> None:
    result = plan(date(2027, 4, 30), date(2027, 3, 1))
    assert dates(result, "forecast_start") == {
        "author": date(2027, 3, 1),
        "committee": date(2027, 3, 8),
        "chair": date(2027, 4, 13),
    }
    assert dates(result, "forecast_decide") == {
        "author": date(2027, 3, 8),
        "committee": date(2027, 4, 13),
        "chair": date(2027, 4, 16),
    }
    assert (result.feasible, result.reason, result.forecast) == (True, None, date(2027, 4, 16))


@pytest.mark.parametrize(
    ("target", "feasible", "slack", "rag"),
    [
        (date(2027, 4, 30), True, 10, "green"),
        (date(2027, 4, 23), True, 5, "green"),
        (date(2027, 4, 22), True, 4, "amber"),
        (date(2027, 4, 16), True, 0, "amber"),
        (date(2027, 4, 15), False, -1, "red"),
    ],
)
def test_slack_and_rag_against_the_target(target: date, feasible: bool, slack: int, rag: str) -> None:
    result = plan(target, date(2027, 3, 1))
    assert (result.feasible, result.slack_working_days, result.rag) == (feasible, slack, rag)


def test_a_start_after_the_latest_start_by_is_infeasible_and_says_when_to_start() -> None:
    # By Thu 15 Apr the committee's last meeting is 9 Mar (papers 26 Feb), so the author starts by 19 Feb.
    result = plan(date(2027, 4, 15), date(2027, 3, 1))
    assert result.stages[0].start_by == date(2027, 2, 19)
    assert not result.feasible
    assert "2027-02-19" in (result.reason or "")


def test_a_cancelled_meeting_moves_the_key_dates_and_the_forecast() -> None:
    calendar = replace(COMMITTEE, cancelled=(date(2027, 4, 13),))
    route = replace(ROUTE, calendars={"finance": calendar})
    result = plan(date(2027, 4, 30), date(2027, 3, 1), route=route)
    assert result.stages[1].meeting == date(2027, 3, 9)
    assert result.stages[0].start_by == date(2027, 2, 19)
    assert dates(result, "forecast_decide")["committee"] == date(2027, 5, 11)
    assert (result.forecast, result.slack_working_days, result.rag) == (date(2027, 5, 14), -9, "red")


def test_a_closure_day_is_not_a_working_day_for_the_route() -> None:
    route = replace(ROUTE, closures=frozenset({date(2027, 4, 29)}))
    workdays = working_days_for(route, around=date(2027, 4, 1))
    result = plan(date(2027, 4, 30), date(2027, 3, 1), route=route, workdays=workdays)
    assert result.stages[2].start_by == date(2027, 4, 26)


def test_a_missing_meeting_makes_the_plan_infeasible_and_earlier_stages_unplanned() -> None:
    calendar = replace(COMMITTEE, dtstart=date(2027, 1, 1))
    route = replace(ROUTE, calendars={"finance": calendar})
    result = plan(date(2027, 1, 11), date(2026, 12, 7), route=route)
    assert not result.feasible
    assert "committee" in (result.reason or "")
    assert dates(result, "start_by") == {"author": None, "committee": None, "chair": date(2027, 1, 6)}
    assert dates(result, "forecast_decide") == {
        "author": date(2026, 12, 14),
        "committee": date(2027, 1, 12),  # papers Thu 31 Dec, before New Year's Day
        "chair": date(2027, 1, 15),
    }
    assert (result.slack_working_days, result.rag) == (-4, "red")


def test_a_forecast_with_no_meeting_to_take_the_papers_is_impossible() -> None:
    calendar = Calendar("finance", "Finance Committee", 7, dates=(date(2027, 3, 9),))
    route = replace(ROUTE, calendars={"finance": calendar})
    result = plan(date(2027, 3, 31), date(2027, 3, 1), route=route)
    assert (result.forecast, result.slack_working_days, result.rag) == (None, None, "red")
    assert "takes papers" in (result.reason or "")
    assert dates(result, "forecast_decide")["chair"] is None


def test_a_parallel_group_starts_by_its_earliest_member_and_ends_with_its_last() -> None:
    group = ParallelGroup("checks", (review("legal", 5), review("comms", 2)))
    route = Route("r", "Route", "ICB", (review("author", 2), group, review("chair", 3)))
    result = plan(date(2027, 4, 30), date(2027, 4, 1), route=route)
    assert dates(result, "start_by") == {
        "author": date(2027, 4, 16),
        "legal": date(2027, 4, 20),
        "comms": date(2027, 4, 23),
        "chair": date(2027, 4, 27),
    }
    assert dates(result, "forecast_decide") == {
        "author": date(2027, 4, 5),
        "legal": date(2027, 4, 12),
        "comms": date(2027, 4, 7),
        "chair": date(2027, 4, 15),
    }
    assert dates(result, "forecast_start")["chair"] == date(2027, 4, 12)
    assert [stage.group for stage in result.stages] == [None, "checks", "checks", None]
    assert (result.slack_working_days, result.rag) == (11, "green")


def test_a_start_after_the_target_is_refused() -> None:
    with pytest.raises(ValueError, match="after the target"):
        plan(date(2027, 3, 1), date(2027, 3, 2))


def test_a_meeting_stage_on_an_unknown_calendar_is_a_planning_error() -> None:
    route = replace(ROUTE, calendars={})
    with pytest.raises(PlanningError, match=r"'committee'.*'finance'"):
        plan(date(2027, 4, 30), date(2027, 3, 1), route=route)


@pytest.mark.parametrize(
    ("slack", "feasible", "rag"),
    [
        (None, True, "red"),
        (-1, True, "red"),
        (0, True, "amber"),
        (4, True, "amber"),
        (5, True, "green"),
        (10, False, "red"),
    ],
)
def test_rag_for_slack(slack: int | None, feasible: bool, rag: str) -> None:
    assert rag_for(slack, feasible) == rag


def test_plan_json_has_exactly_the_agreed_keys_and_iso_dates() -> None:
    data = plan_to_json(plan(date(2027, 4, 30), date(2027, 3, 1)))
    keys = {
        "route",
        "target",
        "start",
        "feasible",
        "reason",
        "forecast",
        "slack_working_days",
        "rag",
        "stages",
    }
    assert set(data) == keys
    assert (data["route"], data["target"], data["forecast"], data["rag"]) == (
        "policy",
        "2027-04-30",
        "2027-04-16",
        "green",
    )
    stages = data["stages"]
    assert isinstance(stages, list)
    assert [s["id"] for s in stages] == ["author", "committee", "chair"]
    assert stages[0]["meeting"] is None
    assert stages[0]["kind"] == "review"
    assert stages[1] == {
        "id": "committee",
        "name": "Committee",
        "kind": "meeting",
        "group": None,
        "start_by": "2027-04-02",
        "decide_by": "2027-04-13",
        "meeting": "2027-04-13",
        "paper_deadline": "2027-04-02",
        "forecast_start": "2027-03-08",
        "forecast_decide": "2027-04-13",
    }


def running(actuals: dict[str, StageActual], today: date) -> dict[str, tuple[date | None, date | None]]:
    result = forecast_running(
        ROUTE, actuals=actuals, target=date(2027, 4, 30), today=today, workdays=WORKDAYS
    )
    return {stage.id: (stage.start, stage.decide) for stage in result.stages}


def test_a_sign_off_not_yet_started_is_forecast_from_today() -> None:
    assert running({}, date(2027, 3, 1)) == {
        "author": (date(2027, 3, 1), date(2027, 3, 8)),
        "committee": (date(2027, 3, 8), date(2027, 4, 13)),
        "chair": (date(2027, 4, 13), date(2027, 4, 16)),
    }


def test_completed_stages_keep_their_real_dates() -> None:
    actuals = {
        "author": StageActual(date(2027, 2, 1), date(2027, 2, 10)),
        "committee": StageActual(date(2027, 2, 10)),
    }
    assert running(actuals, date(2027, 2, 11)) == {
        "author": (date(2027, 2, 1), date(2027, 2, 10)),
        "committee": (date(2027, 2, 10), date(2027, 3, 9)),
        "chair": (date(2027, 3, 9), date(2027, 3, 12)),
    }


@pytest.mark.parametrize(
    ("today", "decide"),
    [
        (date(2027, 3, 3), date(2027, 3, 8)),  # due Mon 8 Mar, not yet overdue
        (date(2027, 3, 8), date(2027, 3, 8)),  # due today
        (date(2027, 3, 10), date(2027, 3, 11)),  # overdue: no earlier than the next working day
        (date(2027, 3, 25), date(2027, 3, 30)),  # overdue before Easter 2027
    ],
)
def test_an_overdue_open_review_is_expected_the_next_working_day_after_today(
    today: date, decide: date
) -> None:
    forecast = running({"author": StageActual(opened=date(2027, 3, 1))}, today)
    assert forecast["author"] == (date(2027, 3, 1), decide)


@pytest.mark.parametrize(
    ("today", "meeting_day", "chair_decides"),
    [
        (date(2027, 2, 26), date(2027, 3, 9), date(2027, 3, 12)),  # deadline today: still on time
        (date(2027, 3, 1), date(2027, 4, 13), date(2027, 4, 16)),  # deadline passed: next meeting
    ],
)
def test_an_open_meeting_stage_past_its_paper_deadline_moves_to_the_next_meeting(
    today: date, meeting_day: date, chair_decides: date
) -> None:
    actuals = {
        "author": StageActual(date(2027, 2, 1), date(2027, 2, 26)),
        "committee": StageActual(opened=date(2027, 2, 26)),
    }
    forecast = running(actuals, today)
    assert forecast["committee"] == (date(2027, 2, 26), meeting_day)
    assert forecast["chair"] == (meeting_day, chair_decides)


def test_a_running_forecast_has_status_slack_and_rag() -> None:
    actuals = {"author": StageActual(date(2027, 2, 1), date(2027, 2, 26))}
    today = date(2027, 3, 1)
    result = forecast_running(
        ROUTE, actuals=actuals, target=date(2027, 4, 30), today=today, workdays=WORKDAYS
    )
    assert [stage.status for stage in result.stages] == ["done", "pending", "pending"]
    assert (result.forecast, result.slack_working_days, result.rag) == (date(2027, 4, 16), 10, "green")
    data = forecast_to_json(result)
    assert (data["forecast"], data["rag"], data["today"]) == ("2027-04-16", "green", "2027-03-01")


def test_a_running_forecast_refuses_actuals_for_unknown_stages() -> None:
    with pytest.raises(ValueError, match="no stage ghost"):
        running({"ghost": StageActual()}, date(2027, 3, 1))
