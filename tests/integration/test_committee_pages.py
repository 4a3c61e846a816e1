"""The committee pages over a real SQLite database: the secretary's outcome form and its fields,
no outcome before the meeting (409 before anything in the form is looked at), the lead's paper
link, and the forward plan page; checked with axe-core and at 320 px in headless Chromium."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Browser

from governance.adapters.mail.sink import free_port
from governance.adapters.route_files import parse_route
from governance.domain.london_time import LONDON, human_date, utc_now
from governance.entrypoints.status_json import status_to_json
from governance.entrypoints.web import create_app
from governance.services.signoffs import NewSignOff, advance_signoff, start_signoff
from governance.services.status import signoff_status
from tests.integration.web_fixtures import (
    LEAD,
    Example,
    invitation_tokens,
    make_database,
    make_settings,
    serving,
    sign_in,
    sign_in_browser,
)
from tests.page_checks import NARROW, axe_violations, scrolls_sideways

SECRETARY = "committee.secretary@example.nhs.uk"
CHAIR = "committee.chair@example.nhs.uk"
OUTCOMES = ["approve", "approve_with_amendments", "defer", "changes", "reject"]


def committee_route(first_meeting: date) -> str:
    meetings = [first_meeting, first_meeting + timedelta(days=28)]
    return f"""\
id: committee-route
name: Committee route
organisation: NHS Example ICB
calendars:
  partnership:
    name: ICB Partnership Committee
    meetings:
      time: "09:30"
      dates: [{", ".join(day.isoformat() for day in meetings)}]
    paper_deadline_working_days: 0
stages:
  - id: committee
    name: ICB Partnership Committee
    kind: meeting
    calendar: partnership
    secretary: [{SECRETARY}]
    chairs_action: [{CHAIR}]
    due_working_days: 3
