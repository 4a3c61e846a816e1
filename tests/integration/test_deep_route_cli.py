"""A route file nested hundreds of levels deep, as ``signoff`` meets it: one clear line naming the
file and its line, never a RecursionError, and other routes in the folder still found by id."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.integration.test_cli import ROOT
from tests.integration.test_cli import run as run_signoff

TOO_DEEP = "the file nests 11 levels deep here; no route needs more than 10"
DEEP = "id: deep-route\nname: Deep route\norganisation: NHS Test ICB\nstages: " + "[" * 600 + "]" * 600 + "\n"
SHIPPED = "south-coast-vcse-agreement"


@pytest.fixture
def routes(tmp_path: Path) -> Path:
    """A routes folder with a shipped route and, sorted before it, a file nested far too deep."""
    folder = tmp_path / "routes"
    folder.mkdir()
    (folder / "a-deep.yaml").write_text(DEEP, encoding="utf-8")
    shipped = ROOT / "config" / "routes" / f"{SHIPPED}.yaml"
    (folder / shipped.name).write_text(shipped.read_text(encoding="utf-8"), encoding="utf-8")
    return folder


def run(routes: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_signoff(*args, data_dir=routes.parent / "data", SIGNOFF_ROUTES_DIR=str(routes))


def assert_no_traceback(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stdout + result.stderr
    assert "RecursionError" not in result.stdout + result.stderr


def test_validating_a_route_nested_too_deeply_exits_1_naming_its_file_and_line(routes: Path) -> None:
    result = run(routes, "routes", "validate", str(routes / "a-deep.yaml"))
    assert_no_traceback(result)
    assert result.returncode == 1
    assert result.stdout.strip() == f"{routes / 'a-deep.yaml'}:4: {TOO_DEEP}"


def test_starting_a_route_nested_too_deeply_is_refused_in_one_line(routes: Path) -> None:
    document = routes.parent / "agreement.txt"
    document.write_text("Partnership agreement\n", encoding="utf-8")
    lead = "lead@icb.example.nhs.uk"
    deep = str(routes / "a-deep.yaml")
    result = run(routes, "start", deep, "--title", "Agreement", "--document", str(document), "--lead", lead)
    assert_no_traceback(result)
    assert result.returncode != 0
    assert f"{deep}:4: {TOO_DEEP}" in result.stderr


def test_a_route_is_shown_by_its_id_although_a_sibling_file_nests_too_deeply(routes: Path) -> None:
    result = run(routes, "routes", "show", SHIPPED, "--json")
    assert_no_traceback(result)
    assert result.returncode == 0, result.stderr
    assert f'"id": "{SHIPPED}"' in result.stdout


def test_looking_up_an_id_not_found_names_the_file_that_could_not_be_read(routes: Path) -> None:
    result = run(routes, "routes", "validate", "deep-route")
    assert_no_traceback(result)
    assert result.returncode == 1
    assert result.stdout.strip() == (
        f"deep-route:0: no route file or route id 'deep-route'; known route ids: {SHIPPED}; "
        f"unreadable route files (signoff routes validate says why): {routes / 'a-deep.yaml'}"
    )
