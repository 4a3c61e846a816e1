"""The timeline's picture on its own and the actions on the page, over a real SQLite database with
sign-offs made through the real services: each action's success (303 back with a notice, the
orchestrator woken), a bad input (422 with an error summary, nothing changed), and who is refused."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from governance.adapters.database.tables import outbox
from governance.domain.access import Role
from governance.domain.rules import Verdict
from governance.domain.signoff import SignOffState
from governance.entrypoints.web import create_app
from governance.services.signoffs import advance_signoff, cancel_signoff, decide_by_token
from governance.services.status import SignOffStatus, signoff_status
from tests.integration.test_committee_pages import CHAIR, started
from tests.integration.web_fixtures import (
    FINANCE,
    LEAD,
    Example,
    make_database,
    make_settings,
    sign_in,
    start_example,
)

SVG = "{http://www.w3.org/2000/svg}"
OTHER_LEAD = "someone.else@example.nhs.uk"
DEPUTY = "finance.deputy@example.nhs.uk"
ASKED = datetime(2026, 3, 3, 9, 0, tzinfo=UTC)


@dataclass
class Site:
    client: TestClient
    example: Example
    woken: list[str] = field(default_factory=list)

    @property
    def base(self) -> str:
        return f"/signoffs/{self.example.signoff_id}"

    def status(self) -> SignOffStatus:
        return signoff_status(self.example.db, self.example.signoff_id)

    def post(self, action: str, **data: Any) -> Any:
        return self.client.post(f"{self.base}/{action}", follow_redirects=False, **data)

    def as_person(self, email: str, role: Role = Role.LEAD) -> None:
        self.client.cookies.clear()
        sign_in(self.client, self.example.db, email, role=role)

    def emailed(self, recipient: str) -> list[str]:
        query = select(outbox.c.kind).where(outbox.c.recipient == recipient)
        with self.example.db.transaction() as connection:
            return list(connection.execute(query).scalars())


def site_of(example: Example) -> Iterator[Site]:
    woken: list[str] = []
    app = create_app(example.settings, example.db, on_change=lambda: woken.append("change"))
    with TestClient(app) as client:
        sign_in(client, example.db)
        yield Site(client, example, woken)
    example.db.dispose()


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    """The example sign-off: the finance review open, awaiting both finance reviewers."""
    settings = make_settings(tmp_path / "data")
    yield from site_of(start_example(settings, make_database(settings)))


@pytest.fixture
def committee(tmp_path: Path) -> Iterator[Site]:
    """A one-stage committee route, its meeting a fortnight ahead and a chair who may act between."""
    from datetime import timedelta

    from tests.integration.test_committee_pages import today

    yield from site_of(started(tmp_path, today() + timedelta(days=14)))


@pytest.fixture
def awaiting_changes(site: Site) -> Site:
    """The example sign-off after finance asked for changes: it waits for a revised version."""
    example = site.example
    token = example.tokens[FINANCE[0]]
    decided = decide_by_token(
        example.db, token, verdict=Verdict.CHANGES, comment="Clause 4.", now=ASKED, settings=example.settings
    )
    assert decided is not None
    assert decided.recorded
    advance_signoff(example.db, example.settings, example.signoff_id, now=ASKED)
    return site


def shown_after(site: Site, response: Any) -> str:
    """The page a 303 leads back to, with its notice."""
    assert response.status_code == 303, response.text
    assert response.headers["location"] == site.base
    page = site.client.get(site.base)
    assert page.status_code == 200
    return str(page.text)


def test_the_picture_is_served_alone_as_svg_with_one_group_per_stage(site: Site) -> None:
    response = site.client.get(f"{site.base}/timeline.svg")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("image/svg+xml")
    svg = ET.fromstring(response.text)  # noqa: S314 - markup the product just made, parsed to check it
    assert svg.get("role") == "img"
    stages = [g.get("data-stage") for g in svg.iter(f"{SVG}g") if g.get("data-stage")]
    assert stages == ["finance", "quality", "clinical"]


def test_the_picture_follows_the_pages_access_rule(site: Site) -> None:
    site.as_person(LEAD)
    assert site.client.get(f"{site.base}/timeline.svg").status_code == 200
    site.as_person(OTHER_LEAD)
    assert site.client.get(f"{site.base}/timeline.svg").status_code == 404
    site.client.cookies.clear()
    anonymous = site.client.get(f"{site.base}/timeline.svg", follow_redirects=False)
    assert (anonymous.status_code, anonymous.headers["location"]) == (303, "/login")


def test_the_page_opens_with_the_picture_and_offers_only_what_applies(site: Site) -> None:
    page = site.client.get(site.base).text
    assert page.index('<svg xmlns="http://www.w3.org/2000/svg" role="img"') < page.index('id="key-dates"')
    for offered in ("/remind", "/cancel", "/reassign"):
        assert f'action="{site.base}{offered}"' in page or f'href="{site.base}{offered}"' in page
    for not_offered in ("/revise", "/paper-submitted", "/chairs-action"):
        assert f"{site.base}{not_offered}" not in page
    site.as_person(LEAD)
    assert f"{site.base}/reassign" not in site.client.get(site.base).text  # officers only


def test_reminding_sends_everyone_awaited_a_reminder_and_says_so(site: Site) -> None:
    page = shown_after(site, site.post("remind"))
    assert f"Reminders are on their way to {FINANCE[0]}, {FINANCE[1]}." in page
    assert all("reminder" in site.emailed(reviewer) for reviewer in FINANCE)
    assert site.woken == ["change"]
    assert "Reminders are on their way" not in site.client.get(site.base).text  # said once


def test_reminding_an_ended_signoff_is_refused_with_an_error_summary(site: Site) -> None:
    example = site.example
    cancel_signoff(example.db, example.settings, example.signoff_id, now=datetime.now(UTC))
    response = site.post("remind")
    assert response.status_code == 422
    assert "There is a problem" in response.text
    assert "has ended (cancelled): there is no one to remind" in response.text
    assert site.woken == []


def test_nobody_signed_in_and_another_lead_cannot_act(site: Site) -> None:
    site.client.cookies.clear()
    for action in ("remind", "cancel", "reassign"):
        response = site.post(action, data={"confirm": "yes"})
        assert (response.status_code, response.headers["location"]) == (303, "/login")
    site.as_person(OTHER_LEAD)
    for action in ("remind", "cancel", "reassign"):
        assert site.post(action, data={"confirm": "yes"}).status_code == 404
    assert site.status().state is SignOffState.IN_PROGRESS
    assert site.emailed(FINANCE[0]) == ["invitation"]


def test_a_form_from_another_site_is_refused_and_changes_nothing(site: Site) -> None:
    response = site.post("cancel", data={"confirm": "yes"}, headers={"Origin": "https://evil.example"})
    assert response.status_code == 403
    assert site.status().state is SignOffState.IN_PROGRESS


def test_cancelling_asks_for_confirmation_first_then_cancels(site: Site) -> None:
    confirm = site.client.get(f"{site.base}/cancel")
    assert confirm.status_code == 200
    assert "Are you sure you want to cancel" in confirm.text
    unticked = site.post("cancel", data={})
    assert unticked.status_code == 422
    assert "Tick the box to confirm the cancellation" in unticked.text
    assert site.status().state is SignOffState.IN_PROGRESS
    page = shown_after(site, site.post("cancel", data={"confirm": "yes"}))
    assert "The sign-off is cancelled" in page
    assert site.status().state is SignOffState.CANCELLED
    assert f"{site.base}/remind" not in page


def test_the_lead_may_cancel_their_own_signoff(site: Site) -> None:
    site.as_person(LEAD)
    shown_after(site, site.post("cancel", data={"confirm": "yes"}))
    assert site.status().state is SignOffState.CANCELLED


def test_an_officer_reassigns_a_review_and_the_new_reviewer_gets_a_link(site: Site) -> None:
    response = site.post("reassign", data={"review": f"finance {FINANCE[1]}", "to": DEPUTY})
    page = shown_after(site, response)
    assert f"The review moved from {FINANCE[1]} to {DEPUTY}" in page
    assert "invitation" in site.emailed(DEPUTY)
    assert site.woken == ["change"]


@pytest.mark.parametrize(
    ("to", "problem"),
    [("", "Enter the email address of who reviews instead"), ("not an address", "is not an email address")],
)
def test_a_reassignment_to_nobody_or_not_an_address_is_refused_and_keeps_what_was_typed(
    site: Site, to: str, problem: str
) -> None:
    response = site.post("reassign", data={"review": f"finance {FINANCE[1]}", "to": to})
    assert response.status_code == 422
    assert "There is a problem" in response.text
    assert problem in response.text
    assert '<details class="action-form" id="reassign" open>' in response.text
    assert site.emailed(DEPUTY) == []


def test_a_lead_may_not_reassign_a_review(site: Site) -> None:
    site.as_person(LEAD)
    assert site.post("reassign", data={"review": f"finance {FINANCE[1]}", "to": DEPUTY}).status_code == 403
    assert site.emailed(DEPUTY) == []


def test_the_lead_marks_the_paper_submitted_from_the_timeline(committee: Site) -> None:
    committee.as_person(LEAD)
    page = committee.client.get(committee.base).text
    assert f'action="{committee.base}/paper-submitted"' in page
    page = shown_after(committee, committee.post("paper-submitted", data={"stage": "committee"}))
    assert "The paper for ICB Partnership Committee is marked as submitted" in page
    booked = committee.status().stages[0].booked
    assert booked is not None
    assert booked.paper_submitted_at is not None
    assert f"{committee.base}/paper-submitted" not in page


def test_a_paper_for_a_stage_that_is_not_a_meeting_is_refused(committee: Site) -> None:
    response = committee.post("paper-submitted", data={"stage": "nope"})
    assert response.status_code == 422
    assert "has no stage &#39;nope&#39;" in response.text
    booked = committee.status().stages[0].booked
    assert booked is not None
    assert booked.paper_submitted_at is None


def test_asking_for_chairs_action_emails_the_chair(committee: Site) -> None:
    data = {"stage": "committee", "reason": "The grant deadline is before the meeting"}
    page = shown_after(committee, committee.post("chairs-action", data=data))
    assert f"Chair's action asked of {CHAIR}" in page.replace("&#39;", "'")
    assert committee.emailed(CHAIR)
    assert f"{committee.base}/chairs-action" not in page  # asked already: the chair has the link


def test_chairs_action_without_a_reason_is_refused_and_nobody_is_emailed(committee: Site) -> None:
    response = committee.post("chairs-action", data={"stage": "committee", "reason": "  "})
    assert response.status_code == 422
    assert "Enter why the decision cannot wait for the meeting" in response.text
    assert committee.emailed(CHAIR) == []
    committee.client.cookies.clear()
    refused = committee.post("chairs-action", data={"stage": "committee", "reason": "Urgent"})
    assert refused.status_code == 303
    assert committee.emailed(CHAIR) == []


def test_the_lead_sends_a_revised_version_from_the_timeline(awaiting_changes: Site) -> None:
    site = awaiting_changes
    site.as_person(LEAD)
    assert f'action="{site.base}/revise"' in site.client.get(site.base).text
    files = {"document": ("agreement-v2.txt", b"Clause 4 rewritten.\n", "text/plain")}
    page = shown_after(site, site.post("revise", files=files, data={"note": "Clause 4 rewritten"}))
    assert "Version 2 is sent" in page
    status = site.status()
    assert status.state is SignOffState.IN_PROGRESS
    assert [(v.version, v.filename, v.note, v.by) for v in status.versions][-1] == (
        2,
        "agreement-v2.txt",
        "Clause 4 rewritten",
        LEAD,
    )
    assert site.woken == ["change"]


def test_a_revision_without_a_document_is_refused_and_keeps_the_note(awaiting_changes: Site) -> None:
    response = awaiting_changes.post("revise", data={"note": "Clause 4 rewritten"})
    assert response.status_code == 422
    assert "Choose the revised document" in response.text
    assert ">Clause 4 rewritten</textarea>" in response.text
    assert len(awaiting_changes.status().versions) == 1


def test_a_revision_when_no_changes_were_asked_for_is_refused(site: Site) -> None:
    files = {"document": ("agreement-v2.txt", b"Unasked.\n", "text/plain")}
    response = site.post("revise", files=files, data={"note": ""})
    assert response.status_code == 422
    assert "There is a problem" in response.text
    assert len(site.status().versions) == 1