"""


def today() -> date:
    return datetime.now(LONDON).date()


@dataclass
class Committee:
    client: TestClient
    example: Example
    meeting: date

    def status(self) -> dict[str, Any]:
        stage: dict[str, Any] = status_to_json(signoff_status(self.example.db, self.example.signoff_id))[
            "stages"
        ][0]
        return stage

    def link(self, who: str = SECRETARY) -> str:
        return f"/a/{invitation_tokens(self.example.settings, self.example.db, self.example.signoff_id)[who]}"

    def post(self, decision: str, *, who: str = SECRETARY, **fields: str) -> Any:
        return self.client.post(self.link(who), data={"decision": decision, **fields})


def started(tmp_path: Path, first_meeting: date, *, base_url: str = "http://testserver") -> Example:
    settings = make_settings(tmp_path / "data", base_url=base_url)
    db = make_database(settings)
    document = settings.data_dir / "paper.md"
    document.write_text("# Partnership agreement\n", encoding="utf-8")
    text = committee_route(first_meeting)
    request = NewSignOff(
        parse_route(text, path="committee-route.yaml"), text, "Partnership agreement", document, LEAD, None
    )
    now = utc_now()
    signoff_id = start_signoff(db, settings, request, now=now)
    advance_signoff(db, settings, signoff_id, now=now)
    return Example(settings, db, signoff_id, {})


def committee_at(tmp_path: Path, first_meeting: date) -> Iterator[Committee]:
    example = started(tmp_path, first_meeting)
    with TestClient(create_app(example.settings, example.db)) as client:
        yield Committee(client, example, first_meeting)
    example.db.dispose()


@pytest.fixture
def meeting_today(tmp_path: Path) -> Iterator[Committee]:
    """A committee stage booked on a meeting today (papers due on the day): outcomes can be recorded."""
    yield from committee_at(tmp_path, today())


@pytest.fixture
def meeting_ahead(tmp_path: Path) -> Iterator[Committee]:
    """A committee stage booked on a meeting a fortnight ahead."""
    yield from committee_at(tmp_path, today() + timedelta(days=14))


def test_the_secretarys_page_offers_the_five_outcomes_and_the_minute_fields(meeting_today):
    page = meeting_today.client.get(meeting_today.link()).text
    assert re.findall(r'name="decision" value="([a-z_]+)"', page) == OUTCOMES
    for field in ("minute_ref", "amendments", "quorate", "interests", "comment"):
        assert f'name="{field}"' in page
    assert 'type="checkbox" id="quorate" name="quorate" value="yes"' in page
    assert human_date(meeting_today.meeting) in page
    assert "9:30am" in page


@pytest.mark.parametrize(
    ("decision", "fields", "problem"),
    [
        ("approve", {"quorate": "yes"}, "Enter the minute reference"),
        ("approve", {"minute_ref": "2027/1"}, "Confirm that the meeting was quorate"),
        ("reject", {"minute_ref": "2027/1"}, "Confirm that the meeting was quorate"),
        ("approve_with_amendments", {"minute_ref": "2027/1", "quorate": "yes"}, "Enter the amendments"),
        ("defer", {}, "Enter the minute reference"),
        ("ratify", {"minute_ref": "2027/1"}, "Choose one of the outcomes"),
    ],
)
def test_an_incomplete_outcome_is_refused_with_what_is_missing_and_records_nothing(
    meeting_today, decision, fields, problem
):
    response = meeting_today.post(decision, **fields)
    assert response.status_code == 422
    assert problem in response.text
    assert meeting_today.status()["decisions"] == []
    assert meeting_today.status()["state"] == "open"


def test_an_approval_with_amendments_approves_and_keeps_the_minutes(meeting_today):
    fields = {"minute_ref": "2027/01/7", "amendments": "Add the finance annex.", "interests": "None declared"}
    assert meeting_today.post("approve_with_amendments", **fields).status_code == 200
    stage = meeting_today.status()
    assert stage["state"] == "approved"
    decision = stage["decisions"][0]
    assert decision["decision"] == "approve_with_amendments"
    assert decision["minute_ref"] == "2027/01/7"
    assert decision["amendments"] == "Add the finance annex."
    assert decision["meeting"] == meeting_today.meeting.isoformat()


def test_a_deferral_moves_the_stage_and_the_old_link_then_records_nothing(meeting_today):
    old = meeting_today.link()
    response = meeting_today.post("defer", minute_ref="2027/01/4", comment="Waiting for the annex")
    assert response.status_code == 200
    stage = meeting_today.status()
    moved_to = (meeting_today.meeting + timedelta(days=28)).isoformat()
    assert (stage["state"], stage["meeting"], stage["paper_deadline"]) == ("open", moved_to, moved_to)
    assert stage["deferrals"][0]["reason"] == "Waiting for the annex"
    again = meeting_today.client.post(old, data={"decision": "approve", "minute_ref": "x", "quorate": "yes"})
    assert again.status_code == 409
    assert "moved to the meeting on" in again.text
    assert meeting_today.link() != old


def test_before_the_meeting_the_page_says_from_when_and_a_post_is_refused_before_its_form(meeting_ahead):
    page = meeting_ahead.client.get(meeting_ahead.link()).text
    assert f"The outcome can be recorded from {human_date(meeting_ahead.meeting)}" in page
    assert 'name="decision"' not in page
    for form in ({"decision": "approve", "minute_ref": "2027/1", "quorate": "yes"}, {"decision": "nonsense"}):
        response = meeting_ahead.client.post(meeting_ahead.link(), data=form)
        assert response.status_code == 409
        assert meeting_ahead.status()["decisions"] == []


def test_the_leads_paper_link_marks_the_paper_submitted_once(meeting_ahead):
    link = meeting_ahead.link(LEAD)
    page = meeting_ahead.client.get(link).text
    assert "Mark the paper as submitted" in page
    assert meeting_ahead.client.post(link, data={"decision": "paper_submitted"}).status_code == 200
    submitted = meeting_ahead.status()["paper_submitted_at"]
    assert submitted is not None
    assert "marked as submitted" in meeting_ahead.client.get(link).text
    meeting_ahead.client.post(link, data={"decision": "paper_submitted"})
    assert meeting_ahead.status()["paper_submitted_at"] == submitted


def test_the_forward_plan_page_lists_the_meetings_and_the_booked_paper_for_signed_in_people(meeting_ahead):
    client = meeting_ahead.client
    anonymous = client.get("/committees", follow_redirects=False)
    assert anonymous.status_code in (302, 303)
    sign_in(client, meeting_ahead.example.db)
    page = client.get("/committees").text
    assert 'data-committee="committee-route/partnership"' in page
    assert f'data-meeting="{meeting_ahead.meeting.isoformat()}"' in page
    assert re.search(r'data-paper="[0-9a-f]+/committee" data-status="booked"', page)


def test_the_committee_pages_pass_axe_and_fit_320_pixels(browser: Browser, tmp_path: Path) -> None:
    port = free_port()
    example = started(tmp_path, today(), base_url=f"http://127.0.0.1:{port}")
    tokens = invitation_tokens(example.settings, example.db, example.signoff_id)
    with serving(example, port) as url:
        context = browser.new_context(bypass_csp=True, viewport=NARROW)
        page = context.new_page()
        for path in (f"/a/{tokens[SECRETARY]}", f"/a/{tokens[LEAD]}"):
            page.goto(url + path)
            assert axe_violations(page) == [], path
            assert not scrolls_sideways(page), path
        sign_in_browser(page, url, example.db)
        page.goto(f"{url}/committees")
        assert axe_violations(page) == []
        assert not scrolls_sideways(page)
        context.close()
    example.db.dispose()
