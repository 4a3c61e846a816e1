"""Properties of key-date plans over random routes, calendars, closures, targets and starts."""

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from governance.adapters.bank_holidays import bank_holidays
from governance.domain.meetings import meeting_dates
from governance.domain.planning import Plan, plan_route
from governance.domain.route import (
    ApprovalRule,
    Calendar,
    ParallelGroup,
    Route,
    RuleKind,
    Stage,
    StageKind,
    Step,
    members_of,
)
from governance.domain.workdays import WorkingDays

BANK_HOLIDAYS = bank_holidays(2024, 2033)
WEEKDAYS = ["MO", "TU", "WE", "TH", "FR"]
EXAMPLES = settings(max_examples=60, deadline=None)

rules = st.one_of(
    st.builds(lambda n, day: f"FREQ=MONTHLY;BYDAY=+{n}{day}", st.integers(1, 4), st.sampled_from(WEEKDAYS)),
    st.builds(lambda day: f"FREQ=MONTHLY;BYDAY=-1{day}", st.sampled_from(WEEKDAYS)),
    st.builds(
        lambda n, day: f"FREQ=WEEKLY;INTERVAL={n};BYDAY={day}", st.integers(2, 6), st.sampled_from(WEEKDAYS)
    ),
)
days_2025_to_2029 = st.dates(date(2025, 1, 1), date(2029, 12, 31))


@st.composite
def calendars(draw: st.DrawFn, calendar_id: str) -> Calendar:
    """A committee calendar with a rule, a few extra meetings and some cancelled ones."""
    calendar = Calendar(
        calendar_id,
        f"Committee {calendar_id}",
        draw(st.integers(1, 10)),
        draw(rules),
        draw(st.dates(date(2025, 1, 1), date(2026, 6, 30))),
        dates=tuple(draw(st.lists(days_2025_to_2029, max_size=3))),
    )
    meetings = meeting_dates(calendar, until=date(2029, 12, 31))
    cancelled = draw(st.lists(st.sampled_from(meetings), max_size=4)) if meetings else []
    return Calendar(**{**calendar.__dict__, "cancelled": tuple(cancelled)})


@st.composite
def stages(draw: st.DrawFn, stage_id: str, calendar_ids: list[str]) -> Stage:
    """A review of 1-15 working days, or a meeting of one of the calendars."""
    if draw(st.booleans()):
        rule = ApprovalRule(RuleKind.ANY)
        calendar = draw(st.sampled_from(calendar_ids))
        return Stage(stage_id, stage_id, StageKind.MEETING, ("s@nhs.net",), rule, None, calendar)
    days = draw(st.integers(1, 15))
    return Stage(stage_id, stage_id, StageKind.REVIEW, ("r@nhs.net",), ApprovalRule(RuleKind.ALL), days)


@st.composite
def routes(draw: st.DrawFn) -> Route:
    """One to six steps, some of them parallel groups of two or three stages."""
    calendar_ids = ["c1", "c2"]
    steps: list[Step] = []
    for index in range(draw(st.integers(1, 6))):
        size = draw(st.sampled_from([1, 1, 1, 2, 3]))
        members = tuple(draw(stages(f"s{index}_{m}", calendar_ids)) for m in range(size))
        steps.append(members[0] if size == 1 else ParallelGroup(f"g{index}", members))
    closures = frozenset(draw(st.lists(days_2025_to_2029, max_size=5)))
    by_id = {cid: draw(calendars(cid)) for cid in calendar_ids}
    return Route("random", "Random route", "ICB", tuple(steps), by_id, closures)


@st.composite
def plans(draw: st.DrawFn) -> tuple[Route, WorkingDays, Plan]:
    """A random route planned for a working-day target in 2026-2028 and a start before it."""
    route = draw(routes())
    workdays = WorkingDays.of(BANK_HOLIDAYS, route.closures)
    target = workdays.on_or_after(draw(st.dates(date(2026, 3, 1), date(2028, 12, 31))))
    start = target - timedelta(days=draw(st.integers(0, 400)))
    return route, workdays, plan_route(route, target=target, start=start, workdays=workdays)


@EXAMPLES
@given(plans())
def test_every_start_by_is_a_working_day_or_the_plan_says_why_not(
    case: tuple[Route, WorkingDays, Plan],
) -> None:
    _, workdays, plan = case
    for stage in plan.stages:
        if stage.start_by is None:
            assert plan.reason
            assert not plan.feasible
        else:
            assert workdays.is_working_day(stage.start_by)


@EXAMPLES
@given(plans())
def test_each_stage_starts_by_no_later_than_it_must_be_decided(case: tuple[Route, WorkingDays, Plan]) -> None:
    for stage in case[2].stages:
        if stage.start_by is not None and stage.decide_by is not None:
            assert stage.start_by <= stage.decide_by
        if stage.forecast_start is not None and stage.forecast_decide is not None:
            assert stage.forecast_start <= stage.forecast_decide


@EXAMPLES
@given(plans())
def test_each_step_is_decided_by_the_start_by_of_the_step_after_it(
    case: tuple[Route, WorkingDays, Plan],
) -> None:
    route, _, plan = case
    by_id = {stage.id: stage for stage in plan.stages}
    for step, following in zip(route.steps, route.steps[1:], strict=False):
        decided = [by_id[s.id].decide_by for s in members_of(step)]
        starts = [by_id[s.id].start_by for s in members_of(following)]
        if None not in decided and None not in starts:
            assert max(d for d in decided if d) <= min(s for s in starts if s)
    last = [by_id[s.id].decide_by for s in members_of(route.steps[-1])]
    assert all(day <= plan.target for day in last if day is not None)


@EXAMPLES
@given(plans())
def test_a_meeting_stage_meets_on_a_calendar_meeting_that_is_not_cancelled(
    case: tuple[Route, WorkingDays, Plan],
) -> None:
    route, _, plan = case
    for stage in plan.stages:
        if stage.meeting is None:
            continue
        calendar = route.calendars[route.stage(stage.id).calendar or ""]
        assert stage.meeting in meeting_dates(calendar, since=stage.meeting, until=stage.meeting)
        assert stage.meeting not in calendar.cancelled
        assert stage.decide_by == stage.meeting


@EXAMPLES
@given(plans())
def test_a_feasible_plan_started_on_its_first_start_by_is_forecast_by_the_target(
    case: tuple[Route, WorkingDays, Plan],
) -> None:
    route, workdays, plan = case
    if not plan.feasible:
        return
    first = min(s.start_by for s in plan.stages[: len(members_of(route.steps[0]))] if s.start_by)
    replanned = plan_route(route, target=plan.target, start=first, workdays=workdays)
    assert replanned.feasible
    assert replanned.forecast is not None
    assert replanned.forecast <= plan.target
    assert replanned.rag != "red"
