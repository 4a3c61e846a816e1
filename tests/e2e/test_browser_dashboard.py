"""The dashboard, the start form and the cycle-time report in headless Chromium: filters and the form
work as a person uses them, axe-core finds nothing at 1280 and 320 px, and nothing is cut off or
scrolls sideways."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from governance.adapters.database.database import Database
from governance.adapters.mail.sink import free_port
from governance.domain.rules import Verdict
from tests.integration.dashboard_helpers import SOUTH, SOUTH_YAML, cancelled, decide, start
from tests.integration.web_fixtures import (
    FINANCE,
    ROUTE_YAML,
    STARTED,
    Example,
    make_database,
    make_settings,
    serving,
    sign_in_browser,
)
from tests.page_checks import NARROW, axe_violations, scrolls_sideways

pytestmark = pytest.mark.browser
WIDE = {"width": 1280, "height": 900}
# Elements whose content is wider than they are and hidden or scrolled (a column cut off).
CUT_OFF = (
    "() => [...document.querySelectorAll('main *:not(.visually-hidden)')]"
    ".filter(e => e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX !== 'visible')"
    ".map(e => e.tagName + '.' + e.className)"
)
# Cells and charts reaching past the right edge of the main column.
OUTSIDE_MAIN = (
    "() => { const main = document.querySelector('main').getBoundingClientRect();"
    " return [...document.querySelectorAll('main th, main td, main svg')]"
    ".filter(e => e.getBoundingClientRect().right > main.right + 1).length; }"
)
LONG_REVIEWER = "a.very.long.reviewer.address.for.the.clinical.review@clinical-commissioning.example.nhs.uk"


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[Example, int]]:
    port = free_port()
    settings = make_settings(tmp_path / "data", base_url=f"http://127.0.0.1:{port}")
    db = make_database(settings)
    settings.routes_dir.mkdir(parents=True, exist_ok=True)
    (settings.routes_dir / "contracts.yaml").write_text(ROUTE_YAML)
    long_yaml = ROUTE_YAML.replace("finance.one@example.nhs.uk", LONG_REVIEWER)
    start(settings, db, "North agreement with a long reviewer address", route_yaml=long_yaml)
    start(settings, db, "South agreement", route_yaml=SOUTH_YAML)
    decided = start(settings, db, "Decided agreement")
    for reviewer in FINANCE:
        decide(settings, db, decided, reviewer, Verdict.APPROVE, STARTED + timedelta(days=2))
    cancelled(settings, db, "Withdrawn agreement")
    yield Example(settings, db, "", {}), port
    db.dispose()


def signed_in_page(browser: Browser, url: str, db: Database, viewport: dict[str, int]) -> Any:
    page = browser.new_context(bypass_csp=True, viewport=viewport).new_page()
    sign_in_browser(page, url, db)
    return page


def test_choosing_an_organisation_and_applying_filters_lists_only_its_signoffs(
    browser: Browser, site: tuple[Example, int]
) -> None:
    example, port = site
    with serving(example, port) as url:
        page = signed_in_page(browser, url, example.db, WIDE)
        page.get_by_label("Organisation").select_option(SOUTH)
        page.get_by_role("button", name="Apply filters").click()
        page.wait_for_url("**/signoffs?organisation=NHS+South+ICB*")
        rows = page.locator("tbody tr")
        expect(rows).to_have_count(1)
        expect(rows.first).to_contain_text("South agreement")
        page.get_by_role("link", name="Clear filters").click()
        expect(page.locator("tbody tr")).to_have_count(4)


def test_the_start_form_starts_a_signoff_and_opens_its_timeline(
    browser: Browser, site: tuple[Example, int], tmp_path: Path
) -> None:
    example, port = site
    document = tmp_path / "board paper.pdf"
    document.write_bytes(b"%PDF-1.4\n% the board paper\n")
    with serving(example, port) as url:
        page = signed_in_page(browser, url, example.db, WIDE)
        page.get_by_role("link", name="Start a sign-off").click()
        page.get_by_label("Route").select_option("contracts-over-250k")
        page.get_by_label("Document title").fill("Board paper from the web")
        page.get_by_label("Lead's email address").fill("web.lead@example.nhs.uk")
        page.get_by_role("button", name="Start the sign-off").click()
        expect(page.locator(".error-summary")).to_contain_text("Choose the document to sign off")
        expect(page.get_by_label("Document title")).to_have_value("Board paper from the web")
        assert axe_violations(page) == []
        page.get_by_label("Document", exact=True).set_input_files(str(document))
        page.get_by_role("button", name="Start the sign-off").click()
        page.wait_for_url(f"{url}/signoffs/*")
        expect(page.get_by_role("heading", level=1)).to_contain_text("Board paper from the web")


@pytest.mark.parametrize("viewport", [WIDE, NARROW], ids=["1280px", "320px"])
@pytest.mark.parametrize("path", ["/signoffs", "/reports/cycle-times", "/signoffs/new"])
def test_the_dashboard_report_and_form_pass_axe_and_nothing_is_cut_off_or_scrolls_sideways(
    browser: Browser, site: tuple[Example, int], viewport: dict[str, int], path: str
) -> None:
    example, port = site
    with serving(example, port) as url:
        page = signed_in_page(browser, url, example.db, viewport)
        page.goto(f"{url}{path}")
        assert axe_violations(page) == []
        assert not scrolls_sideways(page)
        assert page.evaluate(CUT_OFF) == []
        assert page.evaluate(OUTSIDE_MAIN) == 0
