"""The dashboard ``/signoffs`` over a real SQLite database: its columns, urgency order, filters and
pages, and finished sign-offs shown by their outcome."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from governance.adapters.database.database import Database
from governance.domain.access import Role
from governance.domain.rules import Verdict
from governance.entrypoints.web import create_app
from governance.settings import Settings
from tests.integration.dashboard_helpers import (
    SOUTH,
    SOUTH_YAML,
    cancelled,
    decide,
    rejected,
    start,
    text_of,
    with_rag,
)
from tests.integration.web_fixtures import FINANCE, LEAD, STARTED, make_database, make_settings, sign_in


@dataclass
class Board:
    client: TestClient
    settings: Settings
    db: Database

    def titles(self, query: str = "") -> list[str]:
        page = self.client.get(f"/signoffs{query}")
        assert page.status_code == 200, page.text
        return re.findall(
            r'<th scope="row" data-label="Title"><a href="/signoffs/\w+">([^<]+)</a>', page.text
        )


@pytest.fixture
def board(tmp_path: Path) -> Iterator[Board]:
    settings = make_settings(tmp_path / "data")
    db = make_database(settings)
    with TestClient(create_app(settings, db)) as client:
        sign_in(client, db)
        yield Board(client, settings, db)
    db.dispose()


def test_a_running_signoff_shows_its_stage_who_is_awaited_its_next_key_date_rag_and_target(
    board: Board,
) -> None:
    signoff_id = start(board.settings, board.db, "Partnership agreement")
    page = board.client.get("/signoffs")
    assert f'<a href="/signoffs/{signoff_id}">Partnership agreement</a>' in page.text
    words = text_of(page.text)
    assert (
        "Partnership agreement Contracts over £250k contracts-over-250k NHS Example ICB Finance review "
        "finance.one@example.nhs.uk finance.two@example.nhs.uk Finance review decision due: Mon 9 March 2026 "
        "Green: on track Thu 30 April 2026"
    ) in words


def test_a_reviewer_who_has_decided_is_no_longer_shown_as_awaited(board: Board) -> None:
    signoff_id = start(board.settings, board.db, "Half decided")
    decide(board.settings, board.db, signoff_id, FINANCE[0], Verdict.APPROVE, STARTED)
    words = text_of(board.client.get("/signoffs").text)
    assert "Finance review finance.two@example.nhs.uk Finance review decision due" in words
    assert FINANCE[0] not in words


def test_finished_signoffs_show_their_outcome_never_a_rag_or_days_to_spare(board: Board) -> None:
    rejected(board.settings, board.db, "Turned down")
    cancelled(board.settings, board.db, "Withdrawn")
    html = board.client.get("/signoffs").text
    words = text_of(html[html.index("<tbody>") :])
    assert re.search(r"Turned down .* Ended No one – Rejected Thu 30 April 2026", words)
    assert re.search(r"Withdrawn .* Ended No one – Cancelled Thu 30 April 2026", words)
    for never in ("Green", "on track", "to spare"):
        assert never not in words


def test_a_signoff_waiting_for_a_revised_version_awaits_the_lead(board: Board) -> None:
    signoff_id = start(board.settings, board.db, "Needs changes")
    decide(board.settings, board.db, signoff_id, FINANCE[0], Verdict.CHANGES, STARTED)
    words = text_of(board.client.get("/signoffs").text)
    assert "Needs changes Contracts over £250k contracts-over-250k NHS Example ICB Changes requested" in words
    assert "Changes requested the lead (revision) –" in words


def test_red_comes_first_then_amber_then_the_nearest_key_date_and_finished_ones_last(board: Board) -> None:
    s, db = board.settings, board.db
    cancelled(s, db, "Finished")
    start(s, db, "Green, due later", days_later=7)
    start(s, db, "Green, due soonest")
    with_rag(db, start(s, db, "Amber", days_later=14), "amber")
    with_rag(db, start(s, db, "Red", days_later=21), "red")
    assert board.titles() == ["Red", "Amber", "Green, due soonest", "Green, due later", "Finished"]


def test_filters_pick_signoffs_by_organisation_state_and_rag(board: Board) -> None:
    s, db = board.settings, board.db
    start(s, db, "North running")
    with_rag(db, start(s, db, "South red", route_yaml=SOUTH_YAML), "red")
    cancelled(s, db, "North cancelled")
    assert board.titles(f"?organisation={SOUTH.replace(' ', '+')}") == ["South red"]
    assert board.titles("?state=cancelled") == ["North cancelled"]
    assert board.titles("?rag=red") == ["South red"]
    assert board.titles("?organisation=NHS+Example+ICB&state=in_progress&rag=green") == ["North running"]
    assert board.titles("?state=approved") == []
    assert "No sign-offs match these filters" in board.client.get("/signoffs?state=approved").text


def test_the_filter_form_has_a_label_for_every_choice_and_keeps_the_choices_made(board: Board) -> None:
    start(board.settings, board.db, "Any")
    html = board.client.get("/signoffs?state=cancelled&rag=red").text
    for name in ("organisation", "state", "rag"):
        assert f'<label for="{name}">' in html
        assert f'<select id="{name}" name="{name}">' in html
    assert '<option value="cancelled" selected>' in html
    assert '<option value="red" selected>' in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            "?organisation=NHS+Nowhere",
            "There are no sign-offs of an organisation called &#39;NHS Nowhere&#39;",
        ),
        ("?state=finished", "&#39;finished&#39; is not a state: choose one of in_progress, approved"),
        ("?rag=purple", "&#39;purple&#39; is not a RAG status: choose red, amber or green."),
        ("?page=two", "&#39;two&#39; is not a page number"),
        ("?page=0", "Pages are numbered from 1."),
        ("?page=9", "There is no page 9: there is 1 of them."),
    ],
)
def test_an_unknown_filter_value_or_page_gets_a_clear_message_and_the_form_not_a_500(
    board: Board, query: str, message: str
) -> None:
    start(board.settings, board.db, "Any")
    page = board.client.get(f"/signoffs{query}")
    assert page.status_code == 400
    assert "There is a problem" in page.text
    assert message in page.text
    assert '<form class="filters"' in page.text


def test_the_dashboard_shows_fifty_signoffs_a_page_with_links_that_keep_the_filters(board: Board) -> None:
    for number in range(51):
        start(board.settings, board.db, f"Agreement {number:02d}", days_later=number, target=None)
    first = board.titles("?state=in_progress")
    second = board.titles("?state=in_progress&page=2")
    assert len(first) == 50
    assert second == ["Agreement 50"]
    html = board.client.get("/signoffs?state=in_progress").text
    assert "51 sign-offs match these filters" in html
    assert 'href="/signoffs?state=in_progress&amp;page=2" rel="next"' in html


def test_a_lead_sees_only_the_signoffs_they_lead(board: Board) -> None:
    start(board.settings, board.db, "Someone else's", lead="other.lead@example.nhs.uk")
    start(board.settings, board.db, "Mine")
    board.client.post("/logout")
    sign_in(board.client, board.db, LEAD, role=Role.LEAD)
    assert board.titles() == ["Mine"]


def test_summaries_and_histories_read_the_same_on_sqlite_and_postgresql(
    settings: Settings, database: Database
) -> None:
    signoff_id = start(settings, database, "Either database")
    decide(settings, database, signoff_id, FINANCE[0], Verdict.APPROVE, STARTED)
    with database.read() as uow:
        (summary,) = uow.overview.summaries()
        (history,) = uow.overview.histories()
    assert [(s.stage_id, s.kind, s.due) for s in summary.open_stages] == [
        ("finance", "review", date(2026, 3, 9))
    ]
    assert [(r.stage_id, r.reviewer, r.invited_at, r.decided_at) for r in history.responses] == [
        ("finance", FINANCE[0], STARTED, STARTED)
    ]
    assert [spell.stage_id for spell in history.stages] == ["finance", "quality", "clinical"]
