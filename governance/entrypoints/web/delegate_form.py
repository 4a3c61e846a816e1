"""The reviewer's page hands a review to a deputy: ``decision=delegate`` with ``delegate_to``.

The deputy gets a link of their own and decides on the reviewer's behalf; the reviewer's link
then shows who has the review. A refusal (not an email address, oneself, someone who already
reviews the stage, someone the route's ``deputies`` do not list) is a 422 that hands nothing on.
"""

from __future__ import annotations

from fastapi import HTTPException, Request
from fastapi.responses import HTMLResponse

from governance.domain.london_time import utc_now
from governance.entrypoints.web.action_links import (
    NOT_RECOGNISED,
    actor_of,
    lifetime_now,
    notify_change,
    refused_or_recorded,
    show,
    view_or_404,
)
from governance.entrypoints.web.rendering import Web
from governance.services.action_view import LinkState
from governance.services.committee_view import DECIDE
from governance.services.delegation import delegate_by_token

FIELD = "delegate_to"


def delegate(web: Web, token: str, request: Request, delegate_to: str) -> HTMLResponse:
    """Hand the link's review to ``delegate_to``, or show why not (422) with nothing handed on."""
    view = view_or_404(web, token)
    if view.state is not LinkState.OPEN or view.purpose != DECIDE:
        return refused_or_recorded(web, view, token)
    result = delegate_by_token(
        web.db,
        web.settings,
        token,
        delegate_to,
        now=utc_now(),
        actor=actor_of(request),
        lifetime=lifetime_now(web),
    )
    if result is None:
        raise HTTPException(status_code=404, detail=NOT_RECOGNISED)
    after = view_or_404(web, token)
    if result.status == 422:
        context = {"error": result.message, "error_field": FIELD, "delegate_to": delegate_to.strip()}
        return show(web, after, token, status_code=422, **context)
    if not result.handed_on:
        return refused_or_recorded(web, after, token)
    notify_change(web)  # the deputy's invitation is queued: the sender goes at once
    return show(web, after, token, handed_to=result.deputy)
