"""A lead's first steps at the terminal: short ids, a status table that fits, what ``start`` says,
routes checked by id, a second demo refused, the site's icon, and the timeline drawn in the terminal.

A ``signoff serve`` is recorded as running (this test process), so no command starts Prefect; the
sign-offs are made here, with known ids, through the services.
"""

from __future__ import annotations

import json
import os
import re
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

import governance.services.signoffs as signoffs
from governance.adapters.database.access_tables import audit_log, sign_in_links, users
from governance.adapters.database.database import Database
from governance.adapters.database.tables import outbox
from governance.adapters.database.tables import signoffs as signoff_rows
from governance.adapters.runtime_file import write_runtime
from governance.domain.london_time import london_date, utc_now
from governance.domain.rules import Verdict
from governance.entrypoints.web.app import create_app
from governance.services.signoff_ids import AmbiguousSignOffId, resolve_signoff_id
from governance.services.signoffs import advance_signoff, decide_by_token
from governance.settings import Settings
from tests.integration.signoffs_helpers import links, start_spine_signoff
from tests.integration.test_cli import ROOT, run

IDS = ("76669d29ab01", "76669d29cd02", "1234abcd0000")
WEB_URL = "http://127.0.0.1:8765"
STAGE_NAMES = ("VCSE Alliance", "ICB legal review", "Finance review", "ICB Executive")


