"""Read model for a reviewer's page of a new version: what changed since the version they last
decided on (on any stage of the sign-off), or since version 1 when they never decided."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from governance.domain.signoff import SignOff
from governance.services.loop_ports import DocumentVersion
from governance.services.ports import UnitsOfWork
from governance.services.version_diff import TextDiff, word_diff

TextOf = Callable[[Path], "str | None"]


@dataclass(frozen=True)
class ReviewerChanges:
    """Two versions of the document as one reviewer compares them."""

    since: DocumentVersion  # the version they last decided on, or version 1
    current: DocumentVersion
    decided_on_since: bool  # False: they never decided, so ``since`` is version 1
    notes: tuple[DocumentVersion, ...]  # the versions after ``since`` that carry a lead's note, newest first
    diff: TextDiff | None  # None: the texts cannot be compared (the type of file, or unreadable)

    @property
    def same_file(self) -> bool:
        return self.since.sha256 == self.current.sha256


def reviewer_changes(
    uows: UnitsOfWork, signoff: SignOff, reviewer: str, *, text_of: TextOf
) -> ReviewerChanges | None:
    """What ``reviewer`` should see changed in the sign-off's current version; None for version 1."""
    if signoff.document_version <= 1:
        return None
    with uows.read() as uow:
        versions = uow.versions.of_signoff(signoff.id)
    return changes_since(versions, signoff, reviewer, text_of=text_of)


def changes_since(
    versions: Sequence[DocumentVersion], signoff: SignOff, reviewer: str, *, text_of: TextOf
) -> ReviewerChanges | None:
    """The comparison for ``reviewer`` among the stored ``versions`` (None when one is missing)."""
    by_number = {v.version: v for v in versions}
    decided = last_decided_version(signoff, reviewer)
    since, current = by_number.get(decided or 1), by_number.get(signoff.document_version)
    if since is None or current is None or since.version >= current.version:
        return None
    between = [v for v in versions if since.version < v.version <= current.version and v.note]
    notes = tuple(sorted(between, key=lambda v: v.version, reverse=True))
    diff = None if since.sha256 == current.sha256 else _diff_of(since, current, text_of)
    return ReviewerChanges(since, current, decided is not None, notes, diff)


def last_decided_version(signoff: SignOff, reviewer: str) -> int | None:
    """The latest earlier version ``reviewer`` decided on, on any stage (None: never decided)."""
    earlier = [
        d.document_version
        for progress in signoff.stages.values()
        for d in progress.decisions
        if d.reviewer == reviewer and d.document_version < signoff.document_version
    ]
    return max(earlier, default=None)


def _diff_of(since: DocumentVersion, current: DocumentVersion, text_of: TextOf) -> TextDiff | None:
    old = text_of(Path(since.path))
    new = text_of(Path(current.path)) if old is not None else None
    return None if old is None or new is None else word_diff(old, new)
