"""Documents under sign-off: copied into the product's storage, identified by SHA-256."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

CHUNK = 1 << 20


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def store_document(source: Path, *, documents_dir: Path, signoff_id: str, version: int) -> tuple[Path, str]:
    """Copy ``source`` into storage as this sign-off's version; returns (stored path, SHA-256)."""
    target_dir = documents_dir / signoff_id / f"v{version}"
    target_dir.mkdir(parents=True, exist_ok=True)
    target = target_dir / source.name
    draft = target.with_name(f".{source.name}.partial")
    shutil.copyfile(source, draft)
    draft.replace(target)
    return target, sha256_of(target)
