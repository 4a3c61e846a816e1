"""A reviewer's page left open in headless Chromium: it sends nothing by itself, and a hostile title
is shown as text."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from governance.adapters.mail.sink import free_port
from governance.entrypoints.status_json import status_to_json
from governance.services.status import signoff_status
from tests.e2e.test_browser_approval import serving
from tests.integration.web_fixtures import FINANCE, Example, make_database, make_settings, start_example

pytestmark = pytest.mark.browser
HOSTILE_TITLE = "<script>document.title='owned'</script> /etc/passwd"
KEPT_OPEN_MS = 10_000  # the acceptance test's own definition of "left open"


@pytest.fixture
def hostile(tmp_path: Path) -> Iterator[tuple[Example, int]]:
    port = free_port()
    settings = make_settings(tmp_path / "data", base_url=f"http://127.0.0.1:{port}")
    db = make_database(settings)
    yield start_example(settings, db, title=HOSTILE_TITLE), port
    db.dispose()


def test_a_page_left_open_for_ten_seconds_sends_no_post_and_shows_a_hostile_title_as_text(
    browser: Browser, hostile: tuple[Example, int]
) -> None:
    example, port = hostile
    with serving(example, port) as url:
        page = browser.new_page()
        methods: list[str] = []
        page.on("request", lambda request: methods.append(request.method))
        page.goto(f"{url}/a/{example.tokens[FINANCE[0]]}")
        expect(page.get_by_role("heading", level=1)).to_have_text(HOSTILE_TITLE)
        page.wait_for_timeout(KEPT_OPEN_MS)
        assert page.title() != "owned"  # the script, had it run, would have set exactly this
        assert "POST" not in methods
    stages = status_to_json(signoff_status(example.db, example.signoff_id))["stages"]
    assert [d for s in stages for d in s["decisions"]] == []
