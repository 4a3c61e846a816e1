"""The spine's use cases against real databases (SQLite and PostgreSQL)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from governance.adapters.database.tables import action_tokens
from governance.domain.rules import Verdict
from governance.entrypoints.status_json import status_to_json
from governance.services.signoffs import advance_signoff, cancel_signoff, decide_by_token, work_waiting
from governance.services.status import signoff_status
from governance.services.tokens import token_hash
from tests.integration.signoffs_helpers import links, queued, start_spine_signoff

NOW = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
LATER = NOW + timedelta(hours=2)
# The executive committee meets on the second Tuesday, papers 7 working days before: a stage opened
# on 1 December misses the 8 December deadline and goes to the meeting of 12 January 2027.
EXEC_MEETING = datetime(2027, 1, 12, 16, 0, tzinfo=UTC)
VCSE = ["chair@vcse.example.org", "coordinator@vcse.example.org"]


def approve(db, settings, token, when=LATER, verdict=Verdict.APPROVE, comment=""):
    return decide_by_token(db, token, verdict=verdict, comment=comment, now=when, settings=settings)


def test_starting_opens_the_first_stage_and_queues_one_invitation_per_reviewer(database, settings, tmp_path):
    signoff_id = start_spine_signoff(database, settings, now=NOW, tmp=tmp_path)
    status = status_to_json(signoff_status(database, signoff_id))
    assert [s["state"] for s in status["stages"]] == ["open", "pending", "pending", "pending"]
    assert status["stages"][0]["due"] == "2026-12-15"
    assert queued(database, signoff_id) == [("invitation", r) for r in VCSE]


def test_only_a_hash_of_each_link_is_stored(database, settings, tmp_path):
    signoff_id = start_spine_signoff(database, settings, now=NOW, tmp=tmp_path)
    token = links(database, settings, signoff_id)["vcse", VCSE[0]]
    with database.transaction() as connection:
        stored = list(connection.execute(select(action_tokens.c.token_hash)).scalars())
    assert token not in stored
    assert token_hash(token) in stored
    assert len(token) >= 43


def test_advancing_again_has_no_further_effect(database, settings, tmp_path):
    signoff_id = start_spine_signoff(database, settings, now=NOW, tmp=tmp_path)
    assert advance_signoff(database, settings, signoff_id, now=LATER) == []
    assert len(queued(database, signoff_id)) == 2


def test_a_decision_is_recorded_once_and_the_stage_waits_for_every_reviewer(database, settings, tmp_path):
    signoff_id = start_spine_signoff(database, settings, now=NOW, tmp=tmp_path)
    token = links(database, settings, signoff_id)["vcse", VCSE[0]]
    assert approve(database, settings, token, comment="Content agreed").recorded
    again = approve(database, settings, token, verdict=Verdict.REJECT)
    assert not again.recorded
    assert "already decided" in again.message
    stage = status_to_json(signoff_status(database, signoff_id))["stages"][0]
    assert stage["state"] == "open"
    assert [(d["reviewer"], d["decision"], d["comment"]) for d in stage["decisions"]] == [
        (VCSE[0], "approve", "Content agreed")
    ]


def test_an_unknown_or_tampered_link_decides_nothing(database, settings, tmp_path):
    signoff_id = start_spine_signoff(database, settings, now=NOW, tmp=tmp_path)
    token = links(database, settings, signoff_id)["vcse", VCSE[0]]
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    assert approve(database, settings, tampered) is None
    assert approve(database, settings, "not-a-token") is None
    assert status_to_json(signoff_status(database, signoff_id))["stages"][0]["decisions"] == []


def test_walking_every_stage_approves_the_signoff_and_emails_each_person_once(database, settings, tmp_path):
    signoff_id = start_spine_signoff(database, settings, now=NOW, tmp=tmp_path)
    for stage, reviewer in [
        ("vcse", VCSE[0]),
        ("vcse", VCSE[1]),
        ("legal", "legal@icb.example.nhs.uk"),
        ("finance", "cfo@icb.example.nhs.uk"),
        ("exec", "exec.secretary@icb.example.nhs.uk"),
    ]:
        when = EXEC_MEETING if stage == "exec" else LATER
        token = links(database, settings, signoff_id)[stage, reviewer]
        assert approve(database, settings, token, when=when).recorded
        advance_signoff(database, settings, signoff_id, now=when)
    status = status_to_json(signoff_status(database, signoff_id))
    assert status["state"] == "approved"
    assert {s["state"] for s in status["stages"]} == {"approved"}
    sent = queued(database, signoff_id)
    invitations = [r for k, r in sent if k == "invitation"]
    assert len(invitations) == len(set(invitations)) == 6
    lead = "lead@icb.example.nhs.uk"
    assert [k for k, r in sent if r == lead] == [
        "stage_completed",
        "stage_completed",
        "stage_completed",
        "paper_due",
        "signoff_finished",
    ]
    assert [r for k, r in sent if k == "stage_closed"] == ["deputy.legal@icb.example.nhs.uk"]
    finished = {r for k, r in sent if k == "signoff_finished"}
    assert finished == {
        lead,
        *VCSE,
        "legal@icb.example.nhs.uk",
        "deputy.legal@icb.example.nhs.uk",
        "cfo@icb.example.nhs.uk",
        "exec.secretary@icb.example.nhs.uk",
    }


def test_a_reject_ends_the_signoff_and_the_other_links_stop_deciding(database, settings, tmp_path):
    signoff_id = start_spine_signoff(database, settings, now=NOW, tmp=tmp_path)
    tokens = links(database, settings, signoff_id)
    assert approve(
        database, settings, tokens["vcse", VCSE[0]], verdict=Verdict.REJECT, comment="Section 4 is wrong"
    ).recorded
    late = approve(database, settings, tokens["vcse", VCSE[1]])
    assert not late.recorded
    assert "withdrawn" in late.message
    advance_signoff(database, settings, signoff_id, now=LATER)
    assert status_to_json(signoff_status(database, signoff_id))["state"] == "rejected"
    finished = [r for k, r in queued(database, signoff_id) if k == "signoff_finished"]
    assert sorted(finished) == sorted(["lead@icb.example.nhs.uk", *VCSE])


def test_a_recorded_decision_is_owed_an_advance_until_the_orchestrator_acts(database, settings, tmp_path):
    signoff_id = start_spine_signoff(database, settings, now=NOW, tmp=tmp_path)
    approve(database, settings, links(database, settings, signoff_id)["vcse", VCSE[0]])
    assert [(w.signoff_id, w.step) for w in work_waiting(database, now=LATER) if w.step != "send email"] == [
        (signoff_id, "advance")
    ]
    advance_signoff(database, settings, signoff_id, now=LATER)
    assert [w for w in work_waiting(database, now=LATER) if w.step != "send email"] == []


def test_racing_decisions_on_one_stage_are_all_recorded_and_close_it_once(database, settings, tmp_path):
    signoff_id = start_spine_signoff(database, settings, now=NOW, tmp=tmp_path)
    tokens = links(database, settings, signoff_id)
    results = []
    threads = [
        threading.Thread(target=lambda t=tokens["vcse", r]: results.append(approve(database, settings, t)))
        for r in VCSE
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(r.recorded for r in results)
    advance_signoff(database, settings, signoff_id, now=LATER)
    assert [s["state"] for s in status_to_json(signoff_status(database, signoff_id))["stages"]][:3] == [
        "approved",
        "open",
        "open",
    ]


def test_two_senders_never_claim_the_same_notification(database, settings, tmp_path):
    start_spine_signoff(database, settings, now=NOW, tmp=tmp_path)
    claims: list[list[int]] = []

    def claim():
        with database.write() as uow:
            claims.append([n.id for n in uow.outbox.claim_due(now=LATER, lease=timedelta(minutes=2))])

    threads = [threading.Thread(target=claim) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    every = [i for c in claims for i in c]
    assert len(every) == len(set(every)) == 2


def test_cancelling_tells_the_awaited_reviewers_and_revokes_their_links(database, settings, tmp_path):
    signoff_id = start_spine_signoff(database, settings, now=NOW, tmp=tmp_path)
    cancel_signoff(database, settings, signoff_id, now=LATER)
    assert status_to_json(signoff_status(database, signoff_id))["state"] == "cancelled"
    with database.transaction() as connection:
        live = connection.execute(select(func.count()).where(action_tokens.c.revoked_at.is_(None))).scalar()
    assert live == 0
    assert sorted(r for k, r in queued(database, signoff_id) if k == "signoff_finished") == sorted(
        ["lead@icb.example.nhs.uk", *VCSE]
    )


def test_a_withdrawn_link_records_nothing_even_while_its_stage_is_open(database, settings, tmp_path):
    from sqlalchemy import update

    signoff_id = start_spine_signoff(database, settings, now=NOW, tmp=tmp_path)
    token = links(database, settings, signoff_id)["vcse", VCSE[0]]
    with database.transaction() as connection:
        connection.execute(update(action_tokens).values(revoked_at=NOW))
    refused = approve(database, settings, token)
    assert not refused.recorded
    assert "withdrawn" in refused.message
    assert status_to_json(signoff_status(database, signoff_id))["stages"][0]["decisions"] == []
