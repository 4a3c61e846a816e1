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

from governance.adapters.documents.text_extract import extract_text
from governance.domain.london_time import london_date, utc_now
from governance.domain.rules import REVIEW_VERDICTS
from governance.entrypoints.web.committee_forms import MinuteFields
from governance.entrypoints.web.decision_form import GO_BACK, REASON_NEEDED, Posted
from governance.entrypoints.web.rendering import VIEW, Web, WebDep, page_router
from governance.services.action_view import ActionView, LinkState, action_view, document_of
from governance.services.audit import Actor, record_link_viewed
from governance.services.committee_view import DECIDE, PAPER, RATIFY
from governance.services.committees import paper_submitted_by_token, ratify_by_token
from governance.services.link_decisions import LinkDecision, decide_on_link
from governance.services.reject_view import reject_consequence
from governance.services.reviewer_changes import reviewer_changes
from governance.services.tokens import LinkLifetime

log = logging.getLogger("signoff.web")
router = page_router()
NOT_RECOGNISED = "This link is not recognised."


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
    if view.purpose in (RATIFY, PAPER) and view.state is not LinkState.CLOSED:
        template = f"action_{view.purpose}.html"
    base = {
        "view": view,
        "token": token,
        "organisation": view.organisation,
        "show_nav": False,
        "error": None,
        "error_field": "decision",
        "comment": "",
        "changes": None,
        "reject_needs_reason": view.verdicts == REVIEW_VERDICTS,
        "just_recorded": False,
        "refused": False,
        "fields": MinuteFields(),
    }
    if template == "action.html":
        base["changes"] = reviewer_changes(web.db, view.signoff, view.reviewer, text_of=extract_text)
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
    minute_ref: Annotated[str, Form()] = "",
    amendments: Annotated[str, Form()] = "",
    quorate: Annotated[str, Form()] = "",
    interests: Annotated[str, Form()] = "",
    confirm: Annotated[str, Form()] = "",
    delegate_to: Annotated[str, Form()] = "",
) -> HTMLResponse:
    """Record the reviewer's decision once; a repeat shows the decision already recorded. The link's
    check, the decision and the page shown after it come from one transaction (``decide_on_link``)."""
    if decision == "delegate":  # the review goes to a deputy instead (``delegate_form``)
        from governance.entrypoints.web.delegate_form import delegate

        return delegate(web, token, request, delegate_to)
    fields = MinuteFields(minute_ref, amendments, quorate, interests)
    posted = Posted(decision, comment, document_sha256, confirm, fields)
    done = decide_on_link(
        web.db,
        token,
        ask=posted.asked,
        settings=web.settings,
        now=utc_now(),
        lifetime=lifetime_now(web),
        actor=actor_of(request),
    )
    if done is None:
        raise HTTPException(status_code=404, detail=NOT_RECOGNISED)
    return page_after(web, token, request, done, posted)


def page_after(web: Web, token: str, request: Request, done: LinkDecision, posted: Posted) -> HTMLResponse:
    """The page for a posted form: the decision just recorded, the one made before, the closed stage,
    a committee link's own step, or what to put right (or confirm) before anything is recorded."""
    view = done.view
    if done.recorded:
        notify_change(web)
        return show(web, view, token, just_recorded=True)
    if view.state is not LinkState.OPEN:
        return refused_or_recorded(web, view, token)
    if view.purpose != DECIDE:
        return committee_link(web, view, token, request, decision=posted.decision, fields=posted.fields)
    return held_back(web, view, token, posted)


def held_back(web: Web, view: ActionView, token: str, posted: Posted) -> HTMLResponse:
    """The page for a form that records nothing yet: what is wrong with it, or the reject to confirm."""
    problem = posted.problem(view)
    if problem is None:
        return confirm_reject(web, view, token, comment=posted.comment, go_back=posted.confirm == GO_BACK)
    status, message = problem
    field = "comment" if message == REASON_NEEDED else "decision"
    context = {"error": message, "error_field": field, "comment": posted.comment, "fields": posted.fields}
    return show(web, view, token, status_code=status, **context)


def confirm_reject(web: Web, view: ActionView, token: str, *, comment: str, go_back: bool) -> HTMLResponse:
    """The step before a reject is recorded: what it will do, and the same form with ``confirm=yes``;
    or, when the reviewer went back, the decision form again with their comment kept."""
    if go_back:
        return show(web, view, token, comment=comment)
    consequence = reject_consequence(view.signoff, view.stage, view.reviewer)
    return web.page(
        "action_confirm.html",
        view=view,
        organisation=view.organisation,
        show_nav=False,
        comment=comment,
        consequence=consequence,
    )


def refused_or_recorded(web: Web, view: ActionView, token: str) -> HTMLResponse:
    """A POST that records nothing: the decision already made (200), or the closed stage (409)."""
    if view.state is LinkState.DECIDED:
        return show(web, view, token)
    return show(web, view, token, status_code=409, refused=True)


def committee_link(
    web: Web, view: ActionView, token: str, request: Request, *, decision: str, fields: MinuteFields
) -> HTMLResponse:
    """A ratification (``decision=ratify`` with ``minute_ref``) or the lead's paper submitted."""
    now, actor = utc_now(), actor_of(request)
    if view.purpose == RATIFY:
        if decision != "ratify" or not fields.minute_ref.strip():
            message = "Enter the minute reference of the ratification. Nothing has been recorded yet."
            return show(web, view, token, status_code=422, error=message, fields=fields)
        result = ratify_by_token(web.db, token, minute_ref=fields.minute_ref, now=now, actor=actor)
    else:
        result = paper_submitted_by_token(web.db, token, now=now, actor=actor)
    after = view_or_404(web, token)
    if result is None or not result.recorded:
        return show(web, after, token, status_code=409, refused=True)
    notify_change(web)
    return show(web, after, token, just_recorded=True)


def notify_change(web: Web) -> None:
    """Tell the orchestrator at once; the decision is already recorded, so a failure is only logged."""
    if web.on_change is None:
        return
    try:
        web.on_change()
    except Exception:
        log.exception("on_change failed after a decision was recorded; the next poll will pick it up")
