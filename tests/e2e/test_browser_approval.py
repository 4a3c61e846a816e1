"""A reviewer approves in headless Chromium: from the email in the dev mailbox to the recorded decision."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from governance.adapters.database.database import Database
from governance.adapters.mail.sink import MailSink, free_port
from governance.entrypoints.status_json import status_to_json
from governance.services.delivery import deliver_due, smtp_settings
from governance.services.status import signoff_status
from tests.integration.web_fixtures import (
    FINANCE,
    TITLE,
    Example,
    make_database,
    make_settings,
    serving,
    sign_in_browser,
    start_example,
)

pytestmark = pytest.mark.browser

COMMENT = "Affordable within the 2026/27 plan."
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def emailed(tmp_path: Path) -> Iterator[tuple[Example, int]]:
    """A started sign-off whose invitations went through the real mail sink into the mailbox."""
    port = free_port()
    settings = make_settings(tmp_path / "data", base_url=f"http://127.0.0.1:{port}")
    db = make_database(settings)
    example = start_example(settings, db)
    with MailSink(settings.mailbox_dir) as sink:
        assert sink.port is not None
        report = deliver_due(db, settings, smtp_settings(settings, sink_port=sink.port))
    assert len(report.sent) == len(FINANCE)
    yield example, port
    db.dispose()


def open_invitation(page: Page, url: str, reviewer: str, token: str) -> str:
    """Open the reviewer's invitation in the mailbox and follow its personal link; returns the email's URL."""
    page.goto(f"{url}/mail")
    page.locator("tr", has_text=reviewer).get_by_role("link").click()
    email_url = page.url
    page.locator(f'pre a[href="{url}/a/{token}"]').first.click()
    return email_url


def screenshot_invitation(
    browser: Browser, db: Database, email_url: str, action_url: str, *, folder: Path
) -> None:
    """The email as the mailbox shows it, its HTML part rendered in the sandboxed frame.

    A fresh page: in this Chromium, on a page that has already navigated a few times, the
    sandboxed frame (its own renderer process) sometimes paints late and screenshots blank.
    """
    page = browser.new_page()
    sign_in_browser(page, email_url.split("/mail")[0], db)
    page.goto(email_url)
    invitation = page.frame_locator("iframe.mail-html")
    expect(invitation.locator(f'a[href="{action_url}"]').first).to_be_visible()
    page.locator("iframe.mail-html").screenshot(path=folder / "mail-html.png")
    page.screenshot(path=folder / "mail.png", full_page=True)
    page.close()


def test_a_reviewer_approves_from_the_emailed_link(
    browser: Browser, emailed: tuple[Example, int], tmp_path: Path
) -> None:
    example, port = emailed
    token = example.tokens[FINANCE[0]]
    with serving(example, port) as url:
        page = browser.new_page()
        sign_in_browser(page, url, example.db)
        email_url = open_invitation(page, url, FINANCE[0], token)
        expect(page).to_have_url(f"{url}/a/{token}")
        expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
        expect(page.locator("main")).to_contain_text("Finance review")
        page.screenshot(path=tmp_path / "action.png", full_page=True)
        page.get_by_label("Comment").fill(COMMENT)
        page.get_by_role("button", name="Approve").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            f"Thank you - your approval of {TITLE} has been recorded"
        )
        expect(page.locator("main")).to_contain_text(f"still to respond: {FINANCE[1]}")
        page.screenshot(path=tmp_path / "outcome.png", full_page=True)
        page.goto(f"{url}/signoffs/{example.signoff_id}")
        expect(page.locator("main")).to_contain_text(COMMENT)
        page.screenshot(path=tmp_path / "timeline.png", full_page=True)
        screenshot_invitation(browser, example.db, email_url, f"{url}/a/{token}", folder=tmp_path)
    decided = status_to_json(signoff_status(example.db, example.signoff_id))["stages"][0]["decisions"]
    assert [(d["reviewer"], d["decision"], d["comment"]) for d in decided] == [
        (FINANCE[0], "approve", COMMENT)
    ]


def test_the_action_page_fits_a_phone_screen(
    browser: Browser, emailed: tuple[Example, int], tmp_path: Path
) -> None:
    example, port = emailed
    with serving(example, port) as url:
        page = browser.new_page(viewport=PHONE)
        page.goto(f"{url}/a/{example.tokens[FINANCE[1]]}")
        approve = page.get_by_role("button", name="Approve")
        expect(approve).to_be_visible()
        box = approve.bounding_box()
        assert box is not None
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= PHONE["width"]
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= PHONE["width"], "the page scrolls sideways on a phone"
        page.screenshot(path=tmp_path / "phone.png", full_page=True)
