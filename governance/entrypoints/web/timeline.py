"""A sign-off's timeline page and its key dates as a calendar file (``key-dates.ics``)."""

from __future__ import annotations

from datetime import date, time

from fastapi import HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from governance.adapters.calendar_files import CalendarNotes, key_dates_calendar
from governance.adapters.certificate_pdf import certificate_pdf
from governance.domain.london_time import london_date, utc_now
from governance.entrypoints.web.rendering import (
    SIGNED_IN,
    VIEW,
    Web,
    WebDep,
    no_such_signoff,
    page_router,
    visible_or_404,
)
from governance.entrypoints.web.timeline_page import show_timeline
from governance.services.audit import Actor
from governance.services.certificate import certificate_of
from governance.services.ports import SignOffNotFound
from governance.services.status import SignOffStatus
from governance.services.timeline import Timeline, read_timeline
from governance.services.timeline_rows import timeline_rows
from governance.services.timeline_svg import WIDE, render_timeline_svg

pages = page_router()
STILL_RUNNING = ("in_progress", "changes_requested")  # a calendar of a sign-off in these states is live


@pages.api_route("/signoffs/{signoff_id}", methods=VIEW)
def timeline(signoff_id: str, web: WebDep, request: Request) -> HTMLResponse:
    """The picture first, then who is awaited, what can be done, and each stage planned beside actual."""
    return show_timeline(web, request, timeline_or_404(web, signoff_id))


@pages.api_route("/signoffs/{signoff_id}/timeline.svg", methods=VIEW, response_class=Response)
def timeline_svg(signoff_id: str, web: WebDep) -> Response:
    """The timeline picture on its own, for printing or putting in a paper (same access as the page)."""
    view = timeline_or_404(web, signoff_id)
    rows = timeline_rows(view, today=london_date(utc_now()))
    return Response(render_timeline_svg(view, rows, layout=WIDE), media_type="image/svg+xml")


@pages.api_route("/signoffs/{signoff_id}/key-dates.ics", methods=VIEW, response_class=Response)
def key_dates_ics(signoff_id: str, web: WebDep) -> Response:
    """Every paper deadline, meeting and decide-by date of the sign-off's plan, for Outlook.

    A sign-off without a target has no plan, so it has no calendar: 404 saying so, rather than an
    empty calendar that would import silently and look like a mistake.
    """
    view = timeline_or_404(web, signoff_id)
    status = view.status
    if status.target is None:
        detail = f"The sign-off {status.title!r} has no target date, so there are no key dates to add."
        raise HTTPException(status_code=404, detail=detail)
    if view.plan is None:
        detail = f"The key dates of {status.title!r} cannot be worked out from its route's calendars."
        raise HTTPException(status_code=404, detail=detail)
    ended = status.state.value.replace("_", " ") if status.state.value not in STILL_RUNNING else None
    notes = CalendarNotes(link=f"{web.settings.base_url.rstrip('/')}/signoffs/{status.id}", ended=ended)
    return Response(
        key_dates_calendar(
            view.plan,
            title=status.title,
            booked=booked_meetings(status),
            times=meeting_times(status),
            notes=notes,
        ),
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="key-dates-{status.id}.ics"'},
    )


@pages.api_route("/signoffs/{signoff_id}/certificate.pdf", methods=VIEW, response_class=Response)
def certificate(signoff_id: str, web: WebDep, request: Request) -> Response:
    """The completion certificate as a PDF, at any time (marked in progress until the sign-off ends)."""
    timeline_or_404(web, signoff_id)  # 404 for an unknown sign-off, or one this person may not see
    account = SIGNED_IN.get()
    who = account.email if account else ""
    address = request.client.host if request.client else ""
    made = certificate_of(web.db, signoff_id, actor=Actor(who, address), now=utc_now())
    return Response(
        certificate_pdf(made),
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="certificate-{signoff_id}.pdf"'},
    )


def booked_meetings(status: SignOffStatus) -> dict[str, tuple[date | None, date | None]]:
    """Each meeting stage's booked meeting and paper deadline, as the sign-off runs."""
    return {s.id: (s.booked.meeting, s.booked.paper_deadline) for s in status.stages if s.booked}


def meeting_times(status: SignOffStatus) -> dict[str, time]:
    """Each meeting stage's time of day, when its calendar gives one."""
    return {s.id: s.booked.at for s in status.stages if s.booked and s.booked.at}


def timeline_or_404(web: Web, signoff_id: str) -> Timeline:
    """The sign-off's timeline read model (404 when unknown)."""
    try:
        view = read_timeline(web.db, signoff_id)
    except SignOffNotFound:
        raise no_such_signoff(signoff_id) from None
    visible_or_404(signoff_id, organisation=view.status.organisation, lead=view.status.lead)
    return view
