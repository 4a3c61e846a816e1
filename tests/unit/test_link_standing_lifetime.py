"""The link rule's lifetime: a replaced link and an expired link say so, after everything else."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from governance.domain.links import ActionLink, LinkStanding, standing_of
from governance.domain.route import ApprovalRule, Route, RuleKind, Stage, StageKind
from governance.domain.rules import Verdict
from governance.domain.signoff import SignOff

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def started() -> SignOff:
    stage = Stage("vcse", "Vcse", StageKind.REVIEW, ("a@x.org", "b@x.org"), ApprovalRule(RuleKind.ALL), 5)
    signoff = SignOff("s1", Route("r", "Route", "ICB", (stage,)), "Agreement", "lead@x.org", "0" * 64, NOW)
    signoff.advance(now=NOW, today=date(2026, 12, 1), due_for=lambda _s, day: day + timedelta(days=7))
    return signoff


def test_a_replaced_link_no_longer_decides_while_its_stage_is_open() -> None:
    assert standing_of(started(), ActionLink("vcse", "a@x.org", 1, replaced=True)) is LinkStanding.REPLACED


def test_a_link_past_its_last_deciding_day_has_expired() -> None:
    link = ActionLink("vcse", "a@x.org", 1, decides_until=date(2026, 12, 29))
    assert standing_of(started(), link, today=date(2026, 12, 29)) is LinkStanding.OPEN
    assert standing_of(started(), link, today=date(2026, 12, 30)) is LinkStanding.EXPIRED
    assert standing_of(started(), link) is LinkStanding.OPEN  # no day given: the lifetime is not asked


def test_a_decision_already_made_is_shown_before_any_lifetime_reason() -> None:
    signoff = started()
    signoff.decide("vcse", "a@x.org", verdict=Verdict.APPROVE, comment="", now=NOW)
    link = ActionLink("vcse", "a@x.org", 1, replaced=True, decides_until=date(2026, 12, 2))
    assert standing_of(signoff, link, today=date(2027, 1, 30)) is LinkStanding.DECIDED
