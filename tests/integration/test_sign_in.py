"""Local accounts: the /login form (fields email and password), lock-out, set-password links, the
users command, the demo officer's one-time link, and serve refusing a public address without a base URL."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient

from governance.domain.access import MAX_FAILED_SIGN_INS
from governance.entrypoints.demo import DEMO_OFFICER, demo_sign_in_token
from governance.entrypoints.web import create_app
from governance.settings import Settings
from tests.integration.test_cli import ROOT, SIGNOFF
from tests.integration.web_fixtures import make_database, make_settings

PASSWORD = "correct horse battery staple"


@pytest.fixture
def product(tmp_path: Path) -> Iterator[tuple[TestClient, Settings]]:
    settings = make_settings(tmp_path / "data")
    db = make_database(settings)
    with TestClient(create_app(settings, db)) as client:
        yield client, settings
    db.dispose()


def run(*args: str, data_dir: Path, input_text: str = "") -> subprocess.CompletedProcess[str]:
    environment = os.environ | {
        "SIGNOFF_DATA_DIR": str(data_dir),
        "SIGNOFF_ROUTES_DIR": str(ROOT / "config/routes"),
    }
    return subprocess.run(
        [SIGNOFF, *args],
        input=input_text,
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
        check=False,
    )


def add_user(settings: Settings, email: str, *args: str, password: str | None = PASSWORD) -> str:
    extra = ["--password-stdin"] if password is not None else []
    result = run(
        "users", "add", email, *args, *extra, data_dir=settings.data_dir, input_text=(password or "") + "\n"
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def log_in(client: TestClient, email: str, password: str) -> int:
    response = client.post("/login", data={"email": email, "password": password}, follow_redirects=False)
    return response.status_code


def test_the_login_page_is_a_form_with_email_and_password(product: tuple[TestClient, Settings]) -> None:
    client, _ = product
    page = client.get("/login").text
    assert 'name="email"' in page
    assert 'name="password"' in page
    assert 'method="post"' in page


def test_an_officer_added_with_a_password_from_stdin_signs_in(product: tuple[TestClient, Settings]) -> None:
    client, settings = product
    add_user(settings, "officer@example.nhs.uk", "--role", "officer", "--organisation", "NHS Example ICB")
    assert log_in(client, "Officer@Example.nhs.uk", PASSWORD) == 303
    assert client.get("/api/signoffs").status_code == 200
    listed = run("users", "list", "--json", data_dir=settings.data_dir)
    assert '"organisations": [\n      "NHS Example ICB"\n    ]' in listed.stdout


def test_wrong_passwords_lock_the_account_even_against_the_right_one(
    product: tuple[TestClient, Settings],
) -> None:
    client, settings = product
    add_user(settings, "lead@example.nhs.uk", "--role", "lead")
    statuses = [log_in(client, "lead@example.nhs.uk", "wrong password!") for _ in range(MAX_FAILED_SIGN_INS)]
    assert statuses == [401] * (MAX_FAILED_SIGN_INS - 1) + [429]
    assert log_in(client, "lead@example.nhs.uk", PASSWORD) == 429
    assert client.get("/api/signoffs").status_code == 401


def test_an_unknown_address_gets_the_same_answer_as_a_wrong_password(
    product: tuple[TestClient, Settings],
) -> None:
    client, settings = product
    add_user(settings, "lead@example.nhs.uk", "--role", "lead")
    unknown = client.post("/login", data={"email": "nobody@example.nhs.uk", "password": PASSWORD})
    wrong = client.post("/login", data={"email": "lead@example.nhs.uk", "password": "not it at all"})
    assert unknown.status_code == wrong.status_code == 401
    assert unknown.text.replace("nobody", "lead") == wrong.text


def test_without_a_password_the_new_account_gets_a_one_time_set_password_link(
    product: tuple[TestClient, Settings],
) -> None:
    client, settings = product
    printed = add_user(settings, "lead@example.nhs.uk", "--role", "lead", password=None)
    link = printed.split("Set-password link (one use, 7 days): ")[1].strip()
    path = urlsplit(link).path
    assert client.post(path, data={"password": "short"}).status_code == 422
    assert client.post(path, data={"password": PASSWORD}, follow_redirects=False).status_code == 303
    assert client.post(path, data={"password": PASSWORD}).status_code == 404  # used
    assert log_in(client, "lead@example.nhs.uk", PASSWORD) == 303


def test_a_removed_account_can_no_longer_sign_in_and_its_session_ends(
    product: tuple[TestClient, Settings],
) -> None:
    client, settings = product
    add_user(settings, "lead@example.nhs.uk", "--role", "lead")
    assert log_in(client, "lead@example.nhs.uk", PASSWORD) == 303
    assert run("users", "remove", "lead@example.nhs.uk", data_dir=settings.data_dir).returncode == 0
    assert client.get("/api/signoffs").status_code == 401
    assert log_in(client, "lead@example.nhs.uk", PASSWORD) == 401


def test_the_demo_officers_one_time_link_signs_in_once(product: tuple[TestClient, Settings]) -> None:
    client, settings = product
    db = make_database(settings)
    token = demo_sign_in_token(db)
    db.dispose()
    assert client.get(f"/login/link/{token}").status_code == 200  # a GET (a mail scanner) spends nothing
    assert client.post(f"/login/link/{token}", follow_redirects=False).status_code == 303
    assert DEMO_OFFICER in client.get("/signoffs").text
    client.post("/logout")
    assert client.post(f"/login/link/{token}", follow_redirects=False).status_code == 404


def test_serve_on_a_public_address_without_a_base_url_refuses_to_start(tmp_path: Path) -> None:
    result = run("serve", "--host", "0.0.0.0", data_dir=tmp_path / "data")  # noqa: S104 - the point
    assert result.returncode == 2
    assert "SIGNOFF_BASE_URL" in result.stderr
