"""Deputies, reassignment and absence: who may take a review, whose seat a deputy's decision fills,
what each link can do afterwards, and what an absence may say."""

from datetime import UTC, date, datetime, timedelta

import pytest

from governance.domain.errors import DecisionRefused, TransitionNotAllowed
from governance.domain.handovers import HandoverHow, absence_problem, hand_on, handover_problem
from governance.domain.links import ActionLink, LinkStanding, standing_of
from governance.domain.route import ApprovalRule, Route, RuleKind, Stage, StageKind
from governance.domain.rules import Verdict
from governance.domain.signoff import SignOff, SignOffState, StageState
from governance.services.handover_view import handed_on_reason, handover_choice

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
TODAY = date(2026, 12, 1)
A, B, C, D, E = "a@x.org", "b@x.org", "c@x.org", "d@x.org", "e@x.org"
DELEGATED, REASSIGNED, AWAY = HandoverHow.DELEGATED, HandoverHow.REASSIGNED, HandoverHow.AWAY


def review(stage_id, *reviewers, rule=RuleKind.ALL, quorum=0, veto=(), deputies=()):
    return Stage(
        stage_id,
        stage_id.title(),
        StageKind.REVIEW,
        reviewers,
        ApprovalRule(rule, quorum),
        5,
        veto=veto,
        deputies=deputies,
    )


def signoff_on(*stages):
    signoff = SignOff("s1", Route("r", "Route", "ICB", stages), "Agreement", "lead@x.org", "0" * 64, NOW)
    advance(signoff)
    return signoff


def advance(signoff):
    return signoff.advance(now=NOW, today=TODAY, due_for=lambda _s, day: day + timedelta(days=7))


def decide(signoff, reviewer, verdict=Verdict.APPROVE, stage="legal"):
    return signoff.decide(stage, reviewer, verdict=verdict, comment="", now=NOW)


def handed(signoff, holder, deputy, how=DELEGATED, stage="legal"):
    return hand_on(signoff, stage, holder, deputy, how=how, by=holder, now=NOW)


def standing(signoff, person, stage="legal"):
    return standing_of(signoff, ActionLink(stage, person, signoff.document_version))


@pytest.mark.parametrize(
    ("holder", "deputy", "how", "deputies", "refused_because"),
    [
        (A, D, DELEGATED, (), None),
        (A, "not an email", DELEGATED, (), "is not an email address"),
        (A, A, DELEGATED, (), "name someone else"),
        (A, B, DELEGATED, (), "already reviews the Legal stage"),
        (A, D, DELEGATED, ((A, (E,)),), f"may hand the review only to {E}"),
        (A, E, DELEGATED, ((A, (E,)),), None),
        (A, D, REASSIGNED, ((A, (E,)),), None),  # an officer is not bound by the reviewer's list
        (C, D, REASSIGNED, (), f"{C} has no outstanding review"),
    ],
    ids=[
        "a reviewer may name anyone when the stage lists no deputies",
        "a deputy must be an email address",
        "nobody hands a review to themselves",
        "nobody already reviewing the stage may take a second seat",
        "a nomination outside the stage's deputies list is refused, naming who may be nominated",
        "a nomination on the list is accepted",
        "an officer's reassignment ignores the reviewer's list",
        "only someone with an outstanding review can have it moved",
    ],
)
def test_who_may_take_a_review(holder, deputy, how, deputies, refused_because):
    signoff = signoff_on(review("legal", A, B, deputies=deputies))
    problem = handover_problem(signoff, "legal", holder, deputy, how=how)
    if refused_because is None:
        assert problem is None
    else:
        assert refused_because in problem
        with pytest.raises(TransitionNotAllowed):
            handed(signoff, holder, deputy, how)
        assert signoff.stages["legal"].handovers == []


