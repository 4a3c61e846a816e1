"""Approval rules: when a stage's verdicts so far approve it, reject it, or leave it open."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

from governance.domain.route import ApprovalRule


class Verdict(StrEnum):
    APPROVE = "approve"
    REJECT = "reject"
    CHANGES = "changes"
    APPROVE_WITH_AMENDMENTS = "approve_with_amendments"  # a committee's approval, with amendments
    DEFER = "defer"  # a committee put the paper off to its next meeting: settles nothing


# What each verdict counts as under a stage's approval rule (a deferral counts as nothing).
COUNTS_AS = {
    Verdict.APPROVE: Verdict.APPROVE,
    Verdict.APPROVE_WITH_AMENDMENTS: Verdict.APPROVE,
    Verdict.REJECT: Verdict.REJECT,
    Verdict.CHANGES: Verdict.CHANGES,
}
REVIEW_VERDICTS = (Verdict.APPROVE, Verdict.CHANGES, Verdict.REJECT)
MEETING_VERDICTS = (
    Verdict.APPROVE,
    Verdict.APPROVE_WITH_AMENDMENTS,
    Verdict.DEFER,
    Verdict.REJECT,
    Verdict.CHANGES,
)


class StageOutcome(StrEnum):
    OPEN = "open"
    APPROVED = "approved"
    REJECTED = "rejected"
    CHANGES_REQUESTED = "changes_requested"


def outcome(
    rule: ApprovalRule, reviewers: int, verdicts: Sequence[Verdict], *, vetoed: bool = False
) -> StageOutcome:
    """Decide a stage from its reviewers' verdicts so far.

    all = M of M (rejected at the first reject), any = 1 of M (rejected when all reject),
    quorum N of M (rejected once N approvals are impossible: more than M - N rejects).
    A request for changes from anyone ends the stage as changes requested. An approval with
    amendments counts as an approval; a deferral counts as nothing. ``vetoed``: a reviewer who
    holds a veto has rejected, which rejects the stage whatever its rule.
    """
    verdicts = [COUNTS_AS[v] for v in verdicts if v in COUNTS_AS]
    if Verdict.CHANGES in verdicts:
        return StageOutcome.CHANGES_REQUESTED
    if vetoed:
        return StageOutcome.REJECTED
    required = rule.required(reviewers)
    if verdicts.count(Verdict.APPROVE) >= required:
        return StageOutcome.APPROVED
    if verdicts.count(Verdict.REJECT) > reviewers - required:
        return StageOutcome.REJECTED
    return StageOutcome.OPEN
