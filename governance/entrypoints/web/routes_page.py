"""A route drawn as a picture, ``/routes/{id}`` (with the same facts as a list) and ``/routes/{id}.svg``.

Like ``/committees`` these pages are for signed-in people (they are not in ``guards.PUBLIC``), and any
signed-in person may see every route, as the forward plan shows every committee.
"""

from __future__ import annotations

import re

from fastapi import HTTPException
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup

from governance.adapters.route_files import RouteFileError, UnknownRoute, find_route
from governance.domain.london_time import london_date, utc_now
from governance.domain.route import Route
from governance.entrypoints.web.rendering import VIEW, Web, WebDep, page_router
from governance.services.route_picture import picture_for
from governance.services.route_svg import render_svg

pages = page_router()
# A route id as route files must write it. Anything else is not looked up at all: ``find_route`` also
# takes file paths, which a web address must never name.
ROUTE_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,99}")


@pages.api_route("/routes/{route_id}.svg", methods=VIEW, response_class=Response)
def route_svg(route_id: str, web: WebDep) -> Response:
    """The route's picture as a standalone SVG image, dated today."""
    picture = picture_for(route_or_404(web, route_id), today=london_date(utc_now()))
    return Response(render_svg(picture), media_type="image/svg+xml")


@pages.api_route("/routes/{route_id}", methods=VIEW)
def route_page(route_id: str, web: WebDep) -> HTMLResponse:
    """The route's picture, then the same stages and facts as a list for screen readers and print."""
    route = route_or_404(web, route_id)
    today = london_date(utc_now())
    picture = picture_for(route, today=today)
    # Markup only because render_svg built this SVG itself and XML-escaped every piece of text in it.
    svg = Markup(render_svg(picture))  # noqa: S704
    return web.page("route.html", organisation=route.organisation, picture=picture, svg=svg, today=today)


def route_or_404(web: Web, route_id: str) -> Route:
    """The route with this id in the routes folder; a clear 404 when there is none (or it is broken)."""
    if not ROUTE_ID.fullmatch(route_id):
        raise HTTPException(status_code=404, detail=f"There is no route with id {route_id!r}.")
    try:
        route, _path = find_route(route_id, routes_dir=web.settings.routes_dir)
    except UnknownRoute as error:
        raise HTTPException(status_code=404, detail=f"There is no route with id {route_id!r}.") from error
    except RouteFileError as error:
        message = (
            f"The route file for {route_id!r} has problems, so the route cannot be shown. "
            "Check it with `signoff routes validate`."
        )
        raise HTTPException(status_code=404, detail=message) from error
    return route
