"""The text of a document, to compare versions: plain text, Markdown and Word (.docx).

Other types (and files that cannot be read) give None: the versions are then compared by
fingerprint only.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.etree import ElementTree

TEXT_TYPES = (".txt", ".md", ".markdown")
LARGEST = 50 * 1024 * 1024  # larger files are compared by fingerprint only
WORD = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def extract_text(path: Path) -> str | None:
    """The document's text, paragraphs separated by blank lines; None when it cannot be read."""
    if not path.is_file() or path.stat().st_size > LARGEST:
        return None
    suffix = path.suffix.lower()
    if suffix in TEXT_TYPES:
        return path.read_text(encoding="utf-8", errors="replace")
    if suffix == ".docx":
        return _word_text(path)
    return None


def _word_text(path: Path) -> str | None:
    """The paragraphs of a Word document's body."""
    try:
        with zipfile.ZipFile(path) as archive:
            body = ElementTree.fromstring(archive.read("word/document.xml"))  # noqa: S314 - no entities
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, OSError):
        return None  # not a Word document after all: compare by fingerprint
    paragraphs = ("".join(t.text or "" for t in p.iter(f"{WORD}t")) for p in body.iter(f"{WORD}p"))
    text = "\n\n".join(p for p in paragraphs if p.strip())
    return text or None
