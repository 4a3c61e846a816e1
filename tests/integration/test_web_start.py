"""Starting a sign-off from the web form ``/signoffs/new``: the happy path, and every bad input
answered with the form again (422), an error summary and what was typed kept."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from governance.adapters.database.database import Database
from governance.domain.access import Role
from governance.domain.london_time import london_date, utc_now
from governance.entrypoints.web import create_app
from governance.services.documents import sha256_of
from governance.services.status import signoff_status
from governance.settings import Settings
from tests.integration.web_fixtures import (
    DOCUMENT_BYTES,
    LEAD,
    ROUTE_YAML,
    make_database,
    make_settings,
    sign_in,
)

NEXT_YEAR = london_date(utc_now()).year + 1
GOOD = {
    "route": "contracts-over-250k",
    "title": "Grant agreement 2027",
    "lead": LEAD,
    "target-day": "30",
    "target-month": "4",
    "target-year": str(NEXT_YEAR),
    "tags": "financial",
}


@dataclass
class Form:
    client: TestClient
    settings: Settings
    db: Database
    changes: list[str] = field(default_factory=list)

    def send(self, *, file: bytes | None = DOCUMENT_BYTES, **changed: str) -> Any:
        files = {"document": ("grant agreement.pdf", file, "application/pdf")} if file is not None else None
        return self.client.post("/signoffs/new", data=GOOD | changed, files=files, follow_redirects=False)


def form_over(settings: Settings) -> Iterator[Form]:
    db = make_database(settings)
    settings.routes_dir.mkdir(parents=True, exist_ok=True)
    (settings.routes_dir / "contracts-over-250k.yaml").write_text(ROUTE_YAML)
    changes: list[str] = []
    with TestClient(create_app(settings, db, on_change=lambda: changes.append("start"))) as client:
        sign_in(client, db)
        yield Form(client, settings, db, changes)
    db.dispose()


@pytest.fixture
def form(tmp_path: Path) -> Iterator[Form]:
    yield from form_over(make_settings(tmp_path / "data"))


def test_the_form_offers_the_routes_and_labels_every_field(form: Form) -> None:
    page = form.client.get("/signoffs/new")
    assert page.status_code == 200
    assert '<option value="contracts-over-250k" >Contracts over £250k (NHS Example ICB)</option>' in page.text
    for name in ("route", "title", "document", "lead", "target-day", "target-month", "target-year", "tags"):
        assert f'<label for="{name}">' in page.text
    assert 'enctype="multipart/form-data"' in page.text


def test_a_complete_form_starts_the_signoff_stores_the_document_and_wakes_the_orchestrator(
    form: Form,
) -> None:
    response = form.send()
    assert response.status_code == 303
    signoff_id = response.headers["location"].removeprefix("/signoffs/")
    status = signoff_status(form.db, signoff_id)
    assert (status.title, status.lead, status.target) == (
        "Grant agreement 2027",
        LEAD,
        date(NEXT_YEAR, 4, 30),
    )
    assert status.document.filename == "grant agreement.pdf"
    stored = next((form.settings.documents_dir / signoff_id / "v1").iterdir())
    assert sha256_of(stored) == status.document_sha256
    assert stored.read_bytes() == DOCUMENT_BYTES
    assert form.changes == ["start"]
    assert not list(form.settings.data_dir.glob("upload-*")), "the uploaded copy is not left behind"


@pytest.mark.parametrize(
    ("changed", "field_id", "message"),
    [
        ({"route": "no-such-route"}, "route", "There is no route &#39;no-such-route&#39; that you can start"),
        ({"route": ""}, "route", "Choose the route the document goes through"),
        ({"title": "  "}, "title", "Enter the document&#39;s title"),
        ({"lead": "not an email"}, "lead", "Enter the lead&#39;s email address in the right format"),
        ({"target-year": "2020"}, "target-day", "The target 2020-04-30 is in the past"),
        ({"target-year": str(NEXT_YEAR + 6)}, "target-day", "is more than 5 years ahead"),
        ({"target-month": "13"}, "target-day", "The target date must be a real date"),
        ({"tags": "financial Big_Tag!"}, "tags", "&#39;big_tag!&#39; is not a tag"),
    ],
)
def test_a_bad_field_shows_the_form_again_with_an_error_summary_and_keeps_what_was_typed(
    form: Form, changed: dict[str, str], field_id: str, message: str
) -> None:
    page = form.send(**changed)
    assert page.status_code == 422
    assert "There is a problem" in page.text
    assert f'<li><a href="#{field_id}">' in page.text
    assert message in page.text
    assert "Choose the document again" in page.text
    kept = GOOD | changed
    assert f'value="{kept["title"]}"' in page.text
    assert f'value="{kept["tags"]}"' in page.text.replace("&#39;", "'")
    assert form.changes == []


def test_a_form_without_a_document_asks_for_one(form: Form) -> None:
    page = form.send(file=None)
    assert page.status_code == 422
    assert '<li><a href="#document">Choose the document to sign off</a></li>' in page.text


def test_an_empty_document_is_refused(form: Form) -> None:
    page = form.send(file=b"")
    assert page.status_code == 422
    assert "The chosen file is empty" in page.text


def test_a_document_over_the_size_limit_is_refused_with_the_limit_in_words(tmp_path: Path) -> None:
    settings = make_settings(tmp_path / "data").model_copy(update={"max_upload_bytes": 1024 * 1024})
    for form in form_over(settings):
        page = form.send(file=b"x" * (1024 * 1024 + 1))
        assert page.status_code == 422
        assert "The document must be smaller than 1 MB" in page.text
        absurd = form.send(file=b"x" * (3 * 1024 * 1024))
        assert absurd.status_code == 413
        assert "The document must be smaller than 1 MB. Nothing has been started." in absurd.text


def test_a_form_sent_from_another_site_is_refused_and_starts_nothing(form: Form) -> None:
    files = {"document": ("a.pdf", DOCUMENT_BYTES, "application/pdf")}
    headers = {"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"}
    response = form.client.post("/signoffs/new", data=GOOD, files=files, headers=headers)
    assert response.status_code == 403
    assert form.changes == []


def test_a_lead_starts_only_signoffs_they_lead(form: Form) -> None:
    form.client.post("/logout")
    sign_in(form.client, form.db, LEAD, role=Role.LEAD)
    assert f'value="{LEAD}"' in form.client.get("/signoffs/new").text
    refused = form.send(lead="someone.else@example.nhs.uk")
    assert refused.status_code == 422
    assert f"As a lead you start sign-offs that you lead: enter your own address, {LEAD}" in refused.text
    assert form.send().status_code == 303


def test_signing_in_is_needed_to_see_or_send_the_form(form: Form) -> None:
    form.client.post("/logout")
    assert form.client.get("/signoffs/new", follow_redirects=False).headers["location"] == "/login"
    assert form.send().headers["location"] == "/login"
