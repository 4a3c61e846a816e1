"""Every route is private unless it is on the short public list: a test walks the app's routes, so a
new page or API route cannot be forgotten."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from governance.domain.access import Role
from governance.entrypoints.web import create_app
from governance.entrypoints.web.guards import is_public
from tests.integration.web_fixtures import (
    LEAD,
    ORGANISATION,
    Example,
    make_database,
    make_settings,
    sign_in,
    start_example,
)

# Reachable without signing in, on purpose. Adding to this list is a decision, not an accident.
PUBLIC_ROUTES = {
    "/healthz",
    "/favicon.ico",
    "/favicon.svg",
    "/login",
    "/login/sso",
    "/login/sso/callback",
    "/login/link/{token}",
    "/logout",
    "/set-password/{token}",
    "/a/{token}",
    "/a/{token}/document",
}
PARAMETER = re.compile(r"\{[^}]+\}")


@pytest.fixture
def app_and_example(tmp_path: Path) -> Iterator[tuple[TestClient, Example]]:
    settings = make_settings(tmp_path / "data")
    db = make_database(settings)
    with TestClient(create_app(settings, db)) as client:
        yield client, start_example(settings, db)
    db.dispose()


def every_route(client: TestClient) -> list[tuple[str, str]]:
    """(method, path template) of every route the app answers, the API schema included."""
    found = list(routes_of(client.app.routes))  # type: ignore[attr-defined]
    assert ("GET", "/signoffs") in found, "the walk itself is broken: it misses the dashboard"
    return found


def routes_of(routes: list[Any]) -> Iterator[tuple[str, str]]:
    """Routes, and the routes of included routers (FastAPI keeps those nested), depth first."""
    for route in routes:
        included = getattr(route, "original_router", None)
        if included is not None:
            yield from routes_of(included.routes)
            continue
        for method in sorted(getattr(route, "methods", None) or ()):
            yield method, str(route.path)


def test_only_the_public_list_is_reachable_without_signing_in(
    app_and_example: tuple[TestClient, Example],
) -> None:
    client, _ = app_and_example
    public = {path for _, path in every_route(client) if is_public(PARAMETER.sub("x", path))}
    assert public == PUBLIC_ROUTES


def test_every_private_route_refuses_an_anonymous_request(
    app_and_example: tuple[TestClient, Example],
) -> None:
    client, example = app_and_example
    private = [(m, p) for m, p in every_route(client) if p not in PUBLIC_ROUTES]
    assert len(private) >= 10, private
    for method, template in private:
        path = PARAMETER.sub(example.signoff_id, template)
        response = client.request(method, path, follow_redirects=False)
        where = f"{method} {path}"
        if path.startswith("/api/"):
            assert response.status_code == 401, where
            if method != "HEAD":
                assert response.json() == {"detail": "Sign in first: this needs a signed-in officer or lead."}
        else:
            assert response.status_code == 303, where
            assert response.headers["location"] == "/login", where
        assert example.signoff_id not in response.text, where


def test_an_unknown_address_refuses_an_anonymous_request_too(
    app_and_example: tuple[TestClient, Example],
) -> None:
    client, _ = app_and_example
    assert client.get("/api/anything", follow_redirects=False).status_code == 401
    assert client.get("/no-such-page", follow_redirects=False).headers["location"] == "/login"


def test_the_health_check_stays_public(app_and_example: tuple[TestClient, Example]) -> None:
    client, _ = app_and_example
    assert client.get("/healthz").json() == {"status": "ok", "database": "ok"}


def test_a_signed_in_session_authorises_the_json_api(app_and_example: tuple[TestClient, Example]) -> None:
    client, example = app_and_example
    sign_in(client, example.db)
    listed = client.get("/api/signoffs")
    assert listed.status_code == 200
    assert [row["id"] for row in listed.json()] == [example.signoff_id]


def test_signing_out_ends_the_session(app_and_example: tuple[TestClient, Example]) -> None:
    client, example = app_and_example
    sign_in(client, example.db)
    assert client.post("/logout", follow_redirects=False).headers["location"] == "/login"
    assert client.get("/api/signoffs").status_code == 401


def test_the_session_cookie_is_http_only_and_same_site_lax(tmp_path: Path) -> None:
    settings = make_settings(tmp_path / "data", base_url="https://signoff.example.nhs.uk")
    db = make_database(settings)
    with TestClient(create_app(settings, db), base_url="https://signoff.example.nhs.uk") as client:
        sign_in(client, db)
        cookie = client.post("/logout", follow_redirects=False).headers.get("set-cookie", "")
        sign_in(client, db)
    db.dispose()
    assert cookie.startswith("signoff_session=")
    for attribute in ("httponly", "samesite=lax", "secure", "path=/"):
        assert attribute in cookie.lower()


def test_a_lead_sees_only_the_signoffs_they_lead(tmp_path: Path) -> None:
    settings = make_settings(tmp_path / "data")
    db = make_database(settings)
    with TestClient(create_app(settings, db)) as client:
        mine = start_example(settings, db).signoff_id
        sign_in(client, db, "someone.else@example.nhs.uk", role=Role.LEAD)
        assert client.get("/api/signoffs").json() == []
        assert client.get(f"/api/signoffs/{mine}").status_code == 404
        assert client.get(f"/signoffs/{mine}").status_code == 404
        assert client.get("/mail").status_code == 403
        sign_in(client, db, LEAD, role=Role.LEAD)
        assert [row["id"] for row in client.get("/api/signoffs").json()] == [mine]
        assert client.get(f"/signoffs/{mine}").status_code == 200
    db.dispose()


def test_an_officer_of_another_organisation_does_not_see_the_signoff(tmp_path: Path) -> None:
    settings = make_settings(tmp_path / "data")
    db = make_database(settings)
    with TestClient(create_app(settings, db)) as client:
        signoff_id = start_example(settings, db).signoff_id
        sign_in(client, db, "south@example.nhs.uk", organisations=("NHS South ICB",))
        assert client.get("/api/signoffs").json() == []
        assert client.get(f"/signoffs/{signoff_id}").status_code == 404
        sign_in(client, db, "north@example.nhs.uk", organisations=(ORGANISATION,))
        assert client.get(f"/signoffs/{signoff_id}").status_code == 200
    db.dispose()
