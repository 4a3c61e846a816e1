"""The document loop: changes pause a sign-off, a revised version reopens the stages that must see it."""

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from governance.domain.errors import DecisionRefused, TransitionNotAllowed
from governance.domain.events import DocumentRevised, StageOpened
from governance.domain.links import ActionLink, LinkStanding, standing_of
from governance.domain.route import ApprovalRule, ParallelGroup, Route, RuleKind, Stage, StageKind
from governance.domain.rules import Verdict
from governance.domain.signoff import SignOff, SignOffState, StageState

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
TODAY = date(2026, 12, 1)


def review(stage_id, *reviewers, reapprove=False, rule=RuleKind.ALL):
    return Stage(
        stage_id,
        stage_id.title(),
        StageKind.REVIEW,
        reviewers,
        ApprovalRule(rule),
        5,
        reapprove_on_new_version=reapprove,
    )


def signoff_on(*stages):
    signoff = SignOff("s1", Route("r", "Route", "ICB", stages), "Agreement", "lead@x.org", "0" * 64, NOW)
    advance(signoff)
    return signoff


def advance(signoff):
    return signoff.advance(now=NOW, today=TODAY, due_for=lambda _s, day: day + timedelta(days=7))


def decide(signoff, stage, reviewer, verdict=Verdict.APPROVE):
    return signoff.decide(stage, reviewer, verdict=verdict, comment="", now=NOW)


def asked_for_changes_at_legal(*, vcse_reapproves):
    signoff = signoff_on(
        review("vcse", "v@x.org", reapprove=vcse_reapproves),
        review("finance", "f@x.org"),
        review("legal", "l@x.org", "m@x.org"),
    )
    decide(signoff, "vcse", "v@x.org")
    advance(signoff)
    decide(signoff, "finance", "f@x.org")
    advance(signoff)
    decide(signoff, "legal", "l@x.org", Verdict.CHANGES)
    advance(signoff)
    return signoff


def test_a_revision_reopens_the_stage_that_asked_and_leaves_earlier_approvals_standing():
    signoff = asked_for_changes_at_legal(vcse_reapproves=False)
    assert signoff.revise(sha256="1" * 64) == [DocumentRevised("s1", 2, ("legal",))]
    assert signoff.state is SignOffState.IN_PROGRESS
    opened = [e.stage_id for e in advance(signoff) if isinstance(e, StageOpened)]
    assert opened == ["legal"]
    assert signoff.stages["vcse"].state is StageState.APPROVED
    assert signoff.outstanding("legal") == ("l@x.org", "m@x.org")


def test_a_stage_that_reapproves_on_a_new_version_comes_round_again_first_in_route_order():
    signoff = asked_for_changes_at_legal(vcse_reapproves=True)
    assert signoff.revise(sha256="1" * 64)[0].reopened == ("vcse", "legal")
    assert [e.stage_id for e in advance(signoff) if isinstance(e, StageOpened)] == ["vcse"]
    assert signoff.stages["finance"].state is StageState.APPROVED
    decide(signoff, "vcse", "v@x.org")
    assert [e.stage_id for e in advance(signoff) if isinstance(e, StageOpened)] == ["legal"]


def test_decisions_on_the_earlier_version_stay_as_history_but_no_longer_count():
    signoff = asked_for_changes_at_legal(vcse_reapproves=False)
    signoff.revise(sha256="1" * 64)
    advance(signoff)
    legal = signoff.stages["legal"]
    assert [(d.reviewer, d.document_version) for d in legal.decisions] == [("l@x.org", 1)]
    assert legal.decided_by("l@x.org") is None
    decide(signoff, "legal", "l@x.org")
    decide(signoff, "legal", "m@x.org")
    assert legal.state is StageState.APPROVED
    assert [d.document_version for d in legal.decisions] == [1, 2, 2]


@pytest.mark.parametrize(
    ("link_version", "standing"),
    [(1, LinkStanding.SUPERSEDED), (2, LinkStanding.OPEN)],
)
def test_a_link_for_an_older_version_never_decides_after_a_revision(link_version, standing):
    signoff = asked_for_changes_at_legal(vcse_reapproves=False)
    signoff.revise(sha256="1" * 64)
    advance(signoff)
    assert standing_of(signoff, ActionLink("legal", "m@x.org", link_version)) is standing


def test_while_a_revision_is_awaited_every_link_of_that_version_stops_deciding():
    signoff = asked_for_changes_at_legal(vcse_reapproves=False)
    link = ActionLink("legal", "m@x.org", 1)
    assert standing_of(signoff, link) is LinkStanding.AWAITING_REVISION
    with pytest.raises(DecisionRefused):
        decide(signoff, "legal", "m@x.org")


@pytest.mark.parametrize(
    ("state", "sha256", "refusal"),
    [
        (SignOffState.IN_PROGRESS, "1" * 64, "only after a stage has asked for changes"),
        (SignOffState.APPROVED, "1" * 64, "only after a stage has asked for changes"),
        (SignOffState.CHANGES_REQUESTED, "0" * 64, "same as version 1"),
    ],
)
def test_a_revision_is_refused_unless_changes_were_asked_for_and_the_file_differs(state, sha256, refusal):
    signoff = signoff_on(review("legal", "l@x.org"))
    signoff.state = state
    with pytest.raises(TransitionNotAllowed, match=refusal):
        signoff.revise(sha256=sha256)
    assert signoff.document_version == 1


def test_a_signoff_waiting_for_a_revision_can_be_cancelled():
    signoff = asked_for_changes_at_legal(vcse_reapproves=False)
    (finished,) = signoff.cancel(now=NOW)
    assert finished.state == "cancelled"
    assert finished.ended_by_stage is None


def test_a_parallel_stage_still_open_when_changes_are_asked_for_reopens_with_the_new_version():
    legal = replace(review("legal", "l@x.org"), group="g")
    finance = replace(review("finance", "f@x.org", "g@x.org"), group="g")
    signoff = SignOff(
        "s1",
        Route("r", "Route", "ICB", (ParallelGroup("g", (legal, finance)),)),
        "A",
        "lead@x.org",
        "0" * 64,
        NOW,
    )
    advance(signoff)
    decide(signoff, "finance", "f@x.org")
    decide(signoff, "legal", "l@x.org", Verdict.CHANGES)
    advance(signoff)
    assert signoff.revise(sha256="1" * 64)[0].reopened == ("legal", "finance")
    assert {e.stage_id for e in advance(signoff) if isinstance(e, StageOpened)} == {"legal", "finance"}
    assert signoff.outstanding("finance") == ("f@x.org", "g@x.org")


def test_a_parallel_member_that_asked_for_changes_reopens_while_its_approved_partner_stays_approved():
    legal = replace(review("legal", "l@x.org"), group="g")
    finance = replace(review("finance", "f@x.org"), group="g")
    board = review("board", "b@x.org")
    route = Route("r", "Route", "ICB", (ParallelGroup("g", (legal, finance)), board))
    signoff = SignOff("s1", route, "A", "lead@x.org", "0" * 64, NOW)
    advance(signoff)
    decide(signoff, "finance", "f@x.org")
    decide(signoff, "legal", "l@x.org", Verdict.CHANGES)
    advance(signoff)
    signoff.revise(sha256="1" * 64)
    assert [e.stage_id for e in advance(signoff) if isinstance(e, StageOpened)] == ["legal"]
    assert signoff.stages["finance"].state is StageState.APPROVED
    decide(signoff, "legal", "l@x.org")
    assert [e.stage_id for e in advance(signoff) if isinstance(e, StageOpened)] == ["board"]
