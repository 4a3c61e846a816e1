"""What a new sign-off is checked against: its target's bounds, and the tags its route's stages use."""

from __future__ import annotations

from datetime import date

import pytest

from governance.domain.route import ApprovalRule, ParallelGroup, Route, RuleKind, Stage, StageKind
from governance.domain.start_rules import route_for_tags, tags_used, target_refusal, unused_tags

TODAY = date(2026, 12, 3)


def review(stage_id: str, *, when: str | None = None, group: str | None = None) -> Stage:
    return Stage(
        stage_id, stage_id.title(), StageKind.REVIEW, ("r@x.org",), ApprovalRule(RuleKind.ALL), 5,
        group=group, when_tag=when,
    )  # fmt: skip


ROUTE = Route(
    "r",
    "Route",
    "ICB",
    (
        review("vcse"),
        ParallelGroup(
            "checks", (review("finance", when="financial", group="checks"), review("legal", group="checks"))
        ),
        review("clinical", when="clinical"),
        review("estates", when="financial"),
    ),
)


@pytest.mark.parametrize(
    ("target", "refused"),
    [
        (date(2026, 12, 2), "in the past"),
        (TODAY, None),
        (date(2031, 12, 3), None),
        (date(2031, 12, 4), "more than 5 years ahead"),
        (date(2028, 2, 29), None),
    ],
)
def test_a_target_may_be_from_today_up_to_five_years_ahead(target, refused):
    refusal = target_refusal(target, today=TODAY)
    assert (refusal is None) if refused is None else (refused in (refusal or ""))


def test_five_years_from_a_leap_day_ends_on_the_last_day_of_february():
    assert target_refusal(date(2033, 2, 28), today=date(2028, 2, 29)) is None
    assert target_refusal(date(2033, 3, 1), today=date(2028, 2, 29)) is not None


def test_the_tags_a_route_uses_are_listed_once_in_route_order():
    assert tags_used(ROUTE) == ("financial", "clinical")


def test_tags_no_stage_uses_are_the_likely_typos():
    assert unused_tags(ROUTE, frozenset({"clinical", "finacial", "urgent"})) == ("finacial", "urgent")


def test_the_route_for_tags_drops_skipped_stages_and_keeps_a_groups_running_members():
    planned = route_for_tags(ROUTE, frozenset({"clinical"}))
    assert [stage.id for stage in planned.stages] == ["vcse", "legal", "clinical"]
    assert isinstance(planned.steps[1], ParallelGroup)
    assert route_for_tags(ROUTE, frozenset({"financial", "clinical"})) == ROUTE
