"""An uploaded document, copied to a file of its own name for the services to store and hash."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from starlette.datastructures import UploadFile

from governance.entrypoints.web.rendering import Web
from governance.entrypoints.web.start_form import safe_filename


@contextmanager
def uploaded_copy(web: Web, upload: UploadFile) -> Iterator[Path]:
    """The upload as a file under its own (made safe) name, removed when the block ends; the
    services copy it into the documents folder and record its SHA-256 meanwhile."""
    web.settings.data_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="upload-", dir=web.settings.data_dir) as folder:
        document = Path(folder) / safe_filename(upload.filename or "")
        upload.file.seek(0)
        with document.open("wb") as copy:
            shutil.copyfileobj(upload.file, copy)
        yield document
