"""The ``signoff`` command as a person runs it: exit codes, one-line messages, no needless Prefect."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SIGNOFF = str(Path(sys.executable).with_name("signoff"))
ROUTE = "north-example-vcse-agreement"


def run(*args: str, data_dir: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = os.environ | {
        "SIGNOFF_DATA_DIR": str(data_dir),
        "SIGNOFF_ROUTES_DIR": str(ROOT / "config/routes"),
    }
    return subprocess.run(
        [SIGNOFF, *args], capture_output=True, text=True, env=environment | env, timeout=120, check=False
    )


def imports_prefect(*args: str, data_dir: Path) -> bool:
    probe = (
        "import sys; from governance.entrypoints.cli import app\n"
        "try:\n    app(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
        "loaded = any(m == 'prefect' or m.startswith('prefect.') for m in sys.modules)\n"
        "print('PREFECT' if loaded else 'CLEAN')"
    )
    environment = os.environ | {
        "SIGNOFF_DATA_DIR": str(data_dir),
        "SIGNOFF_ROUTES_DIR": str(ROOT / "config/routes"),
    }
    result = subprocess.run(
        [sys.executable, "-c", probe, *args], capture_output=True, text=True, env=environment, check=False
    )
    return result.stdout.strip().splitlines()[-1] == "PREFECT"


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["routes", "validate", "config/routes/north-example-vcse-agreement.yaml"],
        ["routes", "show", ROUTE],
        ["status"],
        ["status", "--json"],
    ],
)
def test_commands_that_need_no_server_do_not_import_prefect(args, tmp_path):
    assert not imports_prefect(*args, data_dir=tmp_path)


def test_valid_route_files_pass_validation(tmp_path):
    result = run("routes", "validate", *map(str, (ROOT / "config/routes").glob("*.yaml")), data_dir=tmp_path)
    assert result.returncode == 0, result.stdout


def test_an_invalid_route_file_is_reported_line_by_line_with_exit_1(tmp_path):
    bad = ROOT / "tests/fixtures/routes/many-problems.yaml"
    result = run("routes", "validate", str(bad), data_dir=tmp_path)
    assert result.returncode == 1
    lines = result.stdout.strip().splitlines()
    assert len(lines) >= 5
    assert all(line.startswith(f"{bad}:") for line in lines)


def test_show_lists_the_stages_in_order_with_the_parallel_group_visible(tmp_path):
    result = run("routes", "show", ROUTE, data_dir=tmp_path)
    assert result.returncode == 0
    assert "parallel group" in result.stdout


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (
            ["start", "no-such-route", "--title", "T", "--document", "{doc}", "--lead", "a@b.org"],
            "no-such-route",
        ),
        (["start", ROUTE, "--title", "T", "--document", "missing.pdf", "--lead", "a@b.org"], "missing.pdf"),
        (["start", ROUTE, "--title", "T", "--document", "{doc}", "--lead", "not an email"], "--lead"),
        (
            [
                "start",
                ROUTE,
                "--title",
                "T",
                "--document",
                "{doc}",
                "--lead",
                "a@b.org",
                "--target",
                "31/03/2027",
            ],
            "--target",
        ),
        (["status", "nope"], "nope"),
    ],
)
def test_bad_input_exits_2_with_one_line_saying_what_and_where(args, fragment, tmp_path):
    document = tmp_path / "agreement.pdf"
    document.write_bytes(b"agreement")
    result = run(*[a.replace("{doc}", str(document)) for a in args], data_dir=tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert fragment in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_status_of_no_signoffs_is_an_empty_list(tmp_path):
    result = run("status", "--json", data_dir=tmp_path)
    assert result.returncode == 0
    assert json.loads(result.stdout) == []


def test_validate_json_gives_each_file_its_problems_with_lines(tmp_path):
    bad = ROOT / "tests/fixtures/routes/many-problems.yaml"
    good = ROOT / "config/routes/north-example-vcse-agreement.yaml"
    result = run("routes", "validate", "--json", str(good), str(bad), data_dir=tmp_path)
    assert result.returncode == 1
    checked = json.loads(result.stdout)
    assert [c["valid"] for c in checked] == [True, False]
    assert checked[0]["route"] == ROUTE
    assert {"line": 11, "message": "duplicate stage id 'legal' (lines 6 and 11)"} in checked[1]["problems"]
