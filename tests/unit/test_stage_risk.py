"""Stalled, at risk, late: the rules every edge asks, table by table."""

from __future__ import annotations

from datetime import date

import pytest

from governance.domain.signoff import StageState
from governance.domain.stage_risk import at_risk, late, misses_decide_by, stage_risk, stalled

MON, TUE, WED = date(2027, 3, 1), date(2027, 3, 2), date(2027, 3, 3)


@pytest.mark.parametrize(
    ("state", "due", "today", "expected"),
    [
        (StageState.OPEN, MON, TUE, True),
        (StageState.OPEN, TUE, TUE, False),  # due today is not yet stalled
        (StageState.OPEN, None, WED, False),  # a meeting with no date found cannot stall
        (StageState.PENDING, MON, WED, False),
        (StageState.APPROVED, MON, WED, False),
    ],
)
def test_a_stage_is_stalled_only_while_open_after_its_due_day(state, due, today, expected):
    assert stalled(state, due=due, today=today) is expected


@pytest.mark.parametrize(
    ("state", "decide_by", "forecast", "running", "expected"),
    [
        (StageState.OPEN, TUE, WED, True, True),
        (StageState.PENDING, TUE, WED, True, True),
        (StageState.OPEN, TUE, TUE, True, False),  # forecast on the day itself is in time
        (StageState.OPEN, TUE, MON, True, False),
        (StageState.OPEN, TUE, None, True, True),  # never decided: no meeting takes it
        (StageState.OPEN, None, WED, True, False),  # no plan without a target
        (StageState.OPEN, TUE, WED, False, False),  # the sign-off has ended
        (StageState.APPROVED, TUE, WED, True, False),
        (StageState.SKIPPED, TUE, WED, True, False),
    ],
)
def test_an_undecided_stage_is_at_risk_when_forecast_after_its_decide_by(
    state, decide_by, forecast, running, expected
):
    assert at_risk(state, decide_by=decide_by, forecast=forecast, running=running) is expected


@pytest.mark.parametrize(
    ("state", "decide_by", "decided", "expected"),
    [
        (StageState.APPROVED, TUE, WED, True),
        (StageState.REJECTED, TUE, WED, True),
        (StageState.APPROVED, TUE, TUE, False),
        (StageState.APPROVED, None, WED, False),
        (StageState.APPROVED, TUE, None, False),
        (StageState.OPEN, TUE, WED, False),  # undecided stages are at risk, not late
        (StageState.PENDING, TUE, WED, False),
    ],
)
def test_a_decided_stage_is_late_when_decided_after_its_decide_by(state, decide_by, decided, expected):
    assert late(state, decide_by=decide_by, decided=decided) is expected


@pytest.mark.parametrize(
    ("state", "due", "decide_by", "forecast", "flags", "attention"),
    [
        (StageState.OPEN, MON, TUE, WED, (True, True, False), True),
        (StageState.OPEN, WED, WED, TUE, (False, False, False), False),
        (StageState.OPEN, MON, WED, TUE, (True, False, False), True),
        (StageState.APPROVED, MON, MON, TUE, (False, False, True), False),
    ],
)
def test_a_stage_needs_attention_when_stalled_or_at_risk(state, due, decide_by, forecast, flags, attention):
    risk = stage_risk(state, due=due, decide_by=decide_by, forecast_decide=forecast, today=TUE, running=True)
    assert (risk.stalled, risk.at_risk, risk.late) == flags
    assert risk.needs_attention is attention


@pytest.mark.parametrize(
    ("decide_by", "decided", "expected"),
    [
        (TUE, WED, True),
        (TUE, TUE, False),
        (TUE, MON, False),
        (TUE, None, True),
        (None, WED, False),
        (None, None, True),
    ],
)
def test_a_decision_day_misses_its_decide_by_when_after_it_or_never(decide_by, decided, expected):
    assert misses_decide_by(decide_by, decided) is expected
