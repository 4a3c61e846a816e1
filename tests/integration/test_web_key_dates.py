"""Key dates on the web: the timeline's RAG, planned and actual dates and flags, the key-dates calendar,
and the failed-email banner; real SQLite, sign-offs made through the real services, time frozen."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import httpx
import pytest
import time_machine
from fastapi.testclient import TestClient
from icalendar import Calendar
from playwright.sync_api import Browser
from sqlalchemy import select, update

from governance.adapters.database.database import Database
from governance.adapters.database.tables import outbox
from governance.adapters.route_files import parse_route
from governance.entrypoints.status_json import status_to_json
from governance.entrypoints.web import create_app
from governance.entrypoints.web.key_dates_view import rag_label, slack_words
from governance.services.reminders import send_due_reminders
from governance.services.signoffs import NewSignOff, advance_signoff, cancel_signoff, start_signoff
from governance.services.status import signoff_status
from governance.settings import Settings
from tests.integration.web_fixtures import (
    FINANCE,
    STARTED,
    invitation_tokens,
    make_database,
    make_settings,
    sign_in,
    start_example,
)

BOARD_ROUTE = """\
id: board-paper
name: Board paper
organisation: NHS Example ICB
calendars:
  board:
    name: ICB Board
    meetings:
      rrule: "FREQ=MONTHLY;BYDAY=+1TH"
      dtstart: 2026-01-01
    paper_deadline_working_days: 5
stages:
  - id: finance
    name: Finance review
    kind: review
    reviewers: [cfo@example.nhs.uk]
    due_working_days: 5
  - id: board
    name: ICB Board
    kind: meeting
    calendar: board
    secretary: [board.secretary@example.nhs.uk]
"""
# Monday 2 November 2026, 09:00 GMT; the board meets on the first Thursday of each month.
OPENED = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
LOOKED = datetime(2026, 11, 3, 12, 0, tzinfo=UTC)
TARGET = date(2027, 3, 31)


@dataclass(frozen=True)
class Site:
    client: TestClient
    settings: Settings
    db: Database

    def start(self, *, target: date | None = TARGET, title: str = "Board paper on VCSE funding") -> str:
        """A sign-off on the board route, started and its first stage opened at ``OPENED``."""
        document = self.settings.data_dir / "paper.pdf"
        document.write_bytes(b"%PDF-1.4 board paper")
        route = parse_route(BOARD_ROUTE, path="board-paper.yaml")
        request = NewSignOff(route, BOARD_ROUTE, title, document, "lead@example.nhs.uk", target)
        with time_machine.travel(OPENED, tick=False):
            signoff_id = start_signoff(self.db, self.settings, request, now=OPENED)
            advance_signoff(self.db, self.settings, signoff_id, now=OPENED)
        return signoff_id

    def get(self, path: str, *, at: datetime = LOOKED) -> str:
        present = httpx.Cookies(self.client.cookies)
        with time_machine.travel(at, tick=False):
            sign_in(self.client, self.db)  # a session cookie is only good from the moment it was made
            response = self.client.get(path)
        self.client.cookies = present  # back to the present's session
        assert response.status_code == 200, response.text
        return response.text

    def fail_one_email(self, signoff_id: str) -> None:
        """Mark the sign-off's first notification failed, as a 550 from the mail server would."""
        with self.db.transaction() as connection:
            first = connection.execute(
                select(outbox.c.id).where(outbox.c.signoff_id == signoff_id).order_by(outbox.c.id)
            ).scalar()
            connection.execute(
                update(outbox)
                .where(outbox.c.id == first)
                .values(state="failed", last_error="550 5.1.1 mailbox unavailable")
            )


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    settings = make_settings(tmp_path / "data")
    db = make_database(settings)
    with TestClient(create_app(settings, db)) as client:
        sign_in(client, db)
        yield Site(client, settings, db)
    db.dispose()


