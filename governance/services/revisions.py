"""``revise``: the lead sends the next version of a document after a request for changes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from governance.domain.audit_chain import AuditKind
from governance.services.audit import Actor, record
from governance.services.document_changes import changes_between
from governance.services.documents import sha256_of, store_document
from governance.services.loop_ports import DocumentVersion
from governance.services.ports import UnitsOfWork
from governance.settings import Settings

TextOf = Callable[[Path], "str | None"]


@dataclass(frozen=True)
class Revision:
    signoff_id: str
    document: Path
    note: str
    by: Actor


@dataclass(frozen=True)
class Revised:
    title: str
    version: DocumentVersion


def revise_signoff(
    uows: UnitsOfWork, settings: Settings, revision: Revision, *, now: datetime, text_of: TextOf
) -> Revised:
    """Record version N+1 and reopen the stages that must see it (TransitionNotAllowed when the
    sign-off is not waiting for changes); ``advance`` then sends them their new links."""
    with uows.write() as uow:
        signoff = uow.signoffs.get(revision.signoff_id, for_update=True)
        signoff.revise(sha256=sha256_of(revision.document))
        version = signoff.document_version
        stored, sha256 = store_document(
            revision.document, documents_dir=settings.documents_dir, signoff_id=signoff.id, version=version
        )
        before = uow.versions.of_signoff(signoff.id)[-1]
        changes = changes_between(
            Path(before.path), before.version, before.sha256, stored, version, sha256, extract=text_of
        )
        new = DocumentVersion(
            signoff.id,
            version,
            revision.document.name,
            str(stored.resolve()),
            sha256,
            revision.note.strip(),
            now,
            revision.by.who,
            changes.summary,
        )
        uow.versions.add(new)
        uow.signoffs.save(signoff, pending_advance=True)
        details = {"version": version, "note": new.note, "changes": changes.summary}
        record(uow, signoff, AuditKind.REVISED, actor=revision.by, now=now, details=details)
    return Revised(signoff.title, new)
