"""``signoff audit``, ``signoff audit verify`` and ``signoff certificate`` as an officer types them."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import text

from governance.adapters.database.database import Database
from governance.settings import Settings
from tests.integration.signoffs_helpers import start_spine_signoff
from tests.integration.test_cli import run

NOW = datetime(2026, 3, 20, 10, 0, tzinfo=UTC)


def started(tmp_path: Path) -> tuple[Path, str]:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    settings = Settings(data_dir=data_dir)
    db = Database(settings.sqlalchemy_url)
    db.migrate()
    signoff_id = start_spine_signoff(db, settings, now=NOW, tmp=tmp_path)
    db.dispose()
    return data_dir, signoff_id


def test_the_audit_trail_exports_as_text_json_and_csv(tmp_path: Path) -> None:
    data_dir, signoff_id = started(tmp_path)
    listed = run("audit", signoff_id, data_dir=data_dir)
    assert listed.returncode == 0, listed.stderr
    assert "started" in listed.stdout
    assert "stage_opened" in listed.stdout
    as_json = json.loads(run("audit", signoff_id, "--json", data_dir=data_dir).stdout)
    assert [row["kind"] for row in as_json][:2] == ["started", "stage_opened"]
    assert as_json[-1]["kind"] == "exported"
    rows = list(csv.DictReader(io.StringIO(run("audit", signoff_id, "--csv", data_dir=data_dir).stdout)))
    assert rows[0]["entry_hash"] == as_json[0]["entry_hash"]


def test_verify_exits_0_when_intact_and_1_naming_a_hand_edited_entry(tmp_path: Path) -> None:
    data_dir, signoff_id = started(tmp_path)
    intact = run("audit", "verify", data_dir=data_dir)
    assert intact.returncode == 0, intact.stderr
    assert "intact" in intact.stdout
    db = Database(Settings(data_dir=data_dir).sqlalchemy_url)
    with db.transaction() as connection:
        connection.execute(text("DROP TRIGGER audit_log_no_update"))
        connection.execute(text("UPDATE audit_log SET actor = 'mallory@example.org' WHERE sequence = 2"))
    db.dispose()
    broken = run("audit", "verify", signoff_id, data_dir=data_dir)
    assert broken.returncode == 1
    assert f"audit chain {signoff_id}: entry 2 is broken" in broken.stderr


def test_the_certificate_is_written_as_a_pdf_marked_in_progress(tmp_path: Path) -> None:
    data_dir, signoff_id = started(tmp_path)
    output = tmp_path / "certificate.pdf"
    made = run("certificate", signoff_id, "--output", str(output), data_dir=data_dir)
    assert made.returncode == 0, made.stderr
    assert "(in progress)" in made.stdout
    assert output.read_bytes().startswith(b"%PDF-")


def test_an_unknown_signoff_is_one_clear_line_with_exit_2(tmp_path: Path) -> None:
    data_dir, _ = started(tmp_path)
    for args in (
        ("audit", "0000dead"),
        ("audit", "verify", "0000dead"),
        ("certificate", "0000dead", "--output", "x.pdf"),
    ):
        result = run(*args, data_dir=data_dir)
        assert result.returncode == 2
        assert result.stderr == "signoff: no sign-off with id '0000dead'\n"
