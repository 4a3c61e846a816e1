"""``signoff bench``: each figure measured, printed as a table or as JSON keyed by figure name."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from governance.entrypoints.cli import app


def test_bench_json_is_keyed_by_figure_with_value_unit_and_target() -> None:
    result = CliRunner().invoke(app, ["bench", "--json"])
    assert result.exit_code == 0, result.stderr
    figures = json.loads(result.stdout)
    assert "P5" in figures
    for figure in figures.values():
        assert {"value", "unit", "target", "description"} <= set(figure)
        assert isinstance(figure["value"], float)
    assert figures["P5"]["unit"] == "ms"


def test_bench_table_prints_a_row_per_figure() -> None:
    result = CliRunner().invoke(app, ["bench", "P5"])
    assert result.exit_code == 0, result.stderr
    header, *rows = result.stdout.splitlines()
    assert header.split()[:4] == ["figure", "value", "unit", "target"]
    assert [row.split()[0] for row in rows] == ["P5"]


def test_an_unknown_figure_exits_2_naming_the_known_ones() -> None:
    result = CliRunner().invoke(app, ["bench", "P99"])
    assert result.exit_code == 2
    assert result.stderr.startswith("signoff: no figure P99; known figures: ")
    assert "P5" in result.stderr