def text_of(html: str) -> str:
    """The page's words with tags dropped and white space squeezed, as a reader sees them."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_timeline_shows_target_forecast_slack_and_a_green_rag_in_words(site: Site) -> None:
    page = text_of(site.get(f"/signoffs/{site.start()}"))
    assert "RAG status Green: on track" in page
    assert "Target Wed 31 March 2027" in page
    assert "Forecast Thu 3 December 2026" in page
    assert re.search(r"Slack \d+ working days to spare", page)
    assert "Needs attention" not in page


def test_each_stage_shows_its_planned_dates_beside_its_actual_dates(site: Site) -> None:
    page = text_of(site.get(f"/signoffs/{site.start()}"))
    finance = page[page.index("Finance review Open") : page.index("ICB Board Pending")]
    assert "Planned Start by Thu 18 February 2027 Decide by Thu 25 February 2027" in finance
    actual = "Actual and forecast Opened Mon 2 November 2026 at 9am Due Mon 9 November 2026 Completed –"
    assert actual in finance
    assert "Forecast Mon 9 November 2026" in finance
    board = page[page.index("ICB Board Pending") :]
    assert (
        "Start by Thu 25 February 2027 Paper deadline Thu 25 February 2027 Meeting Thu 4 March 2027 "
        "Decide by Thu 4 March 2027" in board
    )
    assert "Forecast Thu 3 December 2026" in board


def test_stages_forecast_after_their_decide_by_are_marked_at_risk_and_listed_first(site: Site) -> None:
    html = site.get(f"/signoffs/{site.start(target=date(2026, 11, 20))}")
    page = text_of(html)
    assert "RAG status Red: will miss the target" in page
    assert (
        "Finance review : at risk , forecast to be decided Mon 9 November 2026, "
        "after its decide-by date Thu 29 October 2026" in page
    )
    assert "ICB Board : at risk" in page
    assert html.count('class="tag tag-at-risk">At risk<') == 2
    assert "Stalled" not in page


def test_a_stage_decided_after_its_decide_by_is_marked_decided_late(site: Site) -> None:
    signoff_id = site.start(target=date(2026, 11, 20))
    token = invitation_tokens(site.settings, site.db, signoff_id)["cfo@example.nhs.uk"]
    with time_machine.travel(LOOKED, tick=False):
        assert site.client.post(f"/a/{token}", data={"decision": "approve"}).status_code == 200
    html = site.get(f"/signoffs/{signoff_id}")
    finance = html[html.index('id="stage-finance"') : html.index('id="stage-board"')]
    assert 'class="tag tag-late">Decided late<' in finance
    assert "At risk" not in finance


@pytest.mark.parametrize(
    ("rag", "shown"),
    [("green", "Green: on track"), ("amber", "Amber: at risk"), ("red", "Red: will miss the target")],
)
def test_a_rag_status_is_said_in_words_not_only_colour(rag: str, shown: str) -> None:
    assert rag_label(rag) == shown


@pytest.mark.parametrize(
    ("slack", "shown"),
    [
        (12, "12 working days to spare"),
        (1, "1 working day to spare"),
        (0, "None: the forecast is the target day itself"),
        (-3, "3 working days late"),
        (None, "–"),
    ],
)
def test_slack_is_said_in_working_days_to_spare_or_late(slack: int | None, shown: str) -> None:
    assert slack_words(slack) == shown


def test_a_stalled_stage_is_marked_with_the_reminders_sent(site: Site) -> None:
    example = start_example(site.settings, site.db, now=STARTED)
    tuesday_after_due = datetime(2026, 3, 10, 9, 30, tzinfo=UTC)
    with time_machine.travel(tuesday_after_due, tick=False):
        send_due_reminders(site.db, site.settings, now=tuesday_after_due)
    html = site.get(f"/signoffs/{example.signoff_id}", at=datetime(2026, 3, 11, 12, 0, tzinfo=UTC))
    page = text_of(html)
    assert 'class="tag tag-stalled">Stalled<' in html
    assert "Finance review : stalled , due Mon 9 March 2026 and still open" in page
    assert "Stalled: it was due Mon 9 March 2026 and is still open." in page
    for reviewer in FINANCE:
        assert f"To {reviewer}, Tue 10 March 2026 at 9:30am" in page


def test_the_key_dates_calendar_has_an_event_per_paper_deadline_meeting_and_decide_by(site: Site) -> None:
    signoff_id = site.start()
    with time_machine.travel(LOOKED, tick=False):
        sign_in(site.client, site.db)
        response = site.client.get(f"/signoffs/{signoff_id}/key-dates.ics")
        finance, board = status_to_json(signoff_status(site.db, signoff_id))["stages"]
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    assert response.headers["content-disposition"] == f'attachment; filename="key-dates-{signoff_id}.ics"'
    events = Calendar.from_ical(response.content).walk("VEVENT")
    found = {(str(e["summary"]), e.decoded("dtstart")) for e in events}
    title = "Board paper on VCSE funding"
    assert found == {
        (f"{title}: Finance review – decide by", date.fromisoformat(finance["decide_by"])),
        (f"{title}: ICB Board – paper deadline", date.fromisoformat(board["start_by"])),
        (
            f"{title}: ICB Board – latest meeting that still makes the target",
            date.fromisoformat(board["decide_by"]),
        ),
    }
    assert {str(e["url"]) for e in events} == {f"{site.settings.base_url}/signoffs/{signoff_id}"}


def test_the_key_dates_calendar_of_an_ended_signoff_cancels_its_events_under_the_same_uids(
    site: Site,
) -> None:
    signoff_id = site.start()
    with time_machine.travel(LOOKED, tick=False):
        sign_in(site.client, site.db)
        live = Calendar.from_ical(site.client.get(f"/signoffs/{signoff_id}/key-dates.ics").content)
        cancel_signoff(site.db, site.settings, signoff_id, now=LOOKED)
        ended = Calendar.from_ical(site.client.get(f"/signoffs/{signoff_id}/key-dates.ics").content)
    assert [str(e["uid"]) for e in ended.walk("VEVENT")] == [str(e["uid"]) for e in live.walk("VEVENT")]
    assert {str(e["status"]) for e in ended.walk("VEVENT")} == {"CANCELLED"}


def test_the_key_dates_calendar_of_an_unknown_signoff_is_404(site: Site) -> None:
    response = site.client.get("/signoffs/nope/key-dates.ics")
    assert response.status_code == 404
    assert "There is no sign-off with id" in response.text


def test_a_signoff_without_a_target_has_no_calendar_and_says_why(site: Site) -> None:
    signoff_id = site.start(target=None)
    page = text_of(site.get(f"/signoffs/{signoff_id}"))
    response = site.client.get(f"/signoffs/{signoff_id}/key-dates.ics")
    assert "No target date was set for this sign-off" in page
    assert "key-dates.ics" not in page
    assert response.status_code == 404
    assert "has no target date, so there are no key dates to add" in response.text


def test_the_timeline_links_to_its_key_dates_calendar(site: Site) -> None:
    signoff_id = site.start()
    html = site.get(f"/signoffs/{signoff_id}")
    assert f'<a href="/signoffs/{signoff_id}/key-dates.ics">Add key dates to your calendar (.ics)</a>' in html


def test_the_dashboard_shows_each_signoffs_rag_as_words(site: Site) -> None:
    site.start(title="On track")
    site.start(title="Too late", target=date(2026, 11, 20))
    site.start(title="No target", target=None)
    rows = {
        text_of(row).split(" Board paper")[0].strip(): text_of(row)
        for row in site.get("/signoffs").split("<tr>")[2:]
    }
    assert "Green: on track" in rows["On track"]
    assert "Red: will miss the target" in rows["Too late"]
    assert "No target" in rows["No target"]


def test_the_dashboard_banner_appears_only_once_an_email_has_failed(site: Site) -> None:
    signoff_id = site.start()
    assert "could not be delivered" not in site.get("/signoffs")
    site.fail_one_email(signoff_id)
    page = text_of(site.get("/signoffs"))
    assert "1 email could not be delivered" in page
    assert "signoff outbox --failed" in page
    assert "signoff outbox retry ID" in page


def test_a_timeline_shows_the_banner_for_its_own_failed_emails_only(site: Site) -> None:
    failing, fine = site.start(title="Failing"), site.start(title="Fine")
    site.fail_one_email(failing)
    page = text_of(site.get(f"/signoffs/{failing}"))
    assert "1 email about this sign-off could not be delivered" in page
    assert "Invitation to cfo@example.nhs.uk" in page
    assert "550 5.1.1 mailbox unavailable" in page
    assert "could not be delivered" not in site.get(f"/signoffs/{fine}")


@pytest.mark.browser
def test_the_timeline_reads_well_in_headless_chromium(site: Site, browser: Browser, tmp_path: Path) -> None:
    example = start_example(site.settings, site.db, now=STARTED)
    tuesday_after_due = datetime(2026, 3, 10, 9, 30, tzinfo=UTC)
    with time_machine.travel(tuesday_after_due, tick=False):
        send_due_reminders(site.db, site.settings, now=tuesday_after_due)
    site.fail_one_email(example.signoff_id)
    html = site.get(f"/signoffs/{example.signoff_id}", at=datetime(2026, 4, 28, 12, 0, tzinfo=UTC))
    page = browser.new_page(viewport={"width": 1024, "height": 900})
    page.set_content(html)
    badge = page.locator(".rag-large")
    assert badge.is_visible()
    assert badge.inner_text() == "Red: will miss the target"
    page.screenshot(path=tmp_path / "timeline.png", full_page=True)
    assert (tmp_path / "timeline.png").stat().st_size > 0
