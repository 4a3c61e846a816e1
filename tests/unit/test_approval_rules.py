"""Approval rules, exactly as the route contract defines them."""

import pytest

from governance.domain.route import ApprovalRule, RuleKind
from governance.domain.rules import StageOutcome, Verdict, outcome

A, R, C = Verdict.APPROVE, Verdict.REJECT, Verdict.CHANGES
ALL, ANY = ApprovalRule(RuleKind.ALL), ApprovalRule(RuleKind.ANY)
OPEN, APPROVED, REJECTED = StageOutcome.OPEN, StageOutcome.APPROVED, StageOutcome.REJECTED


@pytest.mark.parametrize(
    ("rule", "reviewers", "verdicts", "expected"),
    [
        (ALL, 3, [], OPEN),
        (ALL, 3, [A, A], OPEN),
        (ALL, 3, [A, A, A], APPROVED),
        (ALL, 3, [R], REJECTED),
        (ALL, 3, [A, A, R], REJECTED),
        (ANY, 3, [A], APPROVED),
        (ANY, 3, [R, R], OPEN),
        (ANY, 3, [R, R, R], REJECTED),
        (ANY, 3, [R, R, A], APPROVED),
        (ApprovalRule(RuleKind.QUORUM, 2), 3, [A], OPEN),
        (ApprovalRule(RuleKind.QUORUM, 2), 3, [A, A], APPROVED),
        (ApprovalRule(RuleKind.QUORUM, 2), 3, [R], OPEN),
        (ApprovalRule(RuleKind.QUORUM, 2), 3, [R, R], REJECTED),
        (ApprovalRule(RuleKind.QUORUM, 2), 3, [A, R], OPEN),
        (ApprovalRule(RuleKind.QUORUM, 3), 5, [R, R], OPEN),
        (ApprovalRule(RuleKind.QUORUM, 3), 5, [R, R, R], REJECTED),
        (ALL, 2, [A, C], StageOutcome.CHANGES_REQUESTED),
        (ANY, 2, [C], StageOutcome.CHANGES_REQUESTED),
    ],
)
def test_a_stage_is_settled_by_its_rule_and_the_verdicts_so_far(rule, reviewers, verdicts, expected):
    assert outcome(rule, reviewers, verdicts) is expected


@pytest.mark.parametrize(
    ("rule", "reviewers", "required"), [(ALL, 4, 4), (ANY, 4, 1), (ApprovalRule(RuleKind.QUORUM, 3), 4, 3)]
)
def test_each_rule_requires_the_documented_number_of_approvals(rule, reviewers, required):
    assert rule.required(reviewers) == required


def test_a_rule_reads_as_its_route_file_spelling():
    assert [str(ALL), str(ANY), str(ApprovalRule(RuleKind.QUORUM, 2))] == ["all", "any", "2"]
