"""The reviewer's page hands a review to a deputy: the form, the refusals (422, nothing handed on),
the reviewer's link afterwards, and the deputy's own page."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from governance.adapters.database.loop_tables import delegations
from governance.entrypoints.web import create_app
from tests.integration.web_fixtures import (
    FINANCE,
    Example,
    invitation_tokens,
    make_database,
    make_settings,
    start_example,
)

DEPUTY = "deputy.finance@example.nhs.uk"


@pytest.fixture
def example(tmp_path: Path) -> Iterator[tuple[TestClient, Example]]:
    settings = make_settings(tmp_path / "data")
    db = make_database(settings)
    with TestClient(create_app(settings, db)) as client:
        yield client, start_example(settings, db)
    db.dispose()


def handed_on(example: Example) -> int:
    with example.db.transaction() as connection:
        return int(connection.execute(select(func.count()).select_from(delegations)).scalar_one())


def test_the_reviewers_page_offers_a_deputy_field_and_a_delegate_button(example):
    client, started = example
    page = client.get(f"/a/{started.tokens[FINANCE[0]]}").text
    assert 'name="delegate_to"' in page
    assert 'name="decision" value="delegate"' in page


def test_handing_on_shows_who_has_the_review_and_the_deputy_decides_on_behalf_of_the_reviewer(example):
    client, started = example
    link = f"/a/{started.tokens[FINANCE[0]]}"
    response = client.post(link, data={"decision": "delegate", "delegate_to": DEPUTY})
    assert response.status_code == 200
    assert "with someone else now" in response.text
    assert DEPUTY in response.text
    again = client.get(link).text
    assert DEPUTY in again
    assert 'value="approve"' not in again
    deputy_token = invitation_tokens(started.settings, started.db, started.signoff_id)[DEPUTY]
    deputy_page = client.get(f"/a/{deputy_token}").text
    assert f"You decide on behalf of {FINANCE[0]}" in deputy_page
    assert 'value="delegate"' not in deputy_page
    decided = client.post(f"/a/{deputy_token}", data={"decision": "approve"})
    assert decided.status_code == 200
    assert client.post(link, data={"decision": "approve"}).status_code == 409


@pytest.mark.parametrize(
    ("deputy", "said"),
    [
        (FINANCE[0], "You cannot hand the review to yourself."),
        (FINANCE[1], "already reviews the Finance review stage"),
        ("someone", "is not an email address"),
        ("", "Enter your deputy&#39;s email address."),
    ],
    ids=["oneself", "another reviewer of the stage", "not an email address", "nobody"],
)
def test_a_refused_deputy_is_a_422_that_says_why_and_hands_nothing_on(example, deputy, said):
    client, started = example
    response = client.post(
        f"/a/{started.tokens[FINANCE[0]]}", data={"decision": "delegate", "delegate_to": deputy}
    )
    assert response.status_code == 422
    assert said in response.text
    assert "Nothing has been handed on." in response.text
    assert 'href="#delegate_to"' in response.text
    assert handed_on(started) == 0
