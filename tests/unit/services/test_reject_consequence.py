"""What a reviewer's reject would do, as the confirmation step says it, for each approval rule."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from governance.domain.route import ApprovalRule, Route, RuleKind, Stage, StageKind
from governance.domain.rules import Verdict
from governance.domain.signoff import SignOff
from governance.services.reject_view import reject_consequence

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
REVIEWERS = ("a@x.org", "b@x.org", "c@x.org")


def stage_with(
    rule: ApprovalRule, reviewers: tuple[str, ...] = REVIEWERS, veto: tuple[str, ...] = ()
) -> SignOff:
    stage = Stage("legal", "Legal review", StageKind.REVIEW, reviewers, rule, 5, veto=veto)
    signoff = SignOff("s1", Route("r", "Route", "ICB", (stage,)), "Agreement", "lead@x.org", "0" * 64, NOW)
    signoff.advance(now=NOW, today=date(2026, 12, 1), due_for=lambda _s, day: day + timedelta(days=7))
    return signoff


@pytest.mark.parametrize(
    ("rule", "veto", "earlier", "ends", "words"),
    [
        pytest.param(
            ApprovalRule(RuleKind.ALL),
            (),
            [],
            True,
            "Legal review needs all 3 reviewers to approve: your reject means this stage cannot be approved.",
            id="under an all rule one reject means the stage cannot be approved",
        ),
        pytest.param(
            ApprovalRule(RuleKind.QUORUM, 2),
            (),
            [],
            False,
            "Legal review needs 2 of its 3 reviewers to approve: your reject counts as one vote against",
            id="under a two of three rule a first reject counts as one vote against",
        ),
        pytest.param(
            ApprovalRule(RuleKind.QUORUM, 2),
            (),
            [("b@x.org", Verdict.REJECT)],
            True,
            "Legal review needs 2 of its 3 reviewers to approve: with your reject that can no longer happen.",
            id="under a two of three rule a second reject makes two approvals impossible",
        ),
        pytest.param(
            ApprovalRule(RuleKind.ANY),
            (),
            [("b@x.org", Verdict.REJECT)],
            False,
            "It is still approved if 1 of the other reviewers approves.",
            id="under an any rule the stage stays open while one reviewer might still approve",
        ),
        pytest.param(
            ApprovalRule(RuleKind.QUORUM, 2),
            ("a@x.org",),
            [],
            True,
            "You hold a veto on the Legal review stage: your reject rejects it on its own, whatever its",
            id="a veto holder's reject rejects the stage whatever the rule",
        ),
    ],
)
def test_what_a_reject_will_do(
    rule: ApprovalRule, veto: tuple[str, ...], earlier: list[tuple[str, Verdict]], ends: bool, words: str
) -> None:
    signoff = stage_with(rule, veto=veto)
    for reviewer, verdict in earlier:
        signoff.decide("legal", reviewer, verdict=verdict, comment="", now=NOW)
    consequence = reject_consequence(signoff, signoff.route.stage("legal"), "a@x.org")
    assert consequence.ends_signoff is ends
    assert words in consequence.words


def test_the_only_reviewers_reject_settles_the_stage() -> None:
    signoff = stage_with(ApprovalRule(RuleKind.ALL), reviewers=("a@x.org",))
    consequence = reject_consequence(signoff, signoff.route.stage("legal"), "a@x.org")
    assert consequence.ends_signoff
    assert consequence.words.startswith(
        "You are the only reviewer of the Legal review stage: your reject settles it."
    )


def test_a_reject_after_an_approval_says_how_many_more_approvals_would_still_approve() -> None:
    signoff = stage_with(ApprovalRule(RuleKind.QUORUM, 2))
    signoff.decide("legal", "b@x.org", verdict=Verdict.APPROVE, comment="", now=NOW)
    consequence = reject_consequence(signoff, signoff.route.stage("legal"), "a@x.org")
    assert "It is still approved if 1 of the other reviewers approves." in consequence.words
