"""What changed between two versions of a document, paragraph by paragraph."""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


def paragraphs_of(text: str) -> list[str]:
    """Paragraphs separated by blank lines, whitespace inside each collapsed."""
    blocks = text.replace("\r\n", "\n").split("\n\n")
    return [" ".join(block.split()) for block in blocks if block.strip()]


@dataclass(frozen=True)
class DocumentChanges:
    before_version: int
    after_version: int
    before_sha256: str
    after_sha256: str
    added: int | None = None  # None: the text could not be compared
    removed: int = 0
    changed: int = 0

    @property
    def summary(self) -> str:
        if self.added is None:
            return "the file changed (its text cannot be compared for this type of document)"
        counts = [(self.added, "added"), (self.removed, "removed"), (self.changed, "changed")]
        parts = [f"{n} paragraph{'s' if n != 1 else ''} {what}" for n, what in counts if n]
        return ", ".join(parts) if parts else "no change to the text"


def changes_between(
    before: Path,
    before_version: int,
    before_sha256: str,
    after: Path,
    after_version: int,
    after_sha256: str,
    *,
    extract: Callable[[Path], str | None],
) -> DocumentChanges:
    """Count paragraphs added, removed and changed (text types), else note the file changed."""
    old, new = extract(before), extract(after)
    versions = (before_version, after_version, before_sha256, after_sha256)
    if old is None or new is None:
        return DocumentChanges(*versions)
    added = removed = changed = 0
    matcher = difflib.SequenceMatcher(None, paragraphs_of(old), paragraphs_of(new), autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        paired = min(i2 - i1, j2 - j1) if tag == "replace" else 0
        changed += paired
        removed += (i2 - i1 - paired) if tag in ("replace", "delete") else 0
        added += (j2 - j1 - paired) if tag in ("replace", "insert") else 0
    return DocumentChanges(*versions, added, removed, changed)
