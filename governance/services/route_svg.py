"""A route picture (``route_picture``) as standalone SVG markup: no scripts, no external fonts, every
piece of text XML-escaped. Dark text on white for print; meetings and reviews differ by shape (rounded
corners) and by their label, never by colour alone; a stage that runs only for a tag is dashed."""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from governance.domain.route import StageKind
from governance.services.route_picture import (
    BOLD,
    FONT_SIZES,
    MARGIN,
    PADDING,
    Arrow,
    Box,
    Frame,
    RoutePicture,
    TextLine,
)

TEXT = "#0b0c0c"
BORDER = "#505a5f"
FRAME_FILL = "#f3f2f1"
FONTS = "Arial, Helvetica, sans-serif"  # the reader's own fonts: nothing is fetched
MEETING_CORNER = 16
ARROW_HEAD = 8


def render_svg(picture: RoutePicture) -> str:
    """The picture as an ``<svg>`` element, described by its ``<title>`` and ``<desc>``."""
    title_id, desc_id = f"route-{picture.route_id}-title", f"route-{picture.route_id}-desc"
    parts = [
        '<svg xmlns="http://www.w3.org/2000/svg" role="img"'
        f" aria-labelledby={quoteattr(f'{title_id} {desc_id}')}"
        f' viewBox="0 0 {picture.width} {picture.height}" width="100%" preserveAspectRatio="xMidYMin meet"'
        f" font-family={quoteattr(FONTS)} data-route={quoteattr(picture.route_id)}>",
        f"<title id={quoteattr(title_id)}>{escape(picture.title)}</title>",
        f"<desc id={quoteattr(desc_id)}>{escape(picture.description)}</desc>",
        f'<rect x="0" y="0" width="{picture.width}" height="{picture.height}" fill="#ffffff"/>',
        *texts(picture.heading, x=MARGIN, y=MARGIN),
    ]
    for row in picture.rows:
        if row.frame is not None:
            parts += frame_svg(row.frame)
        parts += [part for box in row.boxes for part in box_svg(box)]
    parts += [arrow_svg(arrow) for arrow in picture.arrows]
    parts.append("</svg>")
    return "\n".join(parts)


def box_svg(box: Box) -> list[str]:
    """A stage's ``<g data-stage>``: its outline and its lines of text."""
    corner = MEETING_CORNER if box.kind is StageKind.MEETING else 0
    dashes = ' stroke-dasharray="8 5"' if box.conditional else ""
    width = 3 if box.kind is StageKind.MEETING else 2
    return [
        f"<g data-stage={quoteattr(box.stage_id)} data-kind={quoteattr(box.kind.value)}>",
        f'<rect x="{box.x}" y="{box.y}" width="{box.width}" height="{box.height}" rx="{corner}"'
        f' fill="#ffffff" stroke="{BORDER}" stroke-width="{width}"{dashes}/>',
        *texts(box.lines, x=box.x + PADDING, y=box.y),
        "</g>",
    ]


def frame_svg(frame: Frame) -> list[str]:
    """A parallel group's frame and label."""
    return [
        f"<g data-group={quoteattr(frame.group_id)}>",
        f'<rect x="{frame.x}" y="{frame.y}" width="{frame.width}" height="{frame.height}"'
        f' fill="{FRAME_FILL}" stroke="{BORDER}" stroke-width="1"/>',
        *texts(frame.lines, x=frame.x + PADDING, y=frame.y),
        "</g>",
    ]


def texts(lines: tuple[TextLine, ...], *, x: int, y: int) -> list[str]:
    """Each line as a ``<text>`` at ``x``, its baseline ``dy`` below ``y``."""
    return [
        f'<text x="{x}" y="{y + line.dy}" font-size="{FONT_SIZES[line.style]}" font-weight="{weight(line)}"'
        f' fill="{TEXT}">{escape(line.text)}</text>'
        for line in lines
    ]


def weight(line: TextLine) -> str:
    return "bold" if line.style in BOLD else "normal"


def arrow_svg(arrow: Arrow) -> str:
    """A line down to an arrowhead that touches the next row."""
    tip_x, tip_y = arrow.x2, arrow.y2
    base = tip_y - ARROW_HEAD - 2
    head = f"{tip_x - ARROW_HEAD},{base} {tip_x + ARROW_HEAD},{base} {tip_x},{tip_y}"
    return (
        f'<g aria-hidden="true"><line x1="{arrow.x1}" y1="{arrow.y1}" x2="{tip_x}" y2="{tip_y - ARROW_HEAD}"'
        f' stroke="{BORDER}" stroke-width="2"/><polygon points="{head}" fill="{BORDER}"/></g>'
    )
