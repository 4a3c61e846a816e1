"""Fake versions, absences and delegations repositories."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from governance.domain.handovers import Handover
from governance.services.loop_ports import Absence, DocumentVersion
from tests.fakes.data import Repository


class FakeVersions(Repository):
    def add(self, version: DocumentVersion) -> None:
        data = self.writing()
        data.versions.setdefault(version.signoff_id, []).append(version)
        row = data.signoffs[version.signoff_id]
        row.document_filename, row.document_path = version.filename, version.path

    def of_signoff(self, signoff_id: str) -> list[DocumentVersion]:
        return sorted(self.data.versions.get(signoff_id, []), key=lambda v: v.version)


class FakeAbsences(Repository):
    def add(self, person: str, deputy: str, *, starts: date, ends: date, by: str, now: datetime) -> int:
        del now
        data = self.writing()
        absence = Absence(len(data.absences) + 1, person, deputy, starts, ends, by)
        data.absences.append(absence)
        return absence.id

    def covering(self, people: tuple[str, ...], day: date) -> dict[str, Absence]:
        return {a.person: replace(a) for a in self.data.absences if a.person in people and a.covers(day)}

    def listing(self, *, from_day: date | None = None) -> list[Absence]:
        found = [a for a in self.data.absences if from_day is None or a.ends >= from_day]
        return sorted(found, key=lambda a: (a.starts, a.id))


class FakeDelegations(Repository):
    def add(self, signoff_id: str, stage_id: str, handover: Handover) -> None:
        """Kept in the stored aggregate's progress, where the database's sign-off repository loads it."""
        progress = self.writing().signoffs[signoff_id].signoff.stages[stage_id]
        if handover not in progress.handovers:
            progress.handovers.append(handover)
