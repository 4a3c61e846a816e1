"""Deputies, absences and reassignment against real databases (SQLite and PostgreSQL): the
handover stored, the deputy's own link deciding on behalf of the reviewer, and every record
saying so."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from governance.adapters.database.loop_tables import delegations
from governance.adapters.database.tables import outbox
from governance.adapters.route_files import parse_route
from governance.domain.errors import TransitionNotAllowed
from governance.domain.rules import Verdict
from governance.entrypoints.status_json import status_to_json
from governance.services.audit import Actor, export
from governance.services.delegation import (
    AbsenceRefused,
    absences_from,
    delegate_by_token,
    reassign_review,
    record_absence,
)
from governance.services.reminders import remind_now
from governance.services.signoffs import NewSignOff, advance_signoff, decide_by_token, start_signoff
from governance.services.status import signoff_status
from tests.integration.signoffs_helpers import links

NOW = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
LATER = NOW + timedelta(hours=2)
LEGAL, CFO, CHAIR = "legal@icb.example.nhs.uk", "cfo@icb.example.nhs.uk", "chair@icb.example.nhs.uk"
DEPUTY, COUNSEL, VICE = (
    "deputy.legal@icb.example.nhs.uk",
    "counsel@icb.example.nhs.uk",
    "vice@icb.example.nhs.uk",
)
ROUTE_YAML = f"""\
id: deputies-test
name: Deputies test route
organisation: NHS Test ICB
stages:
  - id: legal
    name: Legal review
    kind: review
    reviewers: [{LEGAL}, {CFO}]
    approvals: all
    due_working_days: 10
    deputies:
      {LEGAL}: [{DEPUTY}, {COUNSEL}]
  - id: board
    name: Board review
    kind: review
    reviewers: [{CHAIR}]
    due_working_days: 5
