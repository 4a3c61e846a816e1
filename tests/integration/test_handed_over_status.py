"""``signoff status`` after a review is handed on: the stage awaits whoever holds the review now, the
JSON says whose review it is, and the plain text says who decides on behalf of whom."""

from __future__ import annotations

from pathlib import Path

import pytest

from governance.adapters.database.database import Database
from governance.entrypoints.cli.show import print_signoff
from governance.services.audit import Actor
from governance.services.dashboard import read_dashboard
from governance.services.delegation import reassign_review
from governance.services.status import signoff_status
from governance.settings import Settings
from tests.integration.signoffs_helpers import links
from tests.integration.test_delegation import (
    CFO,
    COUNSEL,
    DEPUTY,
    LEGAL,
    NOW,
    VICE,
    decide,
    delegate,
    stage_json,
    start,
)


def reassign(db: Database, settings: Settings, signoff_id: str, from_whom: str, to_whom: str) -> None:
    reassign_review(
        db,
        settings,
        signoff_id,
        "legal",
        from_whom=from_whom,
        to_whom=to_whom,
        now=NOW,
        actor=Actor("office"),
    )


def test_after_a_reassignment_the_stage_awaits_whoever_now_holds_the_review(
    database: Database, settings: Settings, tmp_path: Path
) -> None:
    signoff_id = start(database, settings, tmp_path)
    reassign(database, settings, signoff_id, CFO, VICE)
    legal = stage_json(database, signoff_id, "legal")
    assert legal["awaiting"] == [LEGAL, VICE]
    assert legal["handed_over"] == [{"from": CFO, "to": VICE, "how": "reassigned"}]


def test_after_a_reviewer_delegates_the_stage_awaits_their_deputy(
    database: Database, settings: Settings, tmp_path: Path
) -> None:
    signoff_id = start(database, settings, tmp_path)
    delegate(database, settings, links(database, settings, signoff_id)["legal", LEGAL], DEPUTY)
    legal = stage_json(database, signoff_id, "legal")
    assert legal["awaiting"] == [DEPUTY, CFO]
    assert legal["handed_over"] == [{"from": LEGAL, "to": DEPUTY, "how": "delegated"}]


def test_a_review_reassigned_twice_awaits_its_latest_holder_for_the_same_reviewer(
    database: Database, settings: Settings, tmp_path: Path
) -> None:
    signoff_id = start(database, settings, tmp_path)
    reassign(database, settings, signoff_id, CFO, VICE)
    reassign(database, settings, signoff_id, VICE, COUNSEL)
    legal = stage_json(database, signoff_id, "legal")
    assert legal["awaiting"] == [LEGAL, COUNSEL]
    assert legal["handed_over"] == [{"from": CFO, "to": COUNSEL, "how": "reassigned"}]


def test_once_the_deputy_decides_nobody_is_awaited_for_that_review(
    database: Database, settings: Settings, tmp_path: Path
) -> None:
    signoff_id = start(database, settings, tmp_path)
    delegate(database, settings, links(database, settings, signoff_id)["legal", LEGAL], DEPUTY)
    assert decide(database, settings, links(database, settings, signoff_id)["legal", DEPUTY]).recorded
    legal = stage_json(database, signoff_id, "legal")
    assert legal["awaiting"] == [CFO]
    assert "handed_over" not in legal


def test_the_plain_status_says_who_decided_and_who_is_awaited_on_behalf_of_whom(
    database: Database,
    settings: Settings,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    signoff_id = start(database, settings, tmp_path)
    delegate(database, settings, links(database, settings, signoff_id)["legal", LEGAL], DEPUTY)
    reassign(database, settings, signoff_id, CFO, VICE)
    assert decide(database, settings, links(database, settings, signoff_id)["legal", DEPUTY]).recorded
    monkeypatch.setenv("COLUMNS", "400")  # one line per decision, however long the addresses
    print_signoff(signoff_status(database, signoff_id))
    shown = capsys.readouterr().out
    assert f"{DEPUTY} on behalf of {LEGAL}: approve (v1)" in shown
    assert f"awaiting {VICE} on behalf of {CFO}" in shown
    assert f"awaiting {CFO}" not in shown


def test_the_dashboard_says_it_is_waiting_for_whoever_now_holds_a_review(
    database: Database, settings: Settings, tmp_path: Path
) -> None:
    signoff_id = start(database, settings, tmp_path)
    reassign(database, settings, signoff_id, CFO, VICE)
    [row] = read_dashboard(database, today=NOW.date(), seen_by=None).rows
    assert (row.id, row.awaited.people) == (signoff_id, (LEGAL, VICE))
