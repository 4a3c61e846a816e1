"""decide_by_token and cancel_signoff over the in-memory unit of work."""

from __future__ import annotations

from datetime import timedelta

from governance.domain.rules import Verdict
from governance.entrypoints.status_json import status_to_json
from governance.services.signoffs import advance_signoff, cancel_signoff, decide_by_token
from governance.services.status import signoff_status
from governance.services.tokens import token_hash
from governance.settings import Settings
from tests.fakes import FakeStore
from tests.unit.services.fake_signoffs import CHAIR, COORDINATOR, LEAD, NOW, links, queued, started

LATER = NOW + timedelta(hours=2)
# What a decision's receipt needs (its envelope's links); receipts carry no link, so no signing key is read.
RECEIPTS = Settings(base_url="http://signoff.test", secret_key="unit-test-key")


def decide(store: FakeStore, token: str, verdict: Verdict = Verdict.APPROVE, comment: str = ""):
    return decide_by_token(store, token, verdict=verdict, comment=comment, now=LATER, settings=RECEIPTS)


def test_a_decision_through_its_link_is_recorded_once_and_marks_the_link_used(settings, tmp_path):
    store = FakeStore()
    signoff_id = started(store, settings, tmp_path)
    token = links(store, settings)["vcse", CHAIR]
    first = decide(store, token, comment="  fine by us  ")
    second = decide(store, token, Verdict.REJECT)
    assert first is not None
    assert first.recorded
    assert second is not None
    assert not second.recorded
    decisions = status_to_json(signoff_status(store, signoff_id, now=LATER))["stages"][0]["decisions"]
    assert [(d["reviewer"], d["decision"], d["comment"]) for d in decisions] == [
        (CHAIR, "approve", "fine by us")
    ]
    with store.read() as uow:
        assert uow.links.find(token_hash(token)).used_at == LATER


def test_a_malformed_or_unknown_link_is_not_recognised(settings, tmp_path):
    store = FakeStore()
    started(store, settings, tmp_path)
    assert decide(store, "not-a-token") is None
    assert decide(store, "A" * 43) is None


def test_a_withdrawn_link_records_nothing(settings, tmp_path):
    store = FakeStore()
    signoff_id = started(store, settings, tmp_path)
    token = links(store, settings)["vcse", CHAIR]
    with store.write() as uow:
        uow.links.revoke_unused(signoff_id, now=NOW)
    result = decide(store, token)
    assert result is not None
    assert not result.recorded
    assert "withdrawn" in result.message
    assert status_to_json(signoff_status(store, signoff_id, now=LATER))["stages"][0]["decisions"] == []


def test_a_rejection_closes_the_stage_and_withdraws_the_other_reviewers_link(settings, tmp_path):
    store = FakeStore()
    signoff_id = started(store, settings, tmp_path)
    tokens = links(store, settings)
    assert decide(store, tokens["vcse", CHAIR], Verdict.REJECT, "not yet").recorded
    late = decide(store, tokens["vcse", COORDINATOR])
    assert late is not None
    assert not late.recorded
    advance_signoff(store, settings, signoff_id, now=LATER)
    assert status_to_json(signoff_status(store, signoff_id, now=LATER))["state"] == "rejected"
    assert sorted(to for _, to in queued(store, kind="signoff_finished")) == sorted(
        [CHAIR, COORDINATOR, LEAD]
    )


def test_approving_the_first_stage_then_advancing_opens_the_parallel_pair(settings, tmp_path):
    store = FakeStore()
    signoff_id = started(store, settings, tmp_path)
    tokens = links(store, settings)
    decide(store, tokens["vcse", CHAIR])
    decide(store, tokens["vcse", COORDINATOR])
    advance_signoff(store, settings, signoff_id, now=LATER)
    assert queued(store)[2:] == [
        ("decision_receipt", CHAIR),
        ("decision_receipt", COORDINATOR),
        ("stage_completed", LEAD),
        ("invitation", "legal@icb.example.nhs.uk"),
        ("invitation", "deputy.legal@icb.example.nhs.uk"),
        ("invitation", "cfo@icb.example.nhs.uk"),
    ]
    states = [s["state"] for s in status_to_json(signoff_status(store, signoff_id, now=LATER))["stages"]]
    assert states == ["approved", "open", "open", "pending"]


def test_cancelling_tells_outstanding_reviewers_they_need_not_act_and_withdraws_their_links(
    settings, tmp_path
):
    store = FakeStore()
    signoff_id = started(store, settings, tmp_path)
    tokens = links(store, settings)
    cancel_signoff(store, settings, signoff_id, now=LATER)
    finished = queued(store, kind="signoff_finished")
    assert sorted(to for _, to in finished) == sorted([CHAIR, COORDINATOR, LEAD])
    with store.read() as uow:
        assert all(uow.links.find(token_hash(t)).revoked_at == LATER for t in tokens.values())
    assert status_to_json(signoff_status(store, signoff_id, now=LATER))["state"] == "cancelled"
