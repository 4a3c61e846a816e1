"""Sending a revised version from the timeline, after a request for changes: the same use case as
``signoff revise`` (the text of both versions is compared for the reviewers). The upload is kept
only for as long as it takes to store it as the next version."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from governance.adapters.documents.text_extract import extract_text
from governance.domain.errors import TransitionNotAllowed
from governance.domain.london_time import utc_now
from governance.entrypoints.web.rendering import Web, page_router, web_of
from governance.entrypoints.web.start_form import megabytes, safe_filename
from governance.entrypoints.web.timeline_actions import (
    NOTHING_CHANGED,
    acting_on,
    actor,
    done,
    problem,
    sentence,
)
from governance.entrypoints.web.uploads import uploaded_copy
from governance.services.revisions import Revision, revise_signoff

revise_pages = page_router()
FORM_SLACK_BYTES = 64 * 1024  # room for the note and multipart framing beside the file
MAX_NOTE = 2000


@revise_pages.post("/signoffs/{signoff_id}/revise", response_model=None)
async def revise(signoff_id: str, request: Request) -> Response:
    """Store the uploaded file as the next version and reopen the stages that must see it."""
    web = web_of(request)
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > web.settings.max_upload_bytes + FORM_SLACK_BYTES:
        return await run_in_threadpool(too_large, web, request, signoff_id)
    form = await request.form(max_files=1, max_fields=3)
    chosen = form.get("document")
    upload = chosen if isinstance(chosen, UploadFile) and chosen.filename else None
    note = str(form.get("note") or "").strip()
    try:
        return await run_in_threadpool(revise_with, web, request, signoff_id, upload, note)
    finally:
        await form.close()


def too_large(web: Web, request: Request, signoff_id: str) -> Response:
    view = acting_on(web, signoff_id)
    message = (
        f"The document must be smaller than {megabytes(web.settings.max_upload_bytes)}. {NOTHING_CHANGED}"
    )
    return problem(web, request, view, (("revise-document", message),), form="revise")


def revise_with(
    web: Web, request: Request, signoff_id: str, upload: UploadFile | None, note: str
) -> Response:
    view = acting_on(web, signoff_id)
    values = {"note": note}
    errors: list[tuple[str, str]] = []
    if upload is None or not safe_filename(upload.filename or ""):
        errors.append(("revise-document", f"Choose the revised document. {NOTHING_CHANGED}"))
    elif (upload.size or 0) > web.settings.max_upload_bytes:
        limit = megabytes(web.settings.max_upload_bytes)
        errors.append(("revise-document", f"The document must be smaller than {limit}. {NOTHING_CHANGED}"))
    if len(note) > MAX_NOTE:
        errors.append(("revise-note", f"Keep the note under {MAX_NOTE:,} characters. {NOTHING_CHANGED}"))
    if errors or upload is None:
        return problem(web, request, view, tuple(errors), form="revise", values=values)
    try:
        version = store_revision(web, request, signoff_id, upload, note)
    except TransitionNotAllowed as error:
        errors.append(("revise-document", f"{sentence(str(error))} {NOTHING_CHANGED}"))
        return problem(web, request, view, tuple(errors), form="revise", values=values)
    return done(
        web, request, signoff_id, f"Version {version} is sent: the stages that must see it reopen for it."
    )


def store_revision(web: Web, request: Request, signoff_id: str, upload: UploadFile, note: str) -> int:
    """Copy the upload to a file of its own name, then record it as the next version."""
    with uploaded_copy(web, upload) as document:
        revision = Revision(signoff_id, document, note, actor(request))
        revised = revise_signoff(web.db, web.settings, revision, now=utc_now(), text_of=extract_text)
    return revised.version.version
