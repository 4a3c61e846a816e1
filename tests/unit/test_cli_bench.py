"""``signoff bench``: each figure beside its baseline, as a table or as JSON keyed by figure."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from governance.benchmarks.catalogue import FIGURES, default_figures
from governance.benchmarks.figure import Case, Figure, skipped
from governance.entrypoints.cli import app

KEYS = {"value", "unit", "baseline", "ratio", "target", "cases"}


def a_rate(*cases: Case) -> Figure:
    return Figure("/s", ">= 0.5", "a rate", cases, "lower", lambda _value, ratio: ratio >= 0.5)


def test_the_default_run_is_exactly_p1_to_p6() -> None:
    assert default_figures() == ["P1", "P2", "P3", "P4", "P5", "P6"]
    assert {"D1", "S1", "L1", "L2"} <= set(FIGURES)  # measured only when named


def test_a_rate_figure_reports_its_slowest_case_and_its_lowest_ratio() -> None:
    figure = a_rate(Case("fast", 100.0, 1000.0), Case("slow", 50.0, 80.0)).as_dict()
    assert (figure["value"], figure["baseline"]) == (50.0, 80.0)
    assert figure["ratio"] == 0.1
    assert figure["met"] is False


def test_a_time_figure_reports_its_slowest_case() -> None:
    figure = Figure(
        "ms", "< 5", "a time", [Case("a", 2.0, 1.0), Case("b", 4.0, 4.0)], "higher", lambda v, _r: v < 5
    ).as_dict()
    assert (figure["value"], figure["ratio"], figure["met"]) == (4.0, 2.0, True)


def test_a_skipped_case_is_listed_with_its_reason_and_never_counted() -> None:
    figure = a_rate(Case("sqlite", 600.0, 1000.0), skipped("postgresql", "no server")).as_dict()
    assert figure["value"] == 600.0
    assert figure["cases"][1] == {"name": "postgresql", "skipped": "no server"}


def test_a_figure_with_every_case_skipped_is_not_met() -> None:
    figure = a_rate(skipped("postgresql", "no server")).as_dict()
    assert (figure["value"], figure["ratio"], figure["met"]) == (None, None, False)


def test_bench_json_gives_each_figure_value_unit_baseline_ratio_target_and_cases() -> None:
    result = CliRunner().invoke(app, ["bench", "P5", "P6", "--json"])
    assert result.exit_code == 0, result.stderr
    figures = json.loads(result.stdout)
    assert list(figures) == ["P5", "P6"]
    for figure in figures.values():
        assert set(figure) >= KEYS
        assert figure["value"] > 0
        assert figure["baseline"] > 0
        assert figure["cases"]
    assert (figures["P5"]["unit"], figures["P6"]["unit"]) == ("ms", "s")


def test_bench_table_prints_a_row_per_figure_and_one_per_case() -> None:
    result = CliRunner().invoke(app, ["bench", "P5"])
    assert result.exit_code == 0, result.stderr
    header, row, *cases = result.stdout.splitlines()
    assert header.split()[:5] == ["figure", "value", "unit", "baseline", "ratio"]
    assert row.split()[0] == "P5"
    assert [line.strip().startswith("- ") for line in cases] == [True]


def test_an_unknown_figure_exits_2_naming_the_known_ones() -> None:
    result = CliRunner().invoke(app, ["bench", "P99"])
    assert result.exit_code == 2
    assert result.stderr.startswith("signoff: no figure P99; known figures: ")
    assert "P5" in result.stderr


def test_a_figure_that_fails_is_reported_with_its_error_and_the_run_goes_on(monkeypatch) -> None:
    from governance.benchmarks import catalogue

    monkeypatch.setitem(catalogue.FIGURES, "X1", catalogue.Entry("no_such_figure_module", "a broken figure"))
    measured = catalogue.run(["X1", "P5"])
    assert measured["X1"]["value"] is None
    assert measured["X1"]["met"] is False
    assert "ModuleNotFoundError" in measured["X1"]["error"]
    assert measured["P5"]["value"] is not None
