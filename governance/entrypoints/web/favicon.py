"""The site's icon: browsers ask every page for ``/favicon.ico``; ``base.html`` links the SVG."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

# A white tick on NHS blue, drawn at any size; a few hundred bytes, so no file to ship.
ICON_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">'
    '<rect width="32" height="32" rx="6" fill="#005eb8"/>'
    '<path d="M8 17l5 5 11-12" fill="none" stroke="#fff" stroke-width="4" '
    'stroke-linecap="round" stroke-linejoin="round"/></svg>'
)
ICON_HEADERS = {"Cache-Control": "public, max-age=86400"}  # it never changes within a release

router = APIRouter(include_in_schema=False)


@router.get("/favicon.svg")
@router.get("/favicon.ico")
def favicon() -> Response:
    """The icon as SVG, under the name browsers ask for and the one the pages link to."""
    return Response(ICON_SVG, media_type="image/svg+xml", headers=ICON_HEADERS)