@pytest.mark.parametrize(
    ("before", "refused_because"),
    [
        (lambda s: decide(s, A), f"{A} has no outstanding review"),
        (lambda s: handed(s, A, D), f"{A} has no outstanding review"),
        (lambda s: decide(s, A, Verdict.REJECT), "not open for decisions"),
    ],
    ids=[
        "a decided review cannot be handed on",
        "a review handed on once is no longer its reviewer's to hand on",
        "a closed stage hands nothing on",
    ],
)
def test_a_review_is_handed_on_only_while_it_is_outstanding(before, refused_because):
    signoff = signoff_on(review("legal", A, B))
    before(signoff)
    assert refused_because in handover_problem(signoff, "legal", A, E, how=DELEGATED)


def test_a_deputys_decision_fills_the_reviewers_seat_and_says_on_whose_behalf():
    signoff = signoff_on(review("legal", A, B))
    handed(signoff, A, D)
    decide(signoff, D)
    [decision] = signoff.stages["legal"].decisions
    assert (decision.reviewer, decision.on_behalf_of, decision.seat) == (D, A, A)
    assert signoff.outstanding("legal") == (B,)
    decide(signoff, B)
    assert signoff.stages["legal"].state is StageState.APPROVED


@pytest.mark.parametrize(
    ("rule", "quorum", "veto", "verdicts", "state"),
    [
        (RuleKind.ALL, 0, (), [Verdict.APPROVE] * 3, StageState.APPROVED),
        (RuleKind.ANY, 0, (), [Verdict.APPROVE], StageState.APPROVED),
        (RuleKind.QUORUM, 2, (), [Verdict.APPROVE, Verdict.APPROVE], StageState.APPROVED),
        (RuleKind.ANY, 0, (A,), [Verdict.REJECT], StageState.REJECTED),
        (RuleKind.ALL, 0, (), [Verdict.CHANGES], StageState.CHANGES_REQUESTED),
    ],
    ids=[
        "all of M counts the deputy's approval for the seat",
        "any one counts the deputy's approval",
        "a quorum counts the deputy's approval",
        "the deputy of a reviewer holding a veto vetoes on their behalf",
        "a deputy's request for changes asks for changes",
    ],
)
def test_approval_rules_count_a_deputys_decision_as_the_seats(rule, quorum, veto, verdicts, state):
    signoff = signoff_on(review("legal", A, B, C, rule=rule, quorum=quorum, veto=veto))
    handed(signoff, A, D)
    for person, verdict in zip((D, B, C), verdicts, strict=False):
        decide(signoff, person, verdict)
    assert signoff.stages["legal"].state is state


@pytest.mark.parametrize(
    ("handovers", "person", "expected"),
    [
        ([], A, LinkStanding.OPEN),
        ([(A, D, DELEGATED)], A, LinkStanding.HANDED_ON),
        ([(A, D, DELEGATED)], D, LinkStanding.OPEN),
        ([(A, D, DELEGATED), (D, E, REASSIGNED)], D, LinkStanding.HANDED_ON),
        ([(A, D, DELEGATED), (D, E, REASSIGNED)], E, LinkStanding.OPEN),
        ([(A, D, AWAY)], A, LinkStanding.HANDED_ON),
        ([], D, LinkStanding.NOT_A_REVIEWER),
    ],
    ids=[
        "a reviewer's own link decides",
        "a reviewer's link stops deciding once handed on",
        "the deputy's link decides",
        "a deputy whose review was reassigned can no longer decide",
        "the one it was reassigned to decides",
        "an absence hands the link on too",
        "someone never handed a seat is not a reviewer",
    ],
)
def test_what_each_link_can_do_after_a_handover(handovers, person, expected):
    signoff = signoff_on(review("legal", A, B))
    for holder, deputy, how in handovers:
        handed(signoff, holder, deputy, how)
    assert standing(signoff, person) is expected


def test_the_reviewers_link_says_who_has_the_review_and_what_they_decided():
    signoff = signoff_on(review("legal", A, B))
    handed(signoff, A, D)
    decide(signoff, D)
    stage = signoff.route.stage("legal")
    assert standing(signoff, A) is LinkStanding.HANDED_ON
    reason = handed_on_reason(signoff, stage, A)
    assert f"handed to {D}" in reason
    assert f"on behalf of {A}" in reason
    assert standing(signoff, D) is LinkStanding.DECIDED


