"""The audit log on SQLite and PostgreSQL: appended in chains, UPDATE and DELETE refused by the
database itself, a hand-edited row caught by ``audit verify``, exported as JSON and CSV."""

from __future__ import annotations

import csv
import io
import itertools
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from governance.adapters.certificate_pdf import certificate_pdf
from governance.adapters.database.database import Database
from governance.domain.audit_chain import AuditKind
from governance.services import audit as trail
from governance.services.certificate import certificate_of
from governance.settings import Settings
from tests.integration.signoffs_helpers import start_spine_signoff

NOW = datetime(2026, 3, 20, 10, 0, tzinfo=UTC)


def with_entries(database: Database, settings: Settings, tmp_path: Path, count: int = 3) -> str:
    signoff_id = start_spine_signoff(database, settings, now=NOW, tmp=tmp_path)
    with database.write() as uow:
        signoff = uow.signoffs.get(signoff_id)
        for number in range(count):
            actor = trail.Actor(f"reviewer{number}@example.org", "192.0.2.7", "Mozilla/5.0")
            details = {"stage": "vcse", "n": number}
            trail.record(uow, signoff, AuditKind.LINK_VIEWED, actor=actor, now=NOW, details=details)
    return signoff_id


def test_update_and_delete_on_the_audit_log_are_refused_by_the_database(
    database: Database, settings: Settings, tmp_path: Path
) -> None:
    with_entries(database, settings, tmp_path)
    for statement in ("UPDATE audit_log SET actor = 'someone@else.org'", "DELETE FROM audit_log"):
        with pytest.raises(DatabaseError, match="append-only"), database.transaction() as connection:
            connection.execute(text(statement))
    checked, broken = trail.verify(database)
    assert broken == []
    assert checked >= 3


def test_a_hand_edited_row_is_named_by_verify(database: Database, settings: Settings, tmp_path: Path) -> None:
    signoff_id = with_entries(database, settings, tmp_path)
    first = trail.entries_of(database, signoff_id)
    edited = first[1].sequence
    with database.transaction() as connection:  # what someone with the database password could do
        drop_append_only_guard(connection)
        connection.execute(
            text("UPDATE audit_log SET actor = 'mallory@example.org' WHERE chain = :c AND sequence = :s"),
            {"c": signoff_id, "s": edited},
        )
    _, broken = trail.verify(database, signoff_id)
    assert [(b.chain, b.sequence) for b in broken] == [(signoff_id, edited)]
    assert "changed" in broken[0].reason


def test_a_deleted_row_is_named_as_a_gap(database: Database, settings: Settings, tmp_path: Path) -> None:
    signoff_id = with_entries(database, settings, tmp_path)
    with database.transaction() as connection:
        drop_append_only_guard(connection)
        connection.execute(text("DELETE FROM audit_log WHERE chain = :c AND sequence = 2"), {"c": signoff_id})
    _, broken = trail.verify(database)
    assert len(broken) == 1
    assert "entry 2 is missing" in broken[0].reason


def drop_append_only_guard(connection: object) -> None:
    execute = connection.execute  # type: ignore[attr-defined]
    if connection.dialect.name == "sqlite":  # type: ignore[attr-defined]
        execute(text("DROP TRIGGER audit_log_no_update"))
        execute(text("DROP TRIGGER audit_log_no_delete"))
    else:
        execute(text("DROP TRIGGER audit_log_no_change ON audit_log"))


def test_the_export_records_itself_and_reads_as_json_and_csv(
    database: Database, settings: Settings, tmp_path: Path
) -> None:
    signoff_id = with_entries(database, settings, tmp_path)
    later = NOW + timedelta(minutes=5)
    entries = trail.export(database, signoff_id, actor=trail.Actor("officer@example.nhs.uk"), now=later)
    assert entries[-1].facts.kind == "exported"
    rows = trail.as_json(entries)
    assert rows[0]["previous_hash"] == "0" * 64
    assert all(row["previous_hash"] == before["entry_hash"] for before, row in itertools.pairwise(rows))
    parsed = list(csv.DictReader(io.StringIO(trail.as_csv(entries))))
    assert [row["entry_hash"] for row in parsed] == [row["entry_hash"] for row in rows]
    assert parsed[0]["client_address"] in {"", "192.0.2.7"}


def test_the_certificate_is_a_pdf_marked_in_progress_until_the_signoff_ends(
    database: Database, settings: Settings, tmp_path: Path
) -> None:
    signoff_id = with_entries(database, settings, tmp_path)
    certificate = certificate_of(database, signoff_id, actor=trail.Actor("officer@example.nhs.uk"), now=NOW)
    assert certificate.in_progress
    assert certificate.audit_final_hash == trail.entries_of(database, signoff_id)[-1].entry_hash
    pdf = certificate_pdf(certificate)
    assert pdf.startswith(b"%PDF-")
    assert len(pdf) > 1000
