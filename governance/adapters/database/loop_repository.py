"""Versions of documents and absences, in their tables."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Connection, insert, select, update

from governance.adapters.database.loop_tables import absences, document_versions
from governance.adapters.database.tables import signoffs
from governance.services.loop_ports import Absence, DocumentVersion


class SqlVersions:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def add(self, version: DocumentVersion) -> None:
        self.connection.execute(
            insert(document_versions).values(
                signoff_id=version.signoff_id,
                version=version.version,
                filename=version.filename,
                path=version.path,
                sha256=version.sha256,
                note=version.note,
                at=version.at,
                made_by=version.by,
                change_summary=version.change_summary,
            )
        )
        self.connection.execute(
            update(signoffs)
            .where(signoffs.c.id == version.signoff_id)
            .values(document_filename=version.filename, document_path=version.path)
        )

    def of_signoff(self, signoff_id: str) -> list[DocumentVersion]:
        query = (
            select(document_versions)
            .where(document_versions.c.signoff_id == signoff_id)
            .order_by(document_versions.c.version)
        )
        return [
            DocumentVersion(
                r.signoff_id,
                r.version,
                r.filename,
                r.path,
                r.sha256,
                r.note,
                r.at,
                r.made_by,
                r.change_summary,
            )
            for r in self.connection.execute(query)
        ]


class SqlAbsences:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def add(self, person: str, deputy: str, *, starts: date, ends: date, by: str, now: datetime) -> int:
        values = {"person": person, "deputy": deputy, "starts": starts, "ends": ends}
        query = insert(absences).values(**values, made_by=by, created_at=now).returning(absences.c.id)
        return int(self.connection.execute(query).scalar_one())

    def covering(self, people: tuple[str, ...], day: date) -> dict[str, Absence]:
        query = (
            select(absences)
            .where(absences.c.person.in_(list(people)), absences.c.starts <= day, absences.c.ends >= day)
            .order_by(absences.c.id)
        )
        return {r.person: _absence(r) for r in self.connection.execute(query)}

    def listing(self, *, from_day: date | None = None) -> list[Absence]:
        query = select(absences).order_by(absences.c.starts, absences.c.id)
        if from_day is not None:
            query = query.where(absences.c.ends >= from_day)
        return [_absence(r) for r in self.connection.execute(query)]


def _absence(row: object) -> Absence:
    r = row._mapping  # type: ignore[attr-defined]
    return Absence(r["id"], r["person"], r["deputy"], r["starts"], r["ends"], r["made_by"])
