"""The dashboard ``/signoffs``: every sign-off one may see, most urgent first, with filters and pages."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi.responses import HTMLResponse

from governance.domain.london_time import london_date, utc_now
from governance.entrypoints.web.rendering import SIGNED_IN, VIEW, WebDep, page_router, words
from governance.services.dashboard import RAGS, STATES, Dashboard, FilterRefused, Filters, read_dashboard
from governance.services.undelivered import failed_count

pages = page_router()
STATE_CHOICES = tuple((state, words(state)) for state in STATES)
RAG_CHOICES = tuple((rag, rag.capitalize()) for rag in RAGS)


@pages.api_route("/signoffs", methods=VIEW)
def dashboard(
    web: WebDep, organisation: str = "", state: str = "", rag: str = "", page: str = "1"
) -> HTMLResponse:
    """Sign-offs by urgency, filtered by ``?organisation=&state=&rag=``, 50 a page (``?page=``).

    An unknown filter value or page is answered with the filter form and a message (400), never a 500."""
    given = Filters(organisation.strip(), state.strip(), rag.strip().lower(), 1)
    found: Dashboard | None = None
    error = ""
    try:
        filters = Filters(given.organisation, given.state, given.rag, page_number(page))
        found = read_dashboard(web.db, today=london_date(utc_now()), seen_by=SIGNED_IN.get(), filters=filters)
    except FilterRefused as refused:
        error = str(refused)
    return web.page(
        "dashboard.html",
        status_code=400 if error else 200,
        found=found,
        error=error,
        filters=given,
        filtered=bool(given.organisation or given.state or given.rag),
        state_choices=STATE_CHOICES,
        rag_choices=RAG_CHOICES,
        page_link=lambda number: "/signoffs?" + query_of(given, number),
        failed_count=failed_count(web.db),
        failed=[],
        may_start=SIGNED_IN.get() is not None,
    )


def page_number(text: str) -> int:
    if not text.strip().isdigit():
        msg = f"{text!r} is not a page number: use a whole number from 1."
        raise FilterRefused(msg)
    return int(text)


def query_of(filters: Filters, page: int) -> str:
    """The query string of ``page`` under the same filters (empty filters left out)."""
    given = {"organisation": filters.organisation, "state": filters.state, "rag": filters.rag}
    return urlencode({**{k: v for k, v in given.items() if v}, "page": page})
