"""The text of a document, to compare versions: plain text, Markdown, Word (.docx) and PDF.

Word documents are read with mammoth and PDFs with pypdf, both well-kept libraries that parse
untrusted files without running anything in them. Other types, and files that cannot be read
(corrupt, encrypted, too large), give None: the versions are then compared by fingerprint only.
"""

from __future__ import annotations

import functools
import zipfile
from pathlib import Path

TEXT_TYPES = (".txt", ".md", ".markdown")
LARGEST = 50 * 1024 * 1024  # larger files are compared by fingerprint only
LARGEST_UNPACKED = 200 * 1024 * 1024  # a .docx that unzips to more is refused (a zip bomb)
MOST_PAGES = 500  # a PDF with more pages is compared by fingerprint only


def extract_text(path: Path) -> str | None:
    """The document's text, paragraphs separated by blank lines; None when it cannot be read."""
    if not path.is_file() or path.stat().st_size > LARGEST:
        return None
    suffix = path.suffix.lower()
    if suffix in TEXT_TYPES:
        return path.read_text(encoding="utf-8", errors="replace")
    if suffix not in READERS:
        return None
    stat = path.stat()
    return _parsed_text(str(path), stat.st_size, stat.st_mtime_ns)


# Stored versions never change, and a reviewer's page reads two of them on every view (mail
# scanners open links too): keep the last few parsed texts, keyed by path, size and time.
@functools.lru_cache(maxsize=8)
def _parsed_text(name: str, _size: int, _modified_ns: int) -> str | None:
    path = Path(name)
    try:
        text = READERS[path.suffix.lower()](path)
    except Exception:  # any failure to parse an untrusted file means: compare by fingerprint
        return None
    return text if text and text.strip() else None


def _word_text(path: Path) -> str | None:
    """A Word document's paragraphs, as mammoth reads them (blank lines between paragraphs)."""
    import mammoth  # imported when first needed: it takes a tenth of a second

    with zipfile.ZipFile(path) as archive:
        if sum(member.file_size for member in archive.infolist()) > LARGEST_UNPACKED:
            return None
    with path.open("rb") as file:
        return str(mammoth.extract_raw_text(file).value)


def _pdf_text(path: Path) -> str | None:
    """A PDF's text page by page; the layout mode keeps the blank line between paragraphs."""
    import pypdf  # imported when first needed: it takes a tenth of a second

    reader = pypdf.PdfReader(path)
    if reader.is_encrypted or len(reader.pages) > MOST_PAGES:
        return None
    pages = (page.extract_text(extraction_mode="layout") for page in reader.pages)
    return "\n\n".join(pages)


READERS = {".docx": _word_text, ".pdf": _pdf_text}
