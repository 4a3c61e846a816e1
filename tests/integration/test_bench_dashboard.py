"""The dashboard figure (L1) measures a real page of real sign-offs; its timings are never asserted."""

from __future__ import annotations

from pathlib import Path

from governance.benchmarks.catalogue import FIGURES
from governance.benchmarks.dashboard import fleet_ms


def test_the_dashboard_figure_fetches_the_page_of_a_cloned_fleet_signed_in(tmp_path: Path) -> None:
    assert fleet_ms(tmp_path, 25) > 0  # it raises unless the page answered 200 with the sign-offs on it


def test_the_dashboard_figure_is_in_the_catalogue_and_runs_when_named() -> None:
    assert FIGURES["L1"].module == "dashboard"
    assert not FIGURES["L1"].default
