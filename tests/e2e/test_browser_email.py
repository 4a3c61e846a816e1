"""Every email's HTML part in headless Chromium, as a phone's mail app shows it: at 320 px wide nothing
scrolls sideways, even with long addresses, a long title and a long personal link, and axe-core finds
nothing."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser

from notifications.render import KINDS, render
from tests.page_checks import NARROW, axe_violations, scrolls_sideways
from tests.unit.test_render import sample

pytestmark = pytest.mark.browser
LONG_ADDRESS = "a.very.long.reviewer.address.for.the.clinical.review@clinical-commissioning.example.nhs.uk"
LONG_LINK = "https://signoff.example.nhs.uk/a/" + "t0k3n" * 30


def long_words(kind: str) -> dict[str, Any]:
    """The sample of ``kind`` with a long reviewer, lead, title and link: what breaks narrow layouts."""
    context = sample(kind)
    context["signoff"] = {
        **context["signoff"],
        "title": "Integrated community mental health and wellbeing transformation programme agreement",
        "lead": LONG_ADDRESS,
    }
    context |= {"recipient": LONG_ADDRESS, "contact": LONG_ADDRESS}
    if "action_url" in context:
        context |= {"action_url": LONG_LINK, "document_url": LONG_LINK + "/document"}
    for listed in ("decisions", "comments"):
        if listed in context:
            context[listed] = [{**d, "reviewer": LONG_ADDRESS} for d in context[listed]]
    return context


def test_no_email_scrolls_sideways_at_320px_or_breaks_wcag(browser: Browser) -> None:
    page = browser.new_page(viewport=NARROW)
    wide, violations = [], {}
    for kind in KINDS:
        page.set_content(render(kind, long_words(kind)).html)
        if scrolls_sideways(page):
            wide.append(kind)
        violations[kind] = axe_violations(page)
    assert wide == []
    assert {kind: found for kind, found in violations.items() if found} == {}


def test_an_email_fills_a_phone_and_stops_at_600px_on_a_desktop(browser: Browser) -> None:
    html = render("invitation", long_words("invitation")).html
    widths = []
    for viewport in (NARROW, {"width": 1280, "height": 800}):
        page = browser.new_page(viewport=viewport)
        page.set_content(html)
        widths.append(page.evaluate("document.querySelector('table table').getBoundingClientRect().width"))
    assert widths == [320, 600]
