"""The route pages over a real SQLite database: ``/routes/{id}`` draws the route and lists the same
facts, ``/routes/{id}.svg`` is the picture alone; both for signed-in people only; checked with axe-core
and at 320 px in headless Chromium."""

from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Browser

from governance.adapters.database.database import Database
from governance.adapters.mail.sink import free_port
from governance.adapters.route_files import find_route
from governance.entrypoints.web import create_app
from governance.settings import Settings
from tests.integration.web_fixtures import (
    Example,
    make_database,
    make_settings,
    serving,
    sign_in,
    sign_in_browser,
)
from tests.page_checks import NARROW, axe_violations, scrolls_sideways

ROOT = Path(__file__).resolve().parents[2]
ROUTE = "south-coast-vcse-agreement"
SVG = "{http://www.w3.org/2000/svg}"
HOSTILE_ROUTE = """\
id: hostile-route
name: "<script>alert('owned')</script> & partners"
organisation: NHS Example ICB
stages:
  - id: finance
    name: Finance <b>review</b>
    kind: review
    reviewers: [finance@example.nhs.uk]
    due_working_days: 5
"""


@dataclass
class Routes:
    client: TestClient
    settings: Settings
    db: Database


def with_routes(data_dir: Path, *, base_url: str = "http://testserver") -> tuple[Settings, Database]:
    """Settings whose routes folder holds a shipped route and a route with hostile names."""
    settings = make_settings(data_dir, base_url=base_url)
    settings.routes_dir.mkdir(parents=True)
    shutil.copy(ROOT / "config/routes" / f"{ROUTE}.yaml", settings.routes_dir)
    (settings.routes_dir / "hostile-route.yaml").write_text(HOSTILE_ROUTE, encoding="utf-8")
    return settings, make_database(settings)


@pytest.fixture
def routes(tmp_path: Path) -> Iterator[Routes]:
    settings, db = with_routes(tmp_path / "data")
    with TestClient(create_app(settings, db)) as client:
        yield Routes(client, settings, db)
    db.dispose()


def parsed(markup: str) -> ET.Element:
    return ET.fromstring(markup)  # noqa: S314 - markup the product just made, parsed to check it


def drawn_stages(root: ET.Element) -> list[str | None]:
    return [g.get("data-stage") for g in root.iter(f"{SVG}g") if g.get("data-stage")]


def test_the_route_pages_are_for_signed_in_people_like_the_committees_page(routes):
    for path in (f"/routes/{ROUTE}", f"/routes/{ROUTE}.svg", "/committees"):
        response = routes.client.get(path, follow_redirects=False)
        assert response.status_code == 303, path
        assert response.headers["location"] == "/login"


def test_the_page_draws_the_route_and_lists_the_same_facts_below(routes):
    sign_in(routes.client, routes.db)
    response = routes.client.get(f"/routes/{ROUTE}")
    assert response.status_code == 200
    page = response.text
    route, _path = find_route(ROUTE, routes_dir=routes.settings.routes_dir)
    assert f"<h1>Route: {route.name}</h1>" in page
    assert route.organisation in page
    svg = re.search(r"<svg.*?</svg>", page, re.DOTALL)
    assert svg is not None
    assert drawn_stages(parsed(svg.group())) == [stage.id for stage in route.stages]
    listed = re.findall(r'<div class="card" data-stage="([a-z0-9-]+)"', page)
    assert listed == [stage.id for stage in route.stages]
    assert "In parallel: these 3 stages open together (icb-assurance)" in page
    assert "Approvals: all of 2" in page
    assert len(re.findall(r"<li>Meeting [A-Z][a-z]{2} \d+ [A-Z][a-z]+ \d{4}.*?, papers due ", page)) == 9
    assert f'href="/routes/{ROUTE}.svg"' in page
    assert "<script" not in page


def test_the_svg_address_answers_the_picture_alone(routes):
    sign_in(routes.client, routes.db)
    response = routes.client.get(f"/routes/{ROUTE}.svg")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("image/svg+xml")
    root = parsed(response.text)
    assert root.get("role") == "img"
    assert len(drawn_stages(root)) == 6
    assert "content-security-policy" in response.headers


def test_names_in_a_route_file_are_escaped_in_the_page_and_the_picture(routes):
    sign_in(routes.client, routes.db)
    page = routes.client.get("/routes/hostile-route").text
    assert "<script>alert" not in page
    assert "<b>review</b>" not in page
    assert "&lt;script&gt;alert(" in page
    root = parsed(routes.client.get("/routes/hostile-route.svg").text)
    assert root.find(f"{SVG}title").text == "Route: <script>alert('owned')</script> & partners"


@pytest.mark.parametrize("route_id", ["no-such-route", f"{ROUTE}.yaml", "hostile-route.YAML"])
def test_an_unknown_route_is_a_404_page_that_says_so(routes, route_id):
    sign_in(routes.client, routes.db)
    for path in (f"/routes/{route_id}", f"/routes/{route_id}.svg"):
        response = routes.client.get(path)
        assert response.status_code == 404, path
        assert "There is no route with id" in response.text
        assert "Page not found" in response.text


@pytest.mark.browser
def test_the_route_page_passes_axe_and_fits_320_pixels(browser: Browser, tmp_path: Path) -> None:
    port = free_port()
    settings, db = with_routes(tmp_path / "data", base_url=f"http://127.0.0.1:{port}")
    with serving(Example(settings, db, "", {}), port) as url:
        context = browser.new_context(bypass_csp=True, viewport=NARROW)
        page = context.new_page()
        sign_in_browser(page, url, db)
        for route_id in (ROUTE, "hostile-route"):
            page.goto(f"{url}/routes/{route_id}")
            assert page.locator("svg[role=img]").is_visible()
            assert axe_violations(page) == [], route_id
            assert not scrolls_sideways(page), route_id
        context.close()
    db.dispose()
