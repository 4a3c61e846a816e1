"""What changed between two texts, word by word within paragraphs, for the reviewer's page.

Pure logic over two strings: the paragraphs that changed, each as pieces kept, inserted or
deleted. Nothing here makes HTML; the page escapes every piece, since document text is untrusted.
Texts longer than ``MOST_CHARACTERS`` get paragraph counts only, so that a huge document never
turns into a huge page (the reviewer downloads it to compare).
"""

from __future__ import annotations

import difflib
from collections import Counter
from dataclasses import dataclass
from enum import StrEnum

from governance.services.document_changes import paragraphs_of

MOST_CHARACTERS = 200_000  # per version; longer texts are counted, not shown word by word
MOST_WORDS = 5_000  # a pair of paragraphs longer than this, together, shows as replaced whole
MOST_PAIRINGS = 2_500  # comparisons allowed when lining up a block of changed paragraphs
ALIKE = 0.5  # paragraphs at least this alike (difflib ratio over words) are one paragraph changed


class Mark(StrEnum):
    KEPT = "kept"
    INSERTED = "inserted"
    DELETED = "deleted"


class Change(StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"


@dataclass(frozen=True)
class Piece:
    """A run of words, kept from the old text, inserted in the new one, or deleted from the old."""

    mark: Mark
    text: str


@dataclass(frozen=True)
class ChangedParagraph:
    """A paragraph that changed: its number in the new text (in the old one when removed)."""

    number: int
    change: Change
    pieces: tuple[Piece, ...]


@dataclass(frozen=True)
class TextDiff:
    """The changed paragraphs (none listed when ``too_long``) and how many of each kind."""

    paragraphs: tuple[ChangedParagraph, ...]
    added: int
    removed: int
    changed: int
    too_long: bool = False
    characters: tuple[int, int] = (0, 0)  # the lengths of the old and the new text

    @property
    def same_text(self) -> bool:
        return not (self.added or self.removed or self.changed)


Pair = tuple[int | None, int | None]  # (old paragraph index, new paragraph index)


def word_diff(old: str, new: str, *, most_characters: int = MOST_CHARACTERS) -> TextDiff:
    """The changes from ``old`` to ``new``: paragraphs added, removed, and changed word by word."""
    before, after = paragraphs_of(old), paragraphs_of(new)
    too_long = max(len(old), len(new)) > most_characters
    pairs: list[Pair] = []
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            block = _in_order(i2 - i1, j2 - j1) if too_long else _alike_pairs(before[i1:i2], after[j1:j2])
            pairs.extend((_offset(i, i1), _offset(j, j1)) for i, j in block)
    paragraphs = [] if too_long else [_paragraph(before, after, pair) for pair in pairs]
    counts = Counter(_change_of(pair) for pair in pairs)
    return TextDiff(
        tuple(paragraphs),
        counts[Change.ADDED],
        counts[Change.REMOVED],
        counts[Change.CHANGED],
        too_long=too_long,
        characters=(len(old), len(new)),
    )


def _offset(index: int | None, start: int) -> int | None:
    return None if index is None else index + start


def _change_of(pair: Pair) -> Change:
    old, new = pair
    if old is None:
        return Change.ADDED
    return Change.REMOVED if new is None else Change.CHANGED


def _in_order(old: int, new: int) -> list[Pair]:
    """Pair a block by position (as the emailed summary counts): the rest are added or removed."""
    paired = min(old, new)
    pairs: list[Pair] = [(i, i) for i in range(paired)]
    pairs += [(i, None) for i in range(paired, old)]
    return pairs + [(None, j) for j in range(paired, new)]


def _alike_pairs(old: list[str], new: list[str]) -> list[Pair]:
    """Line up a block of changed paragraphs: each old one pairs with the next new one alike it,
    in order; the new ones skipped over were added, and old ones with no match were removed."""
    if len(old) * len(new) > MOST_PAIRINGS:
        return _in_order(len(old), len(new))
    pairs: list[Pair] = []
    start = 0
    for i, paragraph in enumerate(old):
        match = next((j for j in range(start, len(new)) if _alike(paragraph, new[j])), None)
        if match is None:
            pairs.append((i, None))
            continue
        pairs += [(None, j) for j in range(start, match)]
        pairs.append((i, match))
        start = match + 1
    return pairs + [(None, j) for j in range(start, len(new))]


def _alike(old: str, new: str) -> bool:
    matcher = difflib.SequenceMatcher(None, old.split(" "), new.split(" "), autojunk=False)
    return matcher.real_quick_ratio() >= ALIKE and matcher.quick_ratio() >= ALIKE and matcher.ratio() >= ALIKE


def _paragraph(before: list[str], after: list[str], pair: Pair) -> ChangedParagraph:
    old, new = pair
    if old is None:
        assert new is not None
        return ChangedParagraph(new + 1, Change.ADDED, (Piece(Mark.INSERTED, after[new]),))
    if new is None:
        return ChangedParagraph(old + 1, Change.REMOVED, (Piece(Mark.DELETED, before[old]),))
    return ChangedParagraph(new + 1, Change.CHANGED, word_pieces(before[old], after[new]))


def word_pieces(old: str, new: str) -> tuple[Piece, ...]:
    """One paragraph's change, word by word (a very long pair shows as deleted, then inserted)."""
    words_before, words_after = old.split(), new.split()
    if len(words_before) + len(words_after) > MOST_WORDS:
        return Piece(Mark.DELETED, old), Piece(Mark.INSERTED, new)
    pieces: list[Piece] = []
    matcher = difflib.SequenceMatcher(None, words_before, words_after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pieces.append(Piece(Mark.KEPT, " ".join(words_before[i1:i2])))
            continue
        if i2 > i1:
            pieces.append(Piece(Mark.DELETED, " ".join(words_before[i1:i2])))
        if j2 > j1:
            pieces.append(Piece(Mark.INSERTED, " ".join(words_after[j1:j2])))
    return tuple(pieces)
