"""``signoff routes show ROUTE --svg FILE`` as a person runs it: a picture file, or one clear line."""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from typer.testing import CliRunner

from governance.adapters.route_files import find_route
from governance.entrypoints.cli import app

ROOT = Path(__file__).resolve().parents[2]
SIGNOFF = str(Path(sys.executable).with_name("signoff"))
ROUTES = ROOT / "config/routes"
SVG = "{http://www.w3.org/2000/svg}"


def run(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    environment = os.environ | {"SIGNOFF_DATA_DIR": str(data_dir), "SIGNOFF_ROUTES_DIR": str(ROUTES)}
    return subprocess.run(
        [SIGNOFF, *args], capture_output=True, text=True, env=environment, timeout=120, check=False
    )


@pytest.mark.parametrize("route_id", ["north-example-vcse-agreement", "south-coast-vcse-agreement"])
def test_the_picture_is_valid_svg_with_one_group_per_stage(route_id, tmp_path):
    picture = tmp_path / "route.svg"
    result = run("routes", "show", route_id, "--svg", str(picture), data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"Wrote the route picture to {picture}" in result.stdout
    assert "parallel group" in result.stdout  # the stages are still listed as before
    root = ET.parse(picture).getroot()  # noqa: S314 - the file the command just wrote
    assert root.tag == f"{SVG}svg"
    route, _path = find_route(route_id, routes_dir=ROUTES)
    drawn = [g.get("data-stage") for g in root.iter(f"{SVG}g") if g.get("data-stage")]
    assert drawn == [stage.id for stage in route.stages]
    assert root.find(f"{SVG}title").text == f"Route: {route.name}"


def test_with_json_the_output_stays_json_and_the_picture_is_still_written(tmp_path):
    picture = tmp_path / "route.svg"
    result = run(
        "routes", "show", "north-example-vcse-agreement", "--json", "--svg", str(picture), data_dir=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.lstrip().startswith("{")
    assert "Wrote the route picture to" in result.stderr
    assert picture.stat().st_size > 0


@pytest.mark.parametrize(
    ("target", "fragment"),
    [
        ("missing-folder/route.svg", "does not exist"),
        ("a-file.txt/route.svg", "is not a folder"),
        (".", "is a folder"),
    ],
)
def test_a_path_that_cannot_be_written_exits_2_with_one_clear_line(target, fragment, tmp_path):
    (tmp_path / "a-file.txt").write_text("not a folder", encoding="utf-8")
    path = tmp_path / target
    result = run("routes", "show", "north-example-vcse-agreement", "--svg", str(path), data_dir=tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert fragment in result.stderr
    assert "cannot write the route picture" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_file_that_cannot_be_written_fails_with_the_reason_not_a_traceback(tmp_path, monkeypatch):
    def refuse(self: Path, *args: object, **kwargs: object) -> int:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "write_text", refuse)  # as if the folder were read-only (root ignores modes)
    env = {"SIGNOFF_ROUTES_DIR": str(ROUTES), "SIGNOFF_DATA_DIR": str(tmp_path / "data")}
    target = tmp_path / "route.svg"
    result = CliRunner(env=env).invoke(
        app, ["routes", "show", "north-example-vcse-agreement", "--svg", str(target)]
    )
    assert result.exit_code == 2
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert f"cannot write the route picture to {target}: Permission denied" in result.stderr
    assert not target.exists()
