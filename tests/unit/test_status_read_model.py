"""The status read model carries dates as dates and the domain's flags; its JSON keeps the contract."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from governance.domain.route import ApprovalRule, Route, RuleKind, Stage, StageKind
from governance.domain.rules import Verdict
from governance.domain.signoff import SignOff
from governance.entrypoints.status_json import stage_to_json
from governance.services.key_dates import KeyDates, StageKeyDates
from governance.services.reminder_history import NudgeLines, ReminderLine
from governance.services.status import stages_of

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)


def review(stage_id: str, *reviewers: str) -> Stage:
    return Stage(stage_id, stage_id.title(), StageKind.REVIEW, reviewers, ApprovalRule(RuleKind.ALL), 5)


def running_signoff() -> SignOff:
    route = Route("r", "Route", "ICB", (review("vcse", "a@x.org", "b@x.org"), review("legal", "l@x.org")))
    signoff = SignOff("s1", route, "Agreement", "lead@x.org", "0" * 64, NOW, target=date(2027, 3, 31))
    signoff.advance(now=NOW, today=NOW.date(), due_for=lambda _s, day: day + timedelta(days=7))
    signoff.decide("vcse", "a@x.org", verdict=Verdict.APPROVE, comment="Fine", now=NOW)
    return signoff


KEY_DATES = KeyDates(
    target=date(2027, 3, 31),
    stages={
        "vcse": StageKeyDates(date(2027, 3, 1), date(2027, 3, 5), date(2027, 3, 12)),
        "legal": StageKeyDates(date(2027, 3, 5), date(2027, 3, 31), date(2027, 3, 19)),
    },
)


def test_an_open_stage_past_its_due_day_and_forecast_late_is_stalled_and_at_risk_on_dates() -> None:
    vcse, legal = stages_of(running_signoff(), KEY_DATES, nudges={}, today=date(2027, 3, 10))
    assert (vcse.stalled, vcse.at_risk, vcse.late, vcse.risk.needs_attention) == (True, True, False, True)
    assert (legal.stalled, legal.at_risk, legal.late) == (False, False, False)
    assert vcse.due == date(2027, 3, 8)
    assert vcse.decide_by < vcse.forecast_decide  # dates compare as dates, not text


def test_a_stage_renders_to_the_json_contract_with_iso_dates() -> None:
    reminder = ReminderLine("b@x.org", NOW + timedelta(days=8), "sent", manual=False)
    nudges = {"vcse": NudgeLines(reminders=(reminder,))}
    vcse = stages_of(running_signoff(), KEY_DATES, nudges=nudges, today=date(2027, 3, 10))[0]
    data = stage_to_json(vcse)
    assert list(data) == [
        "id", "name", "kind", "group", "state", "reviewers", "approvals", "awaiting", "opened_at", "due",
        "start_by", "decide_by", "forecast_decide", "completed_at", "decisions", "stalled", "reminders",
        "escalation",
    ]  # fmt: skip
    assert (data["due"], data["decide_by"], data["forecast_decide"]) == (
        "2027-03-08",
        "2027-03-05",
        "2027-03-12",
    )
    assert data["decisions"] == [
        {
            "reviewer": "a@x.org",
            "decision": "approve",
            "comment": "Fine",
            "at": "2027-03-01T09:00:00+00:00",
            "version": 1,
            "on_behalf_of": None,
        }
    ]
    assert data["reminders"] == [
        {"to": "b@x.org", "at": "2027-03-09T09:00:00+00:00", "state": "sent", "manual": False}
    ]
    assert (data["awaiting"], data["stalled"], data["escalation"]) == (["b@x.org"], True, None)
