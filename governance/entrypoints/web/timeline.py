"""A sign-off's timeline page and its key dates as a calendar file (``key-dates.ics``)."""

from __future__ import annotations

from typing import Any

from fastapi import HTTPException
from fastapi.responses import HTMLResponse, Response

from governance.adapters.calendar_files import key_dates_calendar
from governance.domain.errors import PlanningError
from governance.domain.planning import Plan
from governance.domain.signoff import SignOff
from governance.entrypoints.web.key_dates_view import needing_attention, stage_views
from governance.entrypoints.web.rendering import (
    VIEW,
    Web,
    WebDep,
    no_such_signoff,
    page_router,
    visible_or_404,
)
from governance.services.key_dates import plan_of
from governance.services.ports import SignOffNotFound
from governance.services.status import status_of
from governance.services.undelivered import notifications

pages = page_router()


@pages.api_route("/signoffs/{signoff_id}", methods=VIEW)
def timeline(signoff_id: str, web: WebDep) -> HTMLResponse:
    """Key dates and RAG first, what needs attention, then each stage planned beside actual."""
    status, signoff = status_and_signoff(web, signoff_id)
    stages = stage_views(status, plan_or_none(signoff))
    awaiting = list(dict.fromkeys(person for stage in stages for person in stage["awaiting"]))
    return web.page(
        "timeline.html",
        status=status,
        steps=steps_of(stages),
        awaiting=awaiting,
        attention=needing_attention(stages),
        failed=notifications(web.db, failed_only=True, signoff_id=signoff_id),
        organisation=status["organisation"],
    )


@pages.api_route("/signoffs/{signoff_id}/key-dates.ics", methods=VIEW, response_class=Response)
def key_dates_ics(signoff_id: str, web: WebDep) -> Response:
    """Every paper deadline, meeting and decide-by date of the sign-off's plan, for Outlook.

    A sign-off without a target has no plan, so it has no calendar: 404 saying so, rather than an
    empty calendar that would import silently and look like a mistake.
    """
    _, signoff = status_and_signoff(web, signoff_id)
    if signoff.target is None:
        detail = f"The sign-off {signoff.title!r} has no target date, so there are no key dates to add."
        raise HTTPException(status_code=404, detail=detail)
    plan = plan_or_none(signoff)
    if plan is None:
        detail = f"The key dates of {signoff.title!r} cannot be worked out from its route's calendars."
        raise HTTPException(status_code=404, detail=detail)
    return Response(
        key_dates_calendar(plan, title=signoff.title),
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="key-dates-{signoff.id}.ics"'},
    )


def status_and_signoff(web: Web, signoff_id: str) -> tuple[dict[str, Any], SignOff]:
    """The status JSON and the sign-off it was read from, in one read (404 when unknown)."""
    try:
        with web.db.read() as uow:
            signoff = uow.signoffs.get(signoff_id)
            status = status_of(uow, signoff)
    except SignOffNotFound:
        raise no_such_signoff(signoff_id) from None
    visible_or_404(signoff_id, organisation=signoff.route.organisation, lead=signoff.lead)
    return status, signoff


def plan_or_none(signoff: SignOff) -> Plan | None:
    """The sign-off's plan back from its target; None without a target or when it cannot be worked out."""
    try:
        return plan_of(signoff)
    except (PlanningError, OverflowError):
        return None


def steps_of(stages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Stages grouped as the route runs them: a parallel group's members together, in order."""
    steps: list[dict[str, Any]] = []
    for stage in stages:
        group = stage["group"]
        if group is not None and steps and steps[-1]["group"] == group:
            steps[-1]["stages"].append(stage)
        else:
            steps.append({"group": group, "stages": [stage]})
    return steps
