"""``signoff --help`` stays light: it imports no subcommand, no Prefect and no SQLAlchemy."""

from __future__ import annotations

import inspect
import subprocess
import sys
from pathlib import Path

import pytest

from governance.entrypoints.cli import COMMANDS, load_command

PROBE = (
    "import sys\n"
    "from governance.entrypoints.cli import app\n"
    "try:\n    app(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
    "heavy = sorted({m.split('.')[0] for m in sys.modules} & {'prefect', 'sqlalchemy', 'fastapi', 'rich'})\n"
    "commands = sorted(m for m in sys.modules if m.startswith('governance.entrypoints.cli.'))\n"
    "print(repr((heavy, commands)))\n"
)


def modules_loaded_by(*args: str) -> tuple[list[str], list[str]]:
    """(heavy libraries, subcommand modules) a fresh interpreter imported to run ``signoff ARGS``."""
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, timeout=60, check=True
    )
    heavy, commands = eval(result.stdout.strip().splitlines()[-1])  # noqa: S307 - our own probe's repr
    return heavy, commands


@pytest.mark.parametrize("args", [["--help"], []])
def test_the_top_level_help_imports_no_subcommand_and_no_heavy_library(args):
    assert modules_loaded_by(*args) == ([], [])


def test_a_subcommand_imports_only_its_own_module():
    heavy, commands = modules_loaded_by("routes", "--help")
    assert set(commands) <= {"governance.entrypoints.cli.routes", "governance.entrypoints.cli.common"}
    assert "governance.entrypoints.cli.routes" in commands
    assert "prefect" not in heavy


@pytest.mark.parametrize("name", list(COMMANDS))
def test_the_top_level_help_says_what_each_command_says_of_itself(name):
    first_paragraph = inspect.cleandoc(load_command(name).help or "").split("\n\n")[0]
    assert " ".join(first_paragraph.split()) == COMMANDS[name][1]


def test_a_mistyped_command_is_answered_with_the_close_ones():
    result = subprocess.run(
        [str(Path(sys.executable).with_name("signoff")), "stat"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "Did you mean 'start', 'status'?" in result.stderr