@pytest.fixture
def desk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data directory with three sign-offs (two share their first eight characters) and a
    ``signoff serve`` recorded as running."""
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    settings = Settings(data_dir=data_dir)
    db = Database(settings.sqlalchemy_url)
    db.migrate()
    made = iter(IDS)
    monkeypatch.setattr(signoffs, "new_signoff_id", lambda: next(made))
    target = london_date(utc_now()) + timedelta(days=150)
    titles = ("VCSE partnership agreement, with a title long enough to fold", "Estates plan", "Data sharing")
    try:
        for title in titles:
            start_spine_signoff(db, settings, now=utc_now(), tmp=tmp_path, target=target, title=title)
    finally:
        db.dispose()
    write_runtime(data_dir, pid=os.getpid(), web_url=WEB_URL)
    return data_dir


def counts(data_dir: Path) -> tuple[int, ...]:
    """How many sign-offs, notifications, accounts, sign-in links and audit entries there are."""
    db = Database(Settings(data_dir=data_dir).sqlalchemy_url)
    try:
        with db.transaction() as connection:
            return tuple(
                connection.execute(select(func.count()).select_from(table)).scalar_one()
                for table in (signoff_rows, outbox, users, sign_in_links, audit_log)
            )
    finally:
        db.dispose()


def test_prefixes_resolve_through_the_real_database_sqlite_and_postgresql(
    database, settings, tmp_path, monkeypatch
):
    made = iter(IDS)
    monkeypatch.setattr(signoffs, "new_signoff_id", lambda: next(made))
    for _ in IDS:
        start_spine_signoff(database, settings, now=utc_now(), tmp=tmp_path, target=None)
    assert resolve_signoff_id(database, "76669d29c") == "76669d29cd02"
    assert resolve_signoff_id(database, "1234ABCD0000") == "1234abcd0000"
    with pytest.raises(AmbiguousSignOffId) as refused:
        resolve_signoff_id(database, "76669d29")
    assert [c.id for c in refused.value.candidates] == ["76669d29ab01", "76669d29cd02"]


@pytest.mark.parametrize(
    ("args", "full_id"),
    [
        (["status", "1", "--json"], "1234abcd0000"),
        (["status", "76669D29A", "--json"], "76669d29ab01"),
        (["certificate", "76669d29c", "--output", "{tmp}/certificate.pdf"], "76669d29cd02"),
    ],
)
def test_a_unique_prefix_of_an_id_is_accepted_as_the_whole_id(desk, tmp_path, args, full_id):
    result = run(*[arg.replace("{tmp}", str(tmp_path)) for arg in args], data_dir=desk)
    assert full_id in result.stdout + result.stderr
    assert "not a sign-off id" not in result.stderr
    assert "starts 2 sign-off ids" not in result.stderr


def test_cancel_takes_a_unique_prefix_and_names_the_whole_id(desk):
    result = run("cancel", "1234", data_dir=desk)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "1234abcd0000 cancelled"


@pytest.mark.parametrize(
    "args",
    [
        ["status"],
        ["cancel"],
        ["timeline"],
        ["audit"],
        ["remind"],
        ["certificate", "--output", "unused.pdf"],
        ["revise", "--document", str(ROOT / "pyproject.toml")],
        [
            "reassign",
            "--stage",
            "vcse",
            "--from",
            "chair@vcse.example.org",
            "--to",
            "deputy@vcse.example.org",
        ],
        ["paper-submitted", "--stage", "exec"],
    ],
)
def test_an_ambiguous_prefix_is_refused_in_one_line_listing_the_candidates(desk, args):
    result = run(args[0], "76669d29", *args[1:], data_dir=desk)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "'76669d29' starts 2 sign-off ids" in lines[0]
    assert "76669d29ab01 (VCSE partnership agreement" in lines[0]
    assert "76669d29cd02 (Estates plan)" in lines[0]


@pytest.mark.parametrize("given", ["76669d29-ab01", "zz", "1234%"])
def test_an_id_that_is_not_hex_is_refused_saying_what_ids_are_made_of(desk, given):
    result = run("status", given, data_dir=desk)
    assert result.returncode == 2
    assert f"{given!r} is not a sign-off id: ids are made of the digits 0-9 and letters a-f" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_status_table_at_80_columns_fits_and_shows_ids_that_are_unique_prefixes(desk):
    result = run("status", data_dir=desk, COLUMNS="80")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert all(len(line) <= 80 for line in lines)
    shown = [m.group(1) for line in lines if (m := re.match(r"\s*([0-9a-f]{8,})\s", line))]
    assert len(shown) == len(IDS)
    assert "…" not in result.stdout
    for prefix in shown:
        assert [full for full in IDS if full.startswith(prefix)] == [
            full for full in IDS if full[:9] == prefix[:9]
        ]
        assert len([full for full in IDS if full.startswith(prefix)]) == 1
        assert run("status", prefix, "--json", data_dir=desk).returncode == 0


def test_start_prints_the_id_then_the_timeline_address_and_who_will_be_invited(desk, tmp_path):
    document = tmp_path / "agreement.pdf"
    document.write_bytes(b"%PDF-1.4 agreement")
    started = run(
        "start", "north-example-vcse-agreement", "--title", "Agreement", "--document", str(document),
        "--lead", "lead@icb.example.nhs.uk", data_dir=desk,
    )  # fmt: skip
    assert started.returncode == 0, started.stderr
    signoff_id, address, invited = started.stdout.strip().splitlines()
    assert re.fullmatch(r"[0-9a-f]{12}", signoff_id)
    assert address == f"Timeline: {WEB_URL}/signoffs/{signoff_id}"
    assert invited.startswith("Invited: the first stage opens when signoff serve runs")


def test_start_as_json_adds_the_timeline_address_and_leaves_invitations_to_the_server(desk, tmp_path):
    document = tmp_path / "agreement.pdf"
    document.write_bytes(b"%PDF-1.4 agreement")
    started = run(
        "start", "north-example-vcse-agreement", "--title", "Agreement", "--document", str(document),
        "--lead", "lead@icb.example.nhs.uk", "--json", data_dir=desk,
    )  # fmt: skip
    found = json.loads(started.stdout)
    assert found["route"] == "north-example-vcse-agreement"
    assert found["opened_by"] == "server"
    assert found["timeline_url"] == f"{WEB_URL}/signoffs/{found['id']}"
    assert found["invited"] is None


def test_start_without_a_server_names_each_reviewer_it_invited(tmp_path, prefect_api):
    document = tmp_path / "agreement.pdf"
    document.write_bytes(b"%PDF-1.4 agreement")
    started = run(
        "start", "north-example-vcse-agreement", "--title", "Agreement", "--document", str(document),
        "--lead", "lead@icb.example.nhs.uk", data_dir=tmp_path / "data", PREFECT_API_URL=prefect_api,
        SIGNOFF_SMTP_HOST="",
    )  # fmt: skip
    assert started.returncode == 0, started.stderr
    lines = started.stdout.strip().splitlines()
    assert lines[1] == f"Timeline: http://127.0.0.1:8000/signoffs/{lines[0]}"
    assert lines[2] == (
        "Invited to VCSE Alliance leadership group (vcse-leadership): "
        "chair@northvcse.example.org, coordinator@northvcse.example.org"
    )


def test_routes_validate_takes_a_route_id_as_every_other_command_does(tmp_path):
    result = run("routes", "validate", "north-example-vcse-agreement", data_dir=tmp_path)
    assert result.returncode == 0, result.stdout
    assert result.stdout.strip().endswith(
        "north-example-vcse-agreement.yaml: ok (north-example-vcse-agreement, 6 stages)"
    )


def test_routes_validate_of_an_unknown_id_exits_1_naming_the_known_ids(tmp_path):
    result = run("routes", "validate", "no-such-route", data_dir=tmp_path)
    assert result.returncode == 1
    assert result.stdout.strip() == (
        "no-such-route:0: no route file or route id 'no-such-route'; "
        "known route ids: north-example-vcse-agreement, south-coast-vcse-agreement"
    )


def test_a_second_demo_refuses_before_changing_anything_and_says_where_the_first_runs(desk):
    before = counts(desk)
    result = run("demo", data_dir=desk)
    assert result.returncode == 1
    assert (
        f"signoff is already running for {desk} (pid {os.getpid()}, open {WEB_URL}/signoffs)" in result.stderr
    )
    assert "nothing was changed" in result.stderr
    assert counts(desk) == before
    assert not (desk / "demo-agreement.txt").exists()


def test_the_site_icon_answers_without_signing_in_and_every_page_links_it(tmp_path):
    settings = Settings(data_dir=tmp_path, base_url="http://testserver", secret_key="test-key")
    db = Database(settings.sqlalchemy_url)
    db.migrate()
    try:
        with TestClient(create_app(settings, db)) as client:
            icon = client.get("/favicon.ico")
            page = client.get("/login")
    finally:
        db.dispose()
    assert icon.status_code == 200
    assert icon.headers["content-type"] == "image/svg+xml"
    assert icon.text.startswith("<svg")
    assert '<link rel="icon" href="/favicon.svg" type="image/svg+xml">' in page.text


def approve_first_stage(data_dir: Path, signoff_id: str) -> None:
    settings = Settings(data_dir=data_dir)
    db = Database(settings.sqlalchemy_url)
    try:
        for (stage, _reviewer), token in links(db, settings, signoff_id).items():
            if stage == "vcse":
                decide_by_token(
                    db, token, verdict=Verdict.APPROVE, comment="", now=utc_now(), settings=settings
                )
        advance_signoff(db, settings, signoff_id, now=utc_now())
    finally:
        db.dispose()


@pytest.mark.parametrize("columns", [80, 120])
def test_the_timeline_draws_a_row_per_stage_with_its_marks_and_a_legend_that_needs_no_colour(desk, columns):
    approve_first_stage(desk, "1234abcd0000")
    # A month on, the parallel reviews are past due: stalled.
    result = run("timeline", "1234", data_dir=desk, COLUMNS=str(columns), SIGNOFF_CLOCK_OFFSET_DAYS="30")
    assert result.returncode == 0, result.stderr
    drawn = result.stdout
    assert all(len(line) <= columns for line in drawn.splitlines())
    assert "Data sharing  (1234abcd0000)" in drawn
    for name in STAGE_NAMES:
        assert name in drawn
    rows = {name: next(line for line in drawn.splitlines() if name in line) for name in STAGE_NAMES}
    assert "✓ approved" in rows["VCSE Alliance"]
    assert "█" in rows["VCSE Alliance"]
    assert "┌ ICB legal review" in rows["ICB legal review"]
    assert "└ Finance review" in rows["Finance review"]
    assert "▶ open" in rows["ICB legal review"]
    assert "! stalled" in drawn
    assert "· pending" in rows["ICB Executive"]
    assert {"▒", "M", "P", "T", "│"} <= set(rows["ICB Executive"])
    assert "Key: ░ planned: start by to decide by" in drawn
    for legend in ("M meeting", "P paper deadline", "D deferred from", "│ today", "T target", "RAG: G green"):
        assert legend in drawn
    assert "States: ✓ approved   ▶ open   · pending" in drawn
