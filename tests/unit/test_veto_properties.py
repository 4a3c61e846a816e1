"""Approval rules with a veto, over every order of decisions for a few reviewers (hypothesis).

A reference model, written out separately from ``governance.domain.rules``, says when a stage must
settle; the sign-off, fed the same decisions one at a time, must close at exactly that decision and
in exactly that state, whatever order the reviewers decide in."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from governance.domain.route import ApprovalRule, Route, RuleKind, Stage, StageKind
from governance.domain.rules import StageOutcome, Verdict, outcome
from governance.domain.signoff import SignOff, StageState

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
TODAY = date(2026, 12, 1)
EXAMPLES = settings(max_examples=300, deadline=None)
CLOSED_AS = {
    StageOutcome.APPROVED: StageState.APPROVED,
    StageOutcome.REJECTED: StageState.REJECTED,
    StageOutcome.CHANGES_REQUESTED: StageState.CHANGES_REQUESTED,
}


@st.composite
def stages_and_decisions(draw: st.DrawFn) -> tuple[Stage, list[tuple[str, Verdict]]]:
    """A review stage of 1-4 reviewers, any rule, any veto holders, and every reviewer's verdict
    in a random order."""
    count = draw(st.integers(1, 4))
    reviewers = tuple(f"r{n}@example.org" for n in range(count))
    kind = draw(st.sampled_from([RuleKind.ALL, RuleKind.ANY, RuleKind.QUORUM]))
    rule = ApprovalRule(kind, draw(st.integers(1, count))) if kind is RuleKind.QUORUM else ApprovalRule(kind)
    veto = tuple(draw(st.lists(st.sampled_from(reviewers), unique=True, max_size=count)))
    stage = Stage("review", "Review", StageKind.REVIEW, reviewers, rule, 5, veto=veto)
    verdicts = st.sampled_from([Verdict.APPROVE, Verdict.REJECT, Verdict.CHANGES])
    order = draw(st.permutations(reviewers))
    return stage, [(reviewer, draw(verdicts)) for reviewer in order]


def required(rule: ApprovalRule, reviewers: int) -> int:
    return {RuleKind.ALL: reviewers, RuleKind.ANY: 1}.get(rule.kind, rule.quorum)


def settles_as(stage: Stage, decided: list[tuple[str, Verdict]]) -> StageOutcome:
    """The reference model: what these decisions so far make of the stage."""
    verdicts = [verdict for _reviewer, verdict in decided]
    approvals, rejects = verdicts.count(Verdict.APPROVE), verdicts.count(Verdict.REJECT)
    needed, reviewers = required(stage.approvals, len(stage.reviewers)), len(stage.reviewers)
    if Verdict.CHANGES in verdicts:
        return StageOutcome.CHANGES_REQUESTED
    if any(verdict is Verdict.REJECT and reviewer in stage.veto for reviewer, verdict in decided):
        return StageOutcome.REJECTED
    if approvals >= needed:
        return StageOutcome.APPROVED
    if reviewers - rejects < needed:
        return StageOutcome.REJECTED
    return StageOutcome.OPEN


def open_signoff(stage: Stage) -> SignOff:
    signoff = SignOff("s1", Route("r", "Route", "ICB", (stage,)), "Agreement", "lead@x.org", "0" * 64, NOW)
    signoff.advance(now=NOW, today=TODAY, due_for=lambda _s, day: day + timedelta(days=7))
    return signoff


@EXAMPLES
@given(stages_and_decisions())
def test_a_stage_closes_at_the_first_decision_that_settles_it_whatever_the_order(case) -> None:
    stage, decisions = case
    signoff = open_signoff(stage)
    for made, (reviewer, verdict) in enumerate(decisions, start=1):
        signoff.decide(stage.id, reviewer, verdict=verdict, comment="", now=NOW)
        expected = settles_as(stage, decisions[:made])
        progress = signoff.stages[stage.id]
        if expected is StageOutcome.OPEN:
            assert progress.state is StageState.OPEN
            continue
        assert progress.state is CLOSED_AS[expected]
        break
    else:
        raise AssertionError("every reviewer decided and the stage is still open")


@EXAMPLES
@given(stages_and_decisions())
def test_a_veto_holders_reject_rejects_the_stage_unless_it_was_already_settled(case) -> None:
    stage, decisions = case
    for made, (reviewer, verdict) in enumerate(decisions, start=1):
        before = settles_as(stage, decisions[: made - 1])
        if before is not StageOutcome.OPEN:
            return  # the stage had closed before this reviewer could decide
        if verdict is Verdict.REJECT and reviewer in stage.veto:
            verdicts = [v for _r, v in decisions[:made]]
            assert (
                outcome(stage.approvals, len(stage.reviewers), verdicts, vetoed=True) is StageOutcome.REJECTED
            )
            return


@EXAMPLES
@given(stages_and_decisions())
def test_without_a_veto_holders_reject_a_veto_changes_nothing(case) -> None:
    stage, decisions = case
    holders_rejected = any(v is Verdict.REJECT and r in stage.veto for r, v in decisions)
    verdicts = [verdict for _reviewer, verdict in decisions]
    plain = outcome(stage.approvals, len(stage.reviewers), verdicts)
    with_veto = outcome(stage.approvals, len(stage.reviewers), verdicts, vetoed=holders_rejected)
    assert holders_rejected or with_veto is plain
    assert with_veto is not StageOutcome.OPEN  # once every reviewer has decided, the stage is settled
