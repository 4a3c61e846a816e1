"""The committees' forward plan page ``/committees``: coming meetings and the papers each will take."""

from __future__ import annotations

from fastapi.responses import HTMLResponse

from governance.adapters.route_files import routes_in
from governance.domain.london_time import london_date, utc_now
from governance.entrypoints.web.rendering import SIGNED_IN, VIEW, WebDep, page_router
from governance.services.forward_plan import forward_plan

pages = page_router()
STATUS_WORDS = {
    "planned": "Planned",
    "forecast": "Forecast",
    "booked": "Booked",
    "submitted": "Paper submitted",
    "late": "Late paper",
    "deferred_here": "Deferred here",
}


@pages.api_route("/committees", methods=VIEW)
def committees(web: WebDep) -> HTMLResponse:
    """Each committee's meetings for the coming year, with their papers and ratifications due."""
    plans = forward_plan(
        web.db, routes_in(web.settings.routes_dir), today=london_date(utc_now()), seen_by=SIGNED_IN.get()
    )
    return web.page("committees.html", plans=plans, status_words=STATUS_WORDS)