def test_a_reviewer_who_handed_on_cannot_decide_and_a_deputy_decides_once():
    signoff = signoff_on(review("legal", A, B))
    handed(signoff, A, D)
    with pytest.raises(DecisionRefused):
        decide(signoff, A)
    decide(signoff, D)
    with pytest.raises(DecisionRefused):
        decide(signoff, D)


@pytest.mark.parametrize(
    ("person", "handovers", "offered", "allowed", "on_behalf_of"),
    [
        (A, [], True, None, None),
        (A, [], True, (E,), None),
        (D, [(A, D)], False, None, A),
    ],
    ids=[
        "a reviewer is offered a free choice when the stage lists no deputies",
        "a reviewer with a list is offered the list",
        "a deputy is told whose review it is and is not offered the form",
    ],
)
def test_what_the_page_offers_about_handing_on(person, handovers, offered, allowed, on_behalf_of):
    deputies = ((A, (E,)),) if allowed else ()
    signoff = signoff_on(review("legal", A, B, deputies=deputies))
    for holder, deputy in handovers:
        handed(signoff, holder, deputy)
    choice = handover_choice(signoff, signoff.route.stage("legal"), person, standing(signoff, person))
    assert (choice.may_hand_on, choice.allowed, choice.on_behalf_of) == (offered, allowed, on_behalf_of)


def test_a_revision_reopens_the_stage_with_its_own_reviewers_again():
    signoff = signoff_on(review("legal", A, B))
    handed(signoff, A, D)
    decide(signoff, D, Verdict.CHANGES)
    advance(signoff)
    assert signoff.state is SignOffState.CHANGES_REQUESTED
    signoff.revise(sha256="1" * 64)
    advance(signoff)
    progress = signoff.stages["legal"]
    assert progress.in_force() == {}
    assert (standing(signoff, A), standing(signoff, D)) == (LinkStanding.OPEN, LinkStanding.NOT_A_REVIEWER)


def test_the_deputys_link_for_an_earlier_version_is_superseded():
    signoff = signoff_on(review("legal", A, B))
    handed(signoff, A, D)
    decide(signoff, B, Verdict.CHANGES)
    advance(signoff)
    signoff.revise(sha256="1" * 64)
    advance(signoff)
    assert standing_of(signoff, ActionLink("legal", D, 1)) is LinkStanding.SUPERSEDED


@pytest.mark.parametrize(
    ("person", "deputy", "starts", "ends", "refused_because"),
    [
        (A, D, TODAY, TODAY + timedelta(days=14), None),
        (A, D, TODAY, TODAY, None),
        ("a", D, TODAY, TODAY, "EMAIL 'a' is not an email address"),
        (A, "d", TODAY, TODAY, "--deputy 'd' is not an email address"),
        (A, A, TODAY, TODAY, "cannot be their own deputy"),
        (A, D, TODAY + timedelta(days=3), TODAY, "is before --from"),
        (A, D, TODAY - timedelta(days=1), TODAY, "is in the past"),
        (A, D, TODAY, TODAY + timedelta(days=366), "at most a year"),
        (A, D, TODAY, TODAY + timedelta(days=365), None),
    ],
    ids=[
        "two weeks from today is recorded",
        "a single day is recorded",
        "the person must be an email address",
        "the deputy must be an email address",
        "nobody deputises for themselves",
        "an absence cannot end before it starts",
        "an absence cannot start in the past",
        "an absence longer than a year is refused",
        "an absence of exactly a year (366 days inclusive) is recorded",
    ],
)
def test_what_an_absence_may_say(person, deputy, starts, ends, refused_because):
    problem = absence_problem(person, deputy, starts=starts, ends=ends, today=TODAY)
    assert problem is None if refused_because is None else refused_because in problem
