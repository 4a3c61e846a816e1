"""An officer signs in through OpenID Connect: a real provider on loopback, Authlib, headless Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from oidc_provider_mock import run_server_in_thread
from playwright.sync_api import Browser, expect
from pydantic import SecretStr

from governance.adapters.mail.sink import free_port
from governance.domain.access import Account, Role
from governance.services.accounts import add_account
from governance.settings import Settings
from tests.e2e.test_browser_approval import serving
from tests.integration.web_fixtures import TITLE, Example, make_database, make_settings, start_example

pytestmark = pytest.mark.browser
OFFICER = "sso.officer@example.nhs.uk"


@pytest.fixture(scope="module")
def provider() -> Iterator[str]:
    """The OpenID Connect provider, its issuer URL on loopback."""
    with run_server_in_thread() as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture
def site(provider: str, tmp_path: Path) -> Iterator[tuple[Example, int]]:
    port = free_port()
    settings: Settings = make_settings(tmp_path / "data", base_url=f"http://127.0.0.1:{port}")
    settings = settings.model_copy(
        update={
            "oidc_issuer": provider,
            "oidc_client_id": "signoff",
            "oidc_client_secret": SecretStr("test-secret"),
        }
    )
    db = make_database(settings)
    example = start_example(settings, db)
    add_account(db, Account(OFFICER, Role.OFFICER), password=None, now=datetime.now(UTC))
    yield example, port
    db.dispose()


def test_an_officer_signs_in_through_the_organisations_identity_provider(
    browser: Browser, site: tuple[Example, int]
) -> None:
    example, port = site
    with serving(example, port) as url:
        page = browser.new_page()
        page.goto(f"{url}/signoffs/{example.signoff_id}")
        expect(page).to_have_url(f"{url}/login")
        page.get_by_role("link", name="Sign in with your organisation's account").click()
        page.get_by_placeholder("sub").fill(OFFICER)
        page.get_by_role("button", name="Authorize").click()
        expect(page).to_have_url(f"{url}/signoffs/{example.signoff_id}")
        expect(page.get_by_role("heading", level=1)).to_contain_text(TITLE)
        expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def test_someone_the_provider_knows_but_without_an_account_is_not_let_in(
    browser: Browser, site: tuple[Example, int]
) -> None:
    example, port = site
    with serving(example, port) as url:
        page = browser.new_page()
        page.goto(f"{url}/login")
        page.get_by_role("link", name="Sign in with your organisation's account").click()
        page.get_by_placeholder("sub").fill("stranger@example.org")
        page.get_by_role("button", name="Authorize").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("No account")
        page.goto(f"{url}/api/signoffs")
        assert "Sign in first" in page.content()
