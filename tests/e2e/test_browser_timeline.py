"""The timeline page in headless Chromium, for a sign-off made through the real services with a
completed stage, an open stalled stage beside a committee stage deferred at its meeting, and a stage
still to come: the picture shows each mark, the page reflows at 320 px with no sideways scroll, and
axe-core finds nothing at 1280 and 320 px. A screenshot is kept as a test artifact."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser

from governance.adapters.mail.sink import free_port
from governance.adapters.route_files import parse_route
from governance.domain.committee_stage import Minutes
from governance.domain.london_time import LONDON
from governance.domain.rules import Verdict
from governance.services.reminders import send_due_reminders
from governance.services.signoffs import NewSignOff, advance_signoff, decide_by_token, start_signoff
from tests.integration.web_fixtures import (
    Example,
    invitation_tokens,
    make_database,
    make_settings,
    serving,
    sign_in_browser,
)
from tests.page_checks import NARROW, axe_violations, scrolls_sideways

pytestmark = pytest.mark.browser
WIDE = {"width": 1280, "height": 900}
LEGAL, SECRETARY = "legal@example.nhs.uk", "committee.secretary@example.nhs.uk"
LONG_REVIEWER = "a.very.long.reviewer.address.for.the.finance.review@clinical-commissioning.example.nhs.uk"
ARTIFACTS = "SIGNOFF_TEST_ARTIFACTS"


def weekday_near(day: date) -> date:
    """``day``, or the Monday after it when it falls at a weekend (meetings are on working days)."""
    return day + timedelta(days=(7 - day.weekday()) % 7) if day.weekday() >= 5 else day


def route_yaml(meetings: tuple[date, date]) -> str:
    return f"""\
id: timeline-route
name: Timeline route
organisation: NHS Example ICB
calendars:
  partnership:
    name: ICB Partnership Committee
    meetings:
      dates: [{meetings[0].isoformat()}, {meetings[1].isoformat()}]
    paper_deadline_working_days: 0
stages:
  - id: legal
    name: ICB legal review
    kind: review
    reviewers: [{LEGAL}]
    due_working_days: 3
  - parallel:
      - id: finance
        name: Finance review
        kind: review
        reviewers: [{LONG_REVIEWER}, finance.two@example.nhs.uk]
        due_working_days: 3
      - id: committee
        name: ICB Partnership Committee
        kind: meeting
        calendar: partnership
        secretary: [{SECRETARY}]
        due_working_days: 3
  - id: board
    name: ICB Board sign-off
    kind: review
    reviewers: [board@example.nhs.uk]
    due_working_days: 5
"""


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 10, 0, tzinfo=UTC)


def decide(
    example: Example, who: str, verdict: Verdict, now: datetime, minutes: Minutes | None = None
) -> None:
    token = invitation_tokens(example.settings, example.db, example.signoff_id)[who]
    decided = decide_by_token(
        example.db, token, verdict=verdict, comment="", now=now, settings=example.settings, minutes=minutes
    )
    assert decided is not None
    assert decided.recorded, decided.message
    advance_signoff(example.db, example.settings, example.signoff_id, now=now)


def four_stages(data_dir: Path, port: int) -> Example:
    """Legal approved; finance open and stalled beside the committee, deferred at its first meeting;
    the board still to come."""
    today = datetime.now(LONDON).date()
    meetings = (weekday_near(today - timedelta(days=14)), weekday_near(today + timedelta(days=14)))
    settings = make_settings(data_dir, base_url=f"http://127.0.0.1:{port}")
    db = make_database(settings)
    document = data_dir / "agreement.pdf"
    document.write_bytes(b"%PDF-1.4 agreement")
    text = route_yaml(meetings)
    route = parse_route(text, path="timeline-route.yaml")
    started = at(today - timedelta(days=35))
    request = NewSignOff(
        route, text, "Partnership agreement", document, "lead@example.nhs.uk", today + timedelta(days=70)
    )
    signoff_id = start_signoff(db, settings, request, now=started)
    advance_signoff(db, settings, signoff_id, now=started)
    example = Example(settings, db, signoff_id, {})
    decide(example, LEGAL, Verdict.APPROVE, started + timedelta(days=2))
    send_due_reminders(db, settings, now=at(today - timedelta(days=20)))
    decide(example, SECRETARY, Verdict.DEFER, at(meetings[0]), Minutes("2026/7", quorate=True))
    return example


@pytest.fixture
def timeline(tmp_path: Path) -> Iterator[tuple[Example, int]]:
    port = free_port()
    example = four_stages(tmp_path / "data", port)
    yield example, port
    example.db.dispose()


def opened(browser: Browser, url: str, example: Example, viewport: dict[str, int]) -> Any:
    page = browser.new_context(bypass_csp=True, viewport=viewport).new_page()
    sign_in_browser(page, url, example.db)
    page.goto(f"{url}/signoffs/{example.signoff_id}")
    return page


def keep_screenshot(page: Any, tmp_path: Path, name: str) -> Path:
    """A full-page screenshot under the test's folder, and copied to $SIGNOFF_TEST_ARTIFACTS if set."""
    shot = tmp_path / name
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 0
    if folder := os.environ.get(ARTIFACTS):
        Path(folder).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(folder) / name)
    return shot


