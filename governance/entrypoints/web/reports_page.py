"""``/reports/cycle-times``: how long each route's stages take, as a chart and a table (and CSV)."""

from __future__ import annotations

from fastapi.responses import HTMLResponse, Response

from governance.domain.london_time import london_date, utc_now
from governance.entrypoints.report_csv import cycle_csv, number
from governance.entrypoints.web.cycle_chart import chart_of
from governance.entrypoints.web.rendering import SIGNED_IN, VIEW, WebDep, page_router
from governance.services.cycle_times import read_cycle_times

pages = page_router()


@pages.api_route("/reports/cycle-times", methods=VIEW)
def cycle_times(web: WebDep) -> HTMLResponse:
    """Per route and stage: working days open, response times, deferrals, late papers, on time or late."""
    report = read_cycle_times(web.db, today=london_date(utc_now()), seen_by=SIGNED_IN.get())
    return web.page("cycle_times.html", report=report, chart=chart_of(report), number=number)


@pages.api_route("/reports/cycle-times.csv", methods=VIEW, response_class=Response)
def cycle_times_csv(web: WebDep) -> Response:
    """The same report as CSV with a header row."""
    report = read_cycle_times(web.db, today=london_date(utc_now()), seen_by=SIGNED_IN.get())
    return Response(
        cycle_csv(report),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="cycle-times.csv"'},
    )
