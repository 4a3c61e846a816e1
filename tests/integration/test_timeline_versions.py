"""The timeline page lists the document's versions (note, what changed, who, when in London time,
the full hash) and the hash of the route the sign-off keeps; checked with axe-core and at 320 px."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Browser

from governance.adapters.mail.sink import free_port
from governance.domain.rules import Verdict
from governance.entrypoints.web import create_app
from governance.services.audit import Actor
from governance.services.revisions import Revision, revise_signoff
from governance.services.signoffs import advance_signoff, decide_by_token
from tests.integration.web_fixtures import (
    FINANCE,
    LEAD,
    ROUTE_YAML,
    Example,
    make_database,
    make_settings,
    serving,
    sign_in,
    sign_in_browser,
    start_example,
)
from tests.page_checks import NARROW, axe_violations, scrolls_sideways

ASKED = datetime(2026, 3, 3, 9, 0, tzinfo=UTC)
REVISED = datetime(2026, 3, 4, 14, 5, tzinfo=UTC)  # Wed 4 March 2026 at 2:05pm in London (GMT)
# A file name with no spaces and a long note must wrap at 320 px rather than widen the page.
SECOND_NAME = "vcse-partnership-agreement-2026-27-revised-after-finance-comments-final-v2.pdf"
NOTE = "Clause 4 rewritten as finance asked: payment terms now monthly in arrears."


def revised_example(data_dir: Path, *, base_url: str = "http://testserver") -> Example:
    """The example sign-off after finance asked for changes and the lead sent version 2."""
    settings = make_settings(data_dir, base_url=base_url)
    db = make_database(settings)
    example = start_example(settings, db)
    token = example.tokens[FINANCE[0]]
    decided = decide_by_token(
        db, token, verdict=Verdict.CHANGES, comment="Clause 4.", now=ASKED, settings=settings
    )
    assert decided is not None
    assert decided.recorded
    advance_signoff(db, settings, example.signoff_id, now=ASKED)
    second = data_dir / SECOND_NAME
    second.write_bytes(b"%PDF-1.4\n% the agreement, clause 4 rewritten\n")
    revision = Revision(example.signoff_id, second, NOTE, Actor(LEAD))
    revise_signoff(db, settings, revision, now=REVISED, text_of=lambda _path: None)
    advance_signoff(db, settings, example.signoff_id, now=REVISED)
    return example


def test_the_timeline_and_the_api_list_each_version_with_its_note_change_who_when_and_hash(tmp_path):
    example = revised_example(tmp_path / "data")
    with TestClient(create_app(example.settings, example.db)) as client:
        sign_in(client, example.db)
        page = client.get(f"/signoffs/{example.signoff_id}")
        api = client.get(f"/api/signoffs/{example.signoff_id}").json()
    example.db.dispose()
    assert [(v["version"], v["filename"], v["note"], v["at"]) for v in api["versions"]] == [
        (1, "vcse-agreement.pdf", "", "2026-03-02T09:00:00+00:00"),
        (2, SECOND_NAME, NOTE, "2026-03-04T14:05:00+00:00"),
    ]
    assert page.status_code == 200
    text = page.text
    assert "Document versions" in text
    assert "Version 1: vcse-agreement.pdf" in text
    assert f'Version 2: {SECOND_NAME} <span class="hint">(current)</span>' in text
    assert "Mon 2 March 2026 at 9am by lead@example.nhs.uk" in text
    assert "Wed 4 March 2026 at 2:05pm by lead@example.nhs.uk" in text
    assert NOTE in text
    assert "the file changed (its text cannot be compared for this type of document)" in text
    second = (tmp_path / "data" / SECOND_NAME).read_bytes()
    assert f'<code class="hash">{hashlib.sha256(second).hexdigest()}</code>' in text
    assert hashlib.sha256(ROUTE_YAML.encode()).hexdigest() in text


@pytest.mark.browser
def test_the_timeline_with_versions_passes_axe_and_fits_320_pixels(browser: Browser, tmp_path: Path) -> None:
    port = free_port()
    example = revised_example(tmp_path / "data", base_url=f"http://127.0.0.1:{port}")
    with serving(example, port) as url:
        context = browser.new_context(bypass_csp=True, viewport=NARROW)
        page = context.new_page()
        sign_in_browser(page, url, example.db)
        page.goto(f"{url}/signoffs/{example.signoff_id}")
        assert page.get_by_role("heading", name="Document versions").is_visible()
        assert axe_violations(page) == []
        assert not scrolls_sideways(page)
        context.close()
    example.db.dispose()
