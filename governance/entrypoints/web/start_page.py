"""Starting a sign-off from the web: ``/signoffs/new``, for signed-in officers and leads.

The same use case as ``signoff start``: the document is stored as version 1 and the orchestrator
(woken through ``on_change``) opens the first stage. The form is same-site only, as every POST is
(``guards.SameSiteOnly``). A form with problems comes back with an error summary and everything
typed kept, except the file, which browsers never let a page fill in again.
"""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from governance.domain.london_time import london_date, utc_now
from governance.entrypoints.web.action_links import notify_change
from governance.entrypoints.web.rendering import SIGNED_IN, VIEW, Web, WebDep, page_router, web_of
from governance.entrypoints.web.start_form import (
    StartFields,
    Upload,
    check,
    megabytes,
    routes_for,
)
from governance.entrypoints.web.uploads import uploaded_copy
from governance.services.signoffs import start_signoff

pages = page_router()
FORM_SLACK_BYTES = 64 * 1024  # room for the text fields and multipart framing beside the file
FIELD_ORDER = ("route", "title", "document", "lead", "target-day", "tags")


@pages.api_route("/signoffs/new", methods=VIEW)
def start_form(web: WebDep) -> HTMLResponse:
    """The empty form, the lead's address filled in for a lead."""
    account = SIGNED_IN.get()
    lead = "" if account is None or account.is_officer else account.email
    return form_page(web, StartFields(lead=lead))


@pages.post("/signoffs/new", response_model=None)
async def start_submit(request: Request) -> Response:
    """Check the form, then start the sign-off and open its timeline (303); 422 with the problems."""
    web = web_of(request)
    limit = web.settings.max_upload_bytes
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit + FORM_SLACK_BYTES:
        problem = f"The document must be smaller than {megabytes(limit)}. Nothing has been started."
        return form_page(web, StartFields(), errors={"document": problem}, status_code=413)
    form = await request.form(max_files=1, max_fields=len(FIELD_ORDER) + 4)
    fields = StartFields(**{key: str(form.get(name) or "") for key, name in FORM_NAMES.items()})
    chosen = form.get("document")
    upload = chosen if isinstance(chosen, UploadFile) and chosen.filename else None
    try:
        return await run_in_threadpool(start_from_form, web, fields, upload)
    finally:
        await form.close()


FORM_NAMES = {
    "route": "route",
    "title": "title",
    "lead": "lead",
    "target_day": "target-day",
    "target_month": "target-month",
    "target_year": "target-year",
    "tags": "tags",
}


def start_from_form(web: Web, fields: StartFields, upload: UploadFile | None) -> Response:
    account = SIGNED_IN.get()
    described = Upload(upload.filename or "", upload.size or 0) if upload else None
    checked = check(
        fields,
        described,
        account=account,
        routes_dir=web.settings.routes_dir,
        today=london_date(utc_now()),
        max_bytes=web.settings.max_upload_bytes,
    )
    if checked.errors or upload is None:
        return form_page(web, fields, errors=checked.errors, status_code=422)
    with uploaded_copy(web, upload) as document:
        signoff_id = start_signoff(web.db, web.settings, checked.request(fields, document), now=utc_now())
    notify_change(web)
    return RedirectResponse(f"/signoffs/{signoff_id}", status_code=303)


def form_page(
    web: Web, fields: StartFields, *, errors: dict[str, str] | None = None, status_code: int = 200
) -> HTMLResponse:
    errors = errors or {}
    ordered = [(name, errors[name]) for name in FIELD_ORDER if name in errors]
    account = SIGNED_IN.get()
    return web.page(
        "start.html",
        status_code=status_code,
        fields=fields,
        errors=errors,
        ordered_errors=ordered,
        routes=routes_for(account, web.settings.routes_dir),
        max_size=megabytes(web.settings.max_upload_bytes),
        lead_only=account is not None and not account.is_officer,
    )