"""


def start(db, settings, tmp_path: Path) -> str:
    document = tmp_path / "agreement.pdf"
    document.write_bytes(b"%PDF-1.4 agreement")
    route = parse_route(ROUTE_YAML, path="deputies-test.yaml")
    request = NewSignOff(route, ROUTE_YAML, "Estates agreement", document, "lead@icb.example.nhs.uk", None)
    signoff_id = start_signoff(db, settings, request, now=NOW)
    advance_signoff(db, settings, signoff_id, now=NOW)
    return signoff_id


def decide(db, settings, token, verdict=Verdict.APPROVE, when=LATER):
    return decide_by_token(db, token, verdict=verdict, comment="", now=when, settings=settings)


def delegate(db, settings, token, deputy):
    return delegate_by_token(db, settings, token, deputy, now=NOW, actor=Actor("", "127.0.0.1"))


def emails(db, signoff_id, kind):
    query = select(outbox.c.recipient, outbox.c.context).where(
        outbox.c.signoff_id == signoff_id, outbox.c.kind == kind
    )
    with db.transaction() as connection:
        return [(r.recipient, json.loads(r.context)) for r in connection.execute(query.order_by(outbox.c.id))]


def handovers(db, signoff_id):
    query = select(delegations.c.stage_id, delegations.c.reviewer, delegations.c.deputy, delegations.c.how)
    with db.transaction() as connection:
        return [tuple(r) for r in connection.execute(query.where(delegations.c.signoff_id == signoff_id))]


def audit_facts(db, signoff_id):
    return [entry.facts for entry in export(db, signoff_id, actor=Actor("office"), now=LATER)]


def stage_json(db, signoff_id, stage_id):
    status = status_to_json(signoff_status(db, signoff_id))
    return next(s for s in status["stages"] if s["id"] == stage_id)


def test_a_deputy_named_by_the_reviewer_decides_on_their_behalf_and_every_record_says_so(
    database, settings, tmp_path
):
    signoff_id = start(database, settings, tmp_path)
    result = delegate(database, settings, links(database, settings, signoff_id)["legal", LEGAL], DEPUTY)
    assert result is not None
    assert result.handed_on
    assert handovers(database, signoff_id) == [("legal", LEGAL, DEPUTY, "delegated")]
    [(_to, invitation)] = [e for e in emails(database, signoff_id, "invitation") if e[0] == DEPUTY]
    assert invitation["on_behalf_of"] == LEGAL
    assert [r for r, c in emails(database, signoff_id, "delegated")] == [LEGAL]
    tokens = links(database, settings, signoff_id)
    assert not decide(database, settings, tokens["legal", LEGAL]).recorded
    assert decide(database, settings, tokens["legal", DEPUTY]).recorded
    assert stage_json(database, signoff_id, "legal")["awaiting"] == [CFO]
    assert decide(database, settings, tokens["legal", CFO]).recorded
    legal = stage_json(database, signoff_id, "legal")
    assert legal["state"] == "approved"
    assert [(d["reviewer"], d["on_behalf_of"]) for d in legal["decisions"]] == [(DEPUTY, LEGAL), (CFO, None)]
    [receipt] = [c for r, c in emails(database, signoff_id, "decision_receipt") if r == DEPUTY]
    assert receipt["on_behalf_of"] == LEGAL
    decided = [e for e in audit_facts(database, signoff_id) if e.kind == "decided" and e.actor == DEPUTY]
    assert decided[0].details["on_behalf_of"] == LEGAL


@pytest.mark.parametrize(
    ("deputy", "said"),
    [
        (VICE, f"may hand the review only to {DEPUTY} or {COUNSEL}"),
        (CFO, "already reviews the Legal review stage"),
        (LEGAL, "cannot hand the review to yourself"),
        ("not-an-address", "is not an email address"),
    ],
    ids=["someone off the deputies list", "another reviewer of the stage", "oneself", "not an email address"],
)
def test_a_refused_nomination_is_a_422_that_hands_nothing_on(database, settings, tmp_path, deputy, said):
    signoff_id = start(database, settings, tmp_path)
    invited = emails(database, signoff_id, "invitation")
    result = delegate(database, settings, links(database, settings, signoff_id)["legal", LEGAL], deputy)
    assert result is not None
    assert (result.handed_on, result.status) == (False, 422)
    assert said in result.message
    assert "Nothing has been handed on" in result.message
    assert handovers(database, signoff_id) == []
    assert emails(database, signoff_id, "invitation") == invited


def test_an_absence_sends_the_invitation_to_the_deputy_who_decides_on_behalf_of_the_one_away(
    database, settings, tmp_path
):
    signoff_id = start(database, settings, tmp_path)
    absence = record_absence(
        database,
        CHAIR,
        VICE,
        starts=NOW.date(),
        ends=NOW.date() + timedelta(days=14),
        actor=Actor("office"),
        now=NOW,
    )
    assert [a.person for a in absences_from(database, today=NOW.date())] == [CHAIR]
    assert absence.deputy == VICE
    tokens = links(database, settings, signoff_id)
    decide(database, settings, tokens["legal", LEGAL])
    decide(database, settings, tokens["legal", CFO])
    advance_signoff(database, settings, signoff_id, now=LATER)
    board = [
        (r, c["on_behalf_of"])
        for r, c in emails(database, signoff_id, "invitation")
        if c["stage"]["id"] == "board"
    ]
    assert board == [(VICE, CHAIR)]
    assert [(r, c["how"]) for r, c in emails(database, signoff_id, "delegated")] == [(CHAIR, "away")]
    assert decide(database, settings, links(database, settings, signoff_id)["board", VICE]).recorded
    [decision] = stage_json(database, signoff_id, "board")["decisions"]
    assert (decision["reviewer"], decision["on_behalf_of"]) == (VICE, CHAIR)


def test_a_reminder_to_someone_away_goes_to_their_deputy(database, settings, tmp_path):
    signoff_id = start(database, settings, tmp_path)
    record_absence(database, CFO, VICE, starts=NOW.date(), ends=NOW.date(), actor=Actor("office"), now=NOW)
    remind_now(database, settings, signoff_id, now=LATER)
    reminded = [(r, c["on_behalf_of"]) for r, c in emails(database, signoff_id, "reminder")]
    assert sorted(reminded, key=str) == [(LEGAL, None), (VICE, CFO)]
    assert handovers(database, signoff_id) == [("legal", CFO, VICE, "away")]


def test_an_officer_reassigns_an_outstanding_review_and_the_old_link_stops_deciding(
    database, settings, tmp_path
):
    signoff_id = start(database, settings, tmp_path)
    old = links(database, settings, signoff_id)["legal", CFO]
    reassign_review(
        database,
        settings,
        signoff_id,
        "legal",
        from_whom=CFO,
        to_whom=VICE,
        now=NOW,
        actor=Actor("command line"),
    )
    assert handovers(database, signoff_id) == [("legal", CFO, VICE, "reassigned")]
    assert not decide(database, settings, old).recorded
    assert decide(database, settings, links(database, settings, signoff_id)["legal", VICE]).recorded
    moved = [e for e in audit_facts(database, signoff_id) if e.kind == "delegated"]
    assert moved[0].details == {"stage": "legal", "reviewer": CFO, "deputy": VICE, "how": "reassigned"}
    assert moved[0].actor == "command line"


@pytest.mark.parametrize(
    ("stage", "from_whom", "to_whom", "said"),
    [
        ("legal", CHAIR, VICE, f"{CHAIR} has no outstanding review on stage 'legal'"),
        ("legal", CFO, LEGAL, "already reviews the Legal review stage"),
        ("board", CHAIR, VICE, "stage 'board' is not open for decisions (pending)"),
        ("nowhere", CFO, VICE, "has no stage 'nowhere'"),
    ],
    ids=[
        "someone not outstanding",
        "to someone already reviewing",
        "a stage not open yet",
        "an unknown stage",
    ],
)
def test_a_reassignment_that_cannot_be_done_is_refused_and_changes_nothing(
    database, settings, tmp_path, stage, from_whom, to_whom, said
):
    signoff_id = start(database, settings, tmp_path)
    with pytest.raises(TransitionNotAllowed, match="nothing was reassigned") as refused:
        reassign_review(
            database,
            settings,
            signoff_id,
            stage,
            from_whom=from_whom,
            to_whom=to_whom,
            now=NOW,
            actor=Actor("x"),
        )
    assert said in str(refused.value)
    assert handovers(database, signoff_id) == []


def test_an_absence_in_the_past_is_refused(database):
    with pytest.raises(AbsenceRefused, match="in the past"):
        record_absence(
            database,
            CHAIR,
            VICE,
            starts=NOW.date() - timedelta(days=2),
            ends=NOW.date(),
            actor=Actor("x"),
            now=NOW,
        )
