"""The document loop against real databases: a request for changes pauses the sign-off, and
``revise_signoff`` records the next version and reopens the stage that asked."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from governance.adapters.database.tables import outbox
from governance.adapters.documents.text_extract import extract_text
from governance.domain.errors import TransitionNotAllowed
from governance.domain.rules import Verdict
from governance.entrypoints.status_json import status_to_json
from governance.services.audit import Actor
from governance.services.revisions import Revision, revise_signoff
from governance.services.signoffs import advance_signoff, decide_by_token
from governance.services.status import signoff_status
from tests.integration.signoffs_helpers import links, start_spine_signoff

NOW = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
LATER, LATER_STILL = NOW + timedelta(hours=2), NOW + timedelta(hours=5)
VCSE = ["chair@vcse.example.org", "coordinator@vcse.example.org"]
LEGAL, CFO = "legal@icb.example.nhs.uk", "cfo@icb.example.nhs.uk"


def decide(db, settings, token, verdict=Verdict.APPROVE, comment="", when=LATER):
    return decide_by_token(db, token, verdict=verdict, comment=comment, now=when, settings=settings)


def emails(db, signoff_id, kind):
    query = select(outbox.c.recipient, outbox.c.context).where(
        outbox.c.signoff_id == signoff_id, outbox.c.kind == kind
    )
    with db.transaction() as connection:
        return [
            (row.recipient, json.loads(row.context))
            for row in connection.execute(query.order_by(outbox.c.id))
        ]


def at_legal_and_finance(db, settings, tmp_path: Path) -> str:
    """A sign-off whose VCSE stage approved, with legal and finance open side by side."""
    signoff_id = start_spine_signoff(db, settings, now=NOW, tmp=tmp_path)
    for reviewer in VCSE:
        assert decide(db, settings, links(db, settings, signoff_id)["vcse", reviewer]).recorded
    advance_signoff(db, settings, signoff_id, now=LATER)
    return signoff_id


def revised_document(tmp_path: Path) -> Path:
    document = tmp_path / "agreement-v2.txt"
    document.write_text("Partnership agreement\n\nClause 4 now names the VCSE alliance as a partner.\n")
    return document


def revise(db, settings, signoff_id, document, note="Clause 4 reworded as legal asked"):
    revision = Revision(signoff_id, document, note, Actor("lead@icb.example.nhs.uk"))
    return revise_signoff(db, settings, revision, now=LATER_STILL, text_of=extract_text)


def test_a_request_for_changes_pauses_the_signoff_and_sends_the_lead_every_comment(
    database, settings, tmp_path
):
    signoff_id = at_legal_and_finance(database, settings, tmp_path)
    tokens = links(database, settings, signoff_id)
    assert decide(database, settings, tokens["finance", CFO], comment="Figures agreed").recorded
    assert decide(database, settings, tokens["legal", LEGAL], Verdict.CHANGES, "Clause 4 is unclear").recorded
    advance_signoff(database, settings, signoff_id, now=LATER)
    status = status_to_json(signoff_status(database, signoff_id))
    assert status["state"] == "changes_requested"
    [(recipient, context)] = emails(database, signoff_id, "changes_requested")
    assert recipient == "lead@icb.example.nhs.uk"
    said = [(c["reviewer"], c["comment"]) for c in context["comments"]]
    assert (LEGAL, "Clause 4 is unclear") in said
    assert (CFO, "Figures agreed") in said
    other = tokens["legal", "deputy.legal@icb.example.nhs.uk"]
    assert not decide(database, settings, other).recorded  # this version's outstanding links stop deciding


def test_a_revision_records_the_next_version_and_reopens_only_the_stage_that_asked(
    database, settings, tmp_path
):
    signoff_id = at_legal_and_finance(database, settings, tmp_path)
    tokens = links(database, settings, signoff_id)
    decide(database, settings, tokens["finance", CFO])
    decide(database, settings, tokens["legal", LEGAL], Verdict.CHANGES, "Clause 4 is unclear")
    advance_signoff(database, settings, signoff_id, now=LATER)
    revised = revise(database, settings, signoff_id, revised_document(tmp_path))
    assert revised.version.version == 2
    assert len(revised.version.sha256) == 64
    advance_signoff(database, settings, signoff_id, now=LATER_STILL)
    status = status_to_json(signoff_status(database, signoff_id))
    states = {stage["id"]: stage["state"] for stage in status["stages"]}
    assert status["state"] == "in_progress"
    assert (states["vcse"], states["finance"], states["legal"]) == ("approved", "approved", "open")
    invited = [
        (r, c["revision"])
        for r, c in emails(database, signoff_id, "invitation")
        if c["stage"]["id"] == "legal"
    ]
    assert [r for r, _ in invited][-2:] == [LEGAL, "deputy.legal@icb.example.nhs.uk"]
    assert (invited[-1][1]["version"], invited[-1][1]["note"]) == (2, "Clause 4 reworded as legal asked")
    assert not decide(database, settings, tokens["legal", "deputy.legal@icb.example.nhs.uk"]).recorded
    fresh = links(database, settings, signoff_id)["legal", LEGAL]
    assert decide(database, settings, fresh, when=LATER_STILL).recorded
    legal = next(
        s for s in status_to_json(signoff_status(database, signoff_id))["stages"] if s["id"] == "legal"
    )
    assert [(d["decision"], d["version"]) for d in legal["decisions"]] == [("changes", 1), ("approve", 2)]


def test_a_revision_is_refused_while_nobody_has_asked_for_changes(database, settings, tmp_path):
    signoff_id = at_legal_and_finance(database, settings, tmp_path)
    with pytest.raises(TransitionNotAllowed):
        revise(database, settings, signoff_id, revised_document(tmp_path))
    assert status_to_json(signoff_status(database, signoff_id))["document_version"] == 1
