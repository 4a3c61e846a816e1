"""P1 drives ``signoff web`` for real: every decision posted is recorded (rates printed, never asserted)."""

from __future__ import annotations

import pytest

from governance.benchmarks.decisions import measure_case

pytestmark = pytest.mark.slow


def test_decisions_posted_through_signoff_web_are_all_recorded_beside_a_raw_baseline():
    case = measure_case("sqlite", 3, decisions=24).as_dict()
    assert case["not_recorded"] == 0
    assert case["value"] > 0
    assert case["baseline"] > 0
    print(case)