def test_the_picture_shows_each_stage_with_its_marks(
    browser: Browser, timeline: tuple[Example, int], tmp_path: Path
) -> None:
    example, port = timeline
    with serving(example, port) as url:
        page = opened(browser, url, example, WIDE)
        svg = page.locator(".picture-wide svg")
        assert svg.is_visible()
        assert svg.get_attribute("role") == "img"
        assert svg.locator("g[data-stage]").evaluate_all("gs => gs.map(g => g.dataset.stage)") == [
            "legal",
            "finance",
            "committee",
            "board",
        ]
        legal, finance = svg.locator("g[data-stage=legal]"), svg.locator("g[data-stage=finance]")
        committee, board = svg.locator("g[data-stage=committee]"), svg.locator("g[data-stage=board]")
        assert legal.get_attribute("data-state") == "approved"
        assert legal.locator("[data-mark=actual]").count() == 1
        assert (finance.get_attribute("data-state"), finance.get_attribute("data-flag")) == (
            "open",
            "stalled",
        )
        assert finance.locator("[data-mark=forecast]").count() == 1
        for mark in ("meeting", "paper", "deferred", "actual"):
            assert committee.locator(f"[data-mark={mark}]").count() == 1, mark
        assert board.get_attribute("data-state") == "pending"
        assert board.locator("[data-mark=forecast]").count() == 1
        assert board.locator("[data-mark=actual]").count() == 0
        for line in ("today", "target"):
            box = svg.locator(f"[data-mark={line}] line").bounding_box()
            assert box is not None, line
            assert box["height"] > 100, line  # across every stage
        assert svg.locator("g[data-legend-item=deferred]").is_visible()
        assert svg.locator("title").text_content() == "Timeline of Partnership agreement"
        keep_screenshot(page, tmp_path, "timeline-1280.png")


def test_the_page_reflows_at_320_pixels_with_the_narrow_picture_and_no_sideways_scroll(
    browser: Browser, timeline: tuple[Example, int], tmp_path: Path
) -> None:
    example, port = timeline
    with serving(example, port) as url:
        page = opened(browser, url, example, NARROW)
        assert page.locator(".picture-narrow svg").is_visible()
        assert not page.locator(".picture-wide svg").is_visible()
        assert page.locator(".picture-narrow svg g[data-stage]").count() == 4
        assert page.get_by_text(LONG_REVIEWER).first.is_visible()
        assert not scrolls_sideways(page)
        keep_screenshot(page, tmp_path, "timeline-320.png")


@pytest.mark.parametrize("viewport", [WIDE, NARROW], ids=["1280px", "320px"])
def test_axe_finds_nothing_on_the_timeline_page(
    browser: Browser, timeline: tuple[Example, int], viewport: dict[str, int]
) -> None:
    example, port = timeline
    with serving(example, port) as url:
        page = opened(browser, url, example, viewport)
        assert axe_violations(page) == []
        page.goto(f"{url}/signoffs/{example.signoff_id}/cancel")
        assert axe_violations(page) == []
        assert not scrolls_sideways(page)


@pytest.mark.parametrize(("viewport", "before"), [(WIDE, 3100), (NARROW, 5100)], ids=["1280px", "320px"])
def test_the_page_is_shorter_than_the_card_per_stage_page_was(
    browser: Browser, timeline: tuple[Example, int], viewport: dict[str, int], before: int
) -> None:
    """The issue measured 3,100 px (5,100 px on a phone) of cards for a simpler sign-off."""
    example, port = timeline
    with serving(example, port) as url:
        page = opened(browser, url, example, viewport)
        height = page.evaluate("document.documentElement.scrollHeight")
        assert height < before, height
