"""May this link decide? One rule, read in order: route, reviewer, decided, version, sign-off, stage, link."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import pytest

from governance.domain.links import ActionLink, LinkStanding, standing_of
from governance.domain.route import ApprovalRule, Route, RuleKind, Stage, StageKind
from governance.domain.rules import Verdict
from governance.domain.signoff import SignOff

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def review(stage_id: str, *reviewers: str, rule: RuleKind = RuleKind.ALL) -> Stage:
    return Stage(stage_id, stage_id.title(), StageKind.REVIEW, reviewers, ApprovalRule(rule), 5)


def started() -> SignOff:
    route = Route(
        "r",
        "Route",
        "ICB",
        (review("vcse", "a@x.org", "b@x.org"), review("legal", "l@x.org", "d@x.org", rule=RuleKind.ANY)),
    )
    signoff = SignOff("s1", route, "Agreement", "lead@x.org", "0" * 64, NOW)
    signoff.advance(now=NOW, today=date(2026, 12, 1), due_for=lambda _s, day: day + timedelta(days=7))
    return signoff


def as_is(signoff: SignOff) -> None:
    """Leave the sign-off with its first stage open."""


def a_approved(signoff: SignOff) -> None:
    signoff.decide("vcse", "a@x.org", verdict=Verdict.APPROVE, comment="", now=NOW)


def a_rejected(signoff: SignOff) -> None:
    signoff.decide("vcse", "a@x.org", verdict=Verdict.REJECT, comment="", now=NOW)


def cancelled(signoff: SignOff) -> None:
    signoff.cancel(now=NOW)


def new_version(signoff: SignOff) -> None:
    signoff.document_version = 2


def legal_settled_by_l(signoff: SignOff) -> None:
    for reviewer in ("a@x.org", "b@x.org"):
        signoff.decide("vcse", reviewer, verdict=Verdict.APPROVE, comment="", now=NOW)
    signoff.advance(now=NOW, today=date(2026, 12, 1), due_for=lambda _s, day: day)
    signoff.decide("legal", "l@x.org", verdict=Verdict.APPROVE, comment="", now=NOW)


@pytest.mark.parametrize(
    ("happened", "link", "standing"),
    [
        (as_is, ActionLink("vcse", "a@x.org", 1), LinkStanding.OPEN),
        (as_is, ActionLink("nope", "a@x.org", 1), LinkStanding.UNKNOWN_STAGE),
        (as_is, ActionLink("vcse", "z@x.org", 1), LinkStanding.NOT_A_REVIEWER),
        (a_approved, ActionLink("vcse", "a@x.org", 1), LinkStanding.DECIDED),
        (a_approved, ActionLink("vcse", "b@x.org", 1), LinkStanding.OPEN),
        (a_rejected, ActionLink("vcse", "a@x.org", 1, withdrawn=True), LinkStanding.DECIDED),
        (new_version, ActionLink("vcse", "a@x.org", 1), LinkStanding.SUPERSEDED),
        (new_version, ActionLink("vcse", "a@x.org", 2), LinkStanding.OPEN),
        (cancelled, ActionLink("vcse", "a@x.org", 1, withdrawn=True), LinkStanding.CANCELLED),
        (a_rejected, ActionLink("vcse", "b@x.org", 1, withdrawn=True), LinkStanding.ENDED),
        (as_is, ActionLink("legal", "l@x.org", 1), LinkStanding.NOT_OPEN_YET),
        (legal_settled_by_l, ActionLink("legal", "d@x.org", 1, withdrawn=True), LinkStanding.SETTLED),
        (as_is, ActionLink("vcse", "a@x.org", 1, withdrawn=True), LinkStanding.WITHDRAWN),
    ],
)
def test_a_link_may_decide_only_while_everything_it_stands_for_is_current(
    happened: Callable[[SignOff], None], link: ActionLink, standing: LinkStanding
) -> None:
    signoff = started()
    happened(signoff)
    assert standing_of(signoff, link) is standing
    assert standing.may_decide is (standing is LinkStanding.OPEN)


def test_a_decision_carries_the_current_version_and_older_links_are_superseded() -> None:
    signoff = started()
    signoff.document_version = 2
    signoff.decide("vcse", "a@x.org", verdict=Verdict.APPROVE, comment="", now=NOW)
    assert [d.document_version for d in signoff.stages["vcse"].decisions] == [2]
    assert standing_of(signoff, ActionLink("vcse", "b@x.org", 1)) is LinkStanding.SUPERSEDED
