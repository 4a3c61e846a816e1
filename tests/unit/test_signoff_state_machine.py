"""The sign-off state machine: decisions settle stages, ``advance`` opens, announces and ends."""

from datetime import UTC, date, datetime, timedelta

import pytest

from governance.domain.errors import DecisionRefused, TransitionNotAllowed
from governance.domain.events import (
    ChangesRequested,
    SignOffFinished,
    StageClosed,
    StageCompleted,
    StageOpened,
)
from governance.domain.route import ApprovalRule, ParallelGroup, Route, RuleKind, Stage, StageKind
from governance.domain.rules import Verdict
from governance.domain.signoff import SignOff, SignOffState, StageState

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
TODAY = date(2026, 12, 1)


def review(stage_id, *reviewers, rule=RuleKind.ALL, group=None):
    return Stage(stage_id, stage_id.title(), StageKind.REVIEW, reviewers, ApprovalRule(rule), 5, group=group)


def three_step_route():
    return Route(
        "r",
        "Route",
        "NHS Example ICB",
        (
            review("vcse", "a@x.org", "b@x.org"),
            ParallelGroup(
                "legal+finance",
                (
                    review("legal", "l@x.org", rule=RuleKind.ANY, group="legal+finance"),
                    review("finance", "f@x.org", group="legal+finance"),
                ),
            ),
            review("board", "s@x.org"),
        ),
    )


def due_in_five(_stage, opened_on):
    return opened_on + timedelta(days=7)


def new_signoff():
    return SignOff("s1", three_step_route(), "Agreement", "lead@x.org", "0" * 64, NOW)


def started():
    signoff = new_signoff()
    signoff.advance(now=NOW, today=TODAY, due_for=due_in_five)
    return signoff


def decide(signoff, stage, reviewer, verdict=Verdict.APPROVE):
    return signoff.decide(stage, reviewer, verdict=verdict, comment="", now=NOW)


def advance(signoff):
    return signoff.advance(now=NOW, today=TODAY, due_for=due_in_five)


def test_advancing_a_new_signoff_opens_its_first_stage_with_a_due_date():
    signoff = new_signoff()
    events = advance(signoff)
    assert events == [StageOpened("s1", "vcse", ("a@x.org", "b@x.org"), date(2026, 12, 8))]
    assert signoff.stages["vcse"].state is StageState.OPEN


def test_advancing_twice_has_one_effect():
    signoff = started()
    assert advance(signoff) == []


def test_a_stage_stays_open_until_its_rule_is_met():
    signoff = started()
    assert decide(signoff, "vcse", "a@x.org") == []
    assert advance(signoff) == []


def test_approval_of_a_stage_announces_it_and_opens_the_whole_parallel_group():
    signoff = started()
    decide(signoff, "vcse", "a@x.org")
    assert decide(signoff, "vcse", "b@x.org") == [StageClosed("s1", "vcse", "approved")]
    events = advance(signoff)
    assert events[0] == StageCompleted("s1", "vcse", ("legal", "finance"))
    assert {e.stage_id for e in events[1:] if isinstance(e, StageOpened)} == {"legal", "finance"}


def test_a_parallel_group_waits_for_its_last_member():
    signoff = started()
    decide(signoff, "vcse", "a@x.org"), decide(signoff, "vcse", "b@x.org"), advance(signoff)
    decide(signoff, "legal", "l@x.org")
    assert advance(signoff) == [StageCompleted("s1", "legal", ())]
    assert signoff.stages["board"].state is StageState.PENDING
    decide(signoff, "finance", "f@x.org")
    events = advance(signoff)
    assert [type(e) for e in events] == [StageCompleted, StageOpened]
    assert events[1].stage_id == "board"


def test_the_last_approval_ends_the_signoff_approved_with_everyone_named():
    signoff = started()
    for stage, reviewer in [
        ("vcse", "a@x.org"),
        ("vcse", "b@x.org"),
        ("legal", "l@x.org"),
        ("finance", "f@x.org"),
    ]:
        decide(signoff, stage, reviewer)
        advance(signoff)
    decide(signoff, "board", "s@x.org")
    (finished,) = advance(signoff)
    assert isinstance(finished, SignOffFinished)
    assert finished.state == "approved"
    assert signoff.state is SignOffState.APPROVED
    assert advance(signoff) == []


def test_a_reject_ends_the_signoff_and_tells_the_outstanding_reviewers():
    signoff = started()
    decide(signoff, "vcse", "a@x.org", Verdict.REJECT)
    assert signoff.state is SignOffState.REJECTED
    (finished,) = advance(signoff)
    assert finished == SignOffFinished("s1", "rejected", "vcse", ("a@x.org",), ("b@x.org",))
    assert {p.state for p in signoff.stages.values()} == {StageState.REJECTED, StageState.SKIPPED}


def test_a_request_for_changes_from_anyone_pauses_the_signoff_for_a_revision_instead_of_ending_it():
    signoff = started()
    decide(signoff, "vcse", "b@x.org", Verdict.CHANGES)
    assert signoff.state is SignOffState.CHANGES_REQUESTED
    assert advance(signoff) == [ChangesRequested("s1", "vcse", 1)]
    assert advance(signoff) == []
    assert not signoff.finished_announced


@pytest.mark.parametrize(
    ("stage", "reviewer", "reason"),
    [
        ("legal", "l@x.org", "no longer open"),
        ("vcse", "z@x.org", "not a reviewer"),
        ("nope", "a@x.org", "not on"),
    ],
)
def test_a_decision_that_cannot_count_is_refused(stage, reviewer, reason):
    signoff = started()
    with pytest.raises(DecisionRefused, match=reason):
        decide(signoff, stage, reviewer)


def test_a_second_decision_by_the_same_reviewer_is_refused():
    signoff = started()
    decide(signoff, "vcse", "a@x.org")
    with pytest.raises(DecisionRefused, match="already decided"):
        decide(signoff, "vcse", "a@x.org", Verdict.REJECT)


def test_a_decision_after_the_stage_closed_is_refused_and_changes_nothing():
    signoff = started()
    decide(signoff, "vcse", "a@x.org", Verdict.REJECT)
    with pytest.raises(DecisionRefused):
        decide(signoff, "vcse", "b@x.org")
    assert len(signoff.stages["vcse"].decisions) == 1


def test_cancelling_ends_the_signoff_once():
    signoff = started()
    (finished,) = signoff.cancel(now=NOW)
    assert finished.state == "cancelled"
    assert finished.outstanding == ("a@x.org", "b@x.org")
    with pytest.raises(TransitionNotAllowed):
        signoff.cancel(now=NOW)


def test_approval_by_any_one_names_the_reviewers_whose_decision_was_not_needed():
    route = Route(
        "r",
        "Route",
        "ICB",
        (review("legal", "l@x.org", "d@x.org", rule=RuleKind.ANY), review("board", "s@x.org")),
    )
    signoff = SignOff("s2", route, "Agreement", "lead@x.org", "0" * 64, NOW)
    advance(signoff)
    decide(signoff, "legal", "l@x.org")
    completed = advance(signoff)[0]
    assert completed == StageCompleted("s2", "legal", ("board",), ("d@x.org",))
