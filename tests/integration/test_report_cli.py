"""``signoff report cycle-times [--csv]`` over a real SQLite database, and the same report's page."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from pathlib import Path

from fastapi.testclient import TestClient

from governance.domain.rules import Verdict
from governance.entrypoints.report_csv import HEADER
from governance.entrypoints.web import create_app
from tests.integration.dashboard_helpers import cancelled, decide, start
from tests.integration.test_cli import run
from tests.integration.web_fixtures import FINANCE, STARTED, make_database, make_settings, sign_in


def recorded(data_dir: Path) -> None:
    """One sign-off whose Finance review closed in three working days, one cancelled, one just started."""
    settings = make_settings(data_dir)
    db = make_database(settings)
    signoff_id = start(settings, db, "Decided")
    for reviewer in FINANCE:
        decide(settings, db, signoff_id, reviewer, Verdict.APPROVE, STARTED + timedelta(days=3))
    cancelled(settings, db, "Withdrawn")
    start(settings, db, "Running")
    db.dispose()


def test_the_csv_has_a_header_row_a_row_per_route_and_a_row_per_stage(tmp_path: Path) -> None:
    recorded(tmp_path / "data")
    result = run("report", "cycle-times", "--csv", data_dir=tmp_path / "data")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert tuple(next(csv.reader(io.StringIO(result.stdout)))) == HEADER
    assert [(r["route_id"], r["stage_id"]) for r in rows] == [
        ("contracts-over-250k", ""),
        ("contracts-over-250k", "finance"),
        ("contracts-over-250k", "quality"),
        ("contracts-over-250k", "clinical"),
    ]
    finance = rows[1]
    assert (
        finance["stages_closed"],
        finance["median_working_days_open"],
        finance["p90_working_days_open"],
    ) == (
        "1",
        "3",
        "3",
    )
    assert (finance["decisions"], finance["median_response_working_days"]) == ("2", "3")
    assert rows[0]["finished_on_time"] == "0"


def test_the_plain_report_names_each_route_and_stage(tmp_path: Path) -> None:
    recorded(tmp_path / "data")
    result = run("report", "cycle-times", data_dir=tmp_path / "data")
    assert result.returncode == 0, result.stderr
    assert "Contracts over £250k (contracts-over-250k)" in result.stdout
    assert "  Finance review: 1, 3/3; 2, 3/3; 0, 0" in result.stdout


def test_the_report_with_no_signoffs_says_there_is_nothing_to_measure(tmp_path: Path) -> None:
    result = run("report", "cycle-times", data_dir=tmp_path / "data")
    assert result.returncode == 0, result.stderr
    assert "nothing to measure" in result.stdout
    assert run("report", "cycle-times", "--csv", data_dir=tmp_path / "data").stdout == ",".join(HEADER) + "\n"


def test_the_report_page_draws_a_chart_with_a_title_and_a_table(tmp_path: Path) -> None:
    recorded(tmp_path / "data")
    settings = make_settings(tmp_path / "data")
    db = make_database(settings)
    with TestClient(create_app(settings, db)) as client:
        sign_in(client, db)
        page = client.get("/reports/cycle-times")
        csv_file = client.get("/reports/cycle-times.csv")
    db.dispose()
    assert page.status_code == 200
    assert '<svg class="chart" role="img"' in page.text
    assert '<title id="chart-title">Working days each stage was open' in page.text
    assert '<g data-stage="Contracts over £250k: Finance review">' in page.text
    assert "<script" not in page.text
    assert '<th scope="row" data-label="Stage">Finance review</th>' in page.text
    assert csv_file.text.splitlines()[0] == ",".join(HEADER)
