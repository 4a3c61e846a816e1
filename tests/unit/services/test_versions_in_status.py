"""The status read model lists every version of the document, and the route the sign-off keeps."""

from __future__ import annotations

import hashlib
from datetime import UTC, timedelta
from pathlib import Path

from governance.domain.london_time import LONDON
from governance.domain.rules import Verdict
from governance.entrypoints.status_json import status_to_json
from governance.services.audit import Actor
from governance.services.revisions import Revision, revise_signoff
from governance.services.signoffs import advance_signoff, decide_by_token
from governance.services.status import signoff_status
from tests.fakes import FakeStore
from tests.unit.services.fake_signoffs import CHAIR, LEAD, NOW, SPINE_ROUTE, links, started

ASKED = NOW + timedelta(hours=2)
REVISED = NOW + timedelta(days=1)


def asked_for_changes(store: FakeStore, settings, tmp_path: Path) -> str:
    signoff_id = started(store, settings, tmp_path)
    token = links(store, settings)["vcse", CHAIR]
    decided = decide_by_token(
        store, token, verdict=Verdict.CHANGES, comment="Clause 4, please.", now=ASKED, settings=settings
    )
    assert decided is not None
    assert decided.recorded
    advance_signoff(store, settings, signoff_id, now=ASKED)
    return signoff_id


def test_status_lists_each_version_with_its_note_change_summary_who_and_when_after_a_revise(
    settings, tmp_path
):
    store = FakeStore()
    signoff_id = asked_for_changes(store, settings, tmp_path)
    second = tmp_path / "agreement-v2.pdf"
    second.write_text("%PDF-1.4 agreement\n\nClause 4 rewritten.")
    at_london = REVISED.astimezone(LONDON)
    revision = Revision(signoff_id, second, "  Clause 4 rewritten as asked.  ", Actor(LEAD))
    revise_signoff(store, settings, revision, now=at_london, text_of=lambda path: path.read_text())
    found = status_to_json(signoff_status(store, signoff_id, now=REVISED))
    assert found["versions"] == [
        {
            "version": 1,
            "filename": "agreement.pdf",
            "sha256": hashlib.sha256(b"%PDF-1.4 agreement").hexdigest(),
            "note": "",
            "change_summary": "",
            "by": LEAD,
            "at": NOW.isoformat(),
        },
        {
            "version": 2,
            "filename": "agreement-v2.pdf",
            "sha256": hashlib.sha256(second.read_bytes()).hexdigest(),
            "note": "Clause 4 rewritten as asked.",
            "change_summary": "1 paragraph added",
            "by": LEAD,
            "at": REVISED.astimezone(UTC).isoformat(),
        },
    ]
    assert found["document_version"] == 2


def test_each_decision_says_which_version_it_was_made_on(settings, tmp_path):
    store = FakeStore()
    signoff_id = asked_for_changes(store, settings, tmp_path)
    decisions = status_to_json(signoff_status(store, signoff_id, now=ASKED))["stages"][0]["decisions"]
    assert [(d["reviewer"], d["decision"], d["version"]) for d in decisions] == [(CHAIR, "changes", 1)]


def test_status_gives_the_sha256_of_the_route_text_the_signoff_started_on(settings, tmp_path):
    store = FakeStore()
    signoff_id = started(store, settings, tmp_path)
    found = status_to_json(signoff_status(store, signoff_id, now=NOW))
    assert found["route_sha256"] == hashlib.sha256(SPINE_ROUTE.read_bytes()).hexdigest()
