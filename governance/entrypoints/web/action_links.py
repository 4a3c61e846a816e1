"""The reviewer's pages behind an emailed link ``/a/{token}``: see, download, decide.

GET and HEAD never change anything: mail scanners and link previews fetch these links too.
Only the POST of the page's form records a decision, and only once.
"""

from __future__ import annotations

import logging
import mimetypes
from typing import Annotated

from fastapi import Form, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse

from governance.domain.london_time import london_date, utc_now
from governance.domain.rules import Verdict
from governance.entrypoints.web.rendering import VIEW, Web, WebDep, page_router
from governance.services.action_view import ActionView, LinkState, action_view, document_of
from governance.services.audit import Actor, record_link_viewed
from governance.services.signoffs import decide_by_token
from governance.services.tokens import LinkLifetime

log = logging.getLogger("signoff.web")
router = page_router()
NOT_RECOGNISED = "This link is not recognised."
MAX_COMMENT = 10_000


def view_or_404(web: Web, token: str) -> ActionView:
    view = action_view(web.db, token, lifetime=lifetime_now(web))
    if view is None:
        raise HTTPException(status_code=404, detail=NOT_RECOGNISED)
    return view


def lifetime_now(web: Web) -> LinkLifetime:
    return LinkLifetime(today=london_date(utc_now()), working_days=web.settings.link_working_days)


def actor_of(request: Request, who: str = "") -> Actor:
    address = request.client.host if request.client else ""
    return Actor(who, address, request.headers.get("user-agent", "")[:500])


def show(
    web: Web, view: ActionView, token: str, *, status_code: int = 200, **context: object
) -> HTMLResponse:
    """The page for the link's state: the form, the recorded decision, or the closed notice."""
    template = {
        LinkState.OPEN: "action.html",
        LinkState.DECIDED: "action_decided.html",
        LinkState.CLOSED: "action_closed.html",
    }[view.state]
    base = {
        "view": view,
        "token": token,
        "organisation": view.organisation,
        "show_nav": False,
        "error": None,
        "comment": "",
        "just_recorded": False,
        "refused": False,
    }
    return web.page(template, status_code=status_code, **(base | context))


@router.api_route("/a/{token}", methods=VIEW)
def action_page(token: str, web: WebDep, request: Request) -> HTMLResponse:
    """The confirmation page; it records no decision (the audit trail notes that it was opened)."""
    view = view_or_404(web, token)
    record_link_viewed(web.db, token, actor=actor_of(request), now=utc_now(), what=f"{request.method} page")
    return show(web, view, token)


@router.api_route("/a/{token}/document", methods=VIEW, response_class=FileResponse)
def download(token: str, web: WebDep, request: Request) -> FileResponse:
    """The stored document, under its own file name; it records no decision."""
    view = view_or_404(web, token)
    record_link_viewed(
        web.db, token, actor=actor_of(request), now=utc_now(), what=f"{request.method} document"
    )
    path = document_of(view)
    if not path.is_file():
        detail = (
            f"The document file is missing from storage. Please tell {view.lead}, who leads the sign-off."
        )
        raise HTTPException(status_code=404, detail=detail)
    media_type = mimetypes.guess_type(view.document_filename)[0] or "application/octet-stream"
    return FileResponse(path, filename=view.document_filename, media_type=media_type)


@router.post("/a/{token}")
def decide(
    token: str,
    web: WebDep,
    request: Request,
    decision: Annotated[str, Form()] = "",
    comment: Annotated[str, Form()] = "",
    document_sha256: Annotated[str, Form()] = "",
) -> HTMLResponse:
    """Record the reviewer's decision once; a repeat shows the decision already recorded."""
    view = view_or_404(web, token)
    if view.state is not LinkState.OPEN:
        return refused_or_recorded(web, view, token)
    problem = form_problem(view, decision, comment, document_sha256)
    if problem is not None:
        status, message = problem
        return show(web, view, token, status_code=status, error=message, comment=comment)
    result = decide_by_token(
        web.db,
        token,
        verdict=Verdict(decision),
        comment=comment,
        now=utc_now(),
        settings=web.settings,
        actor=actor_of(request),
        lifetime=lifetime_now(web),
    )
    after = view_or_404(web, token)
    if result is None or not result.recorded:
        return refused_or_recorded(web, after, token)
    notify_change(web)
    return show(web, after, token, just_recorded=True)


def refused_or_recorded(web: Web, view: ActionView, token: str) -> HTMLResponse:
    """A POST that records nothing: the decision already made (200), or the closed stage (409)."""
    if view.state is LinkState.DECIDED:
        return show(web, view, token)
    return show(web, view, token, status_code=409, refused=True)


def form_problem(
    view: ActionView, decision: str, comment: str, document_sha256: str
) -> tuple[int, str] | None:
    """What is wrong with the form as posted: an HTTP status and words for the reviewer."""
    if decision not in {verdict.value for verdict in Verdict}:
        return 422, "Choose Approve, Request changes or Reject. Nothing has been recorded yet."
    if len(comment) > MAX_COMMENT:
        return 422, f"Your comment is {len(comment):,} characters long; please keep it under {MAX_COMMENT:,}."
    # The page carries the hash it showed: a decision is about that version, not a later one.
    if document_sha256 and document_sha256 != view.document_sha256:
        return 409, (
            "The document has changed since you opened this page. Nothing has been recorded: "
            "please download and check the current version before deciding."
        )
    return None


def notify_change(web: Web) -> None:
    """Tell the orchestrator at once; the decision is already recorded, so a failure is only logged."""
    if web.on_change is None:
        return
    try:
        web.on_change()
    except Exception:
        log.exception("on_change failed after a decision was recorded; the next poll will pick it up")
