"""The timeline picture's marks, its legend and its description in words (for ``timeline_svg``).

The legend lists only what the picture shows; the description says everything the picture does,
stage by stage, for a screen reader (it becomes the SVG's ``<desc>``).
"""

from __future__ import annotations

from datetime import date
from xml.sax.saxutils import escape, quoteattr

from governance.domain.london_time import human_date
from governance.domain.signoff import StageState
from governance.services.route_svg import BORDER, TEXT
from governance.services.timeline import Timeline
from governance.services.timeline_rows import Span, StageRow, TimelineRows

MARKER = 7  # half the size of a one-day mark
COMMITTEE = "#7c2855"
DEFERRED = "#d5281b"
STATE_COLOURS = {
    StageState.APPROVED: "#007f3b",
    StageState.OPEN: "#005eb8",
    StageState.REJECTED: "#d5281b",
    StageState.CHANGES_REQUESTED: "#ffb81c",
    StageState.PENDING: "#768692",
    StageState.SKIPPED: "#aeb7bd",
}
STATE_WORDS = {
    StageState.APPROVED: "Approved",
    StageState.OPEN: "Open",
    StageState.REJECTED: "Rejected",
    StageState.CHANGES_REQUESTED: "Changes asked for",
    StageState.PENDING: "To come",
    StageState.SKIPPED: "Skipped",
}
SWATCH, ITEM_GAP, LEGEND_LINE, CHAR = 24, 18, 22, 7.5


def text_svg(
    x: float,
    y: float,
    text: str,
    *,
    size: int = 13,
    bold: bool = False,
    fill: str = TEXT,
    anchor: str = "start",
) -> str:
    """One line of escaped text with its baseline at ``y``."""
    weight = ' font-weight="bold"' if bold else ""
    return (
        f'<text x="{x}" y="{y}" font-size="{size}"{weight} text-anchor="{anchor}" fill="{fill}">'
        f"{escape(text)}</text>"
    )


def marker_svg(mark: str, cx: float, cy: float, *, day: date | None = None) -> str:
    """A one-day mark centred on (cx, cy): meeting diamond, paper triangle, deferral cross."""
    when = f' data-day="{day.isoformat()}"' if day else ""
    s = MARKER
    if mark == "meeting":
        points = f"{cx},{cy - s} {cx + s},{cy} {cx},{cy + s} {cx - s},{cy}"
        shape = f'<polygon points="{points}" fill="{COMMITTEE}" stroke="{TEXT}" stroke-width="1"/>'
    elif mark == "paper":
        points = f"{cx - s},{cy - s} {cx + s},{cy - s} {cx},{cy + s}"
        shape = f'<polygon points="{points}" fill="#ffffff" stroke="{COMMITTEE}" stroke-width="2"/>'
    else:
        shape = (
            f'<path d="M{cx - s},{cy - s} L{cx + s},{cy + s} M{cx + s},{cy - s} L{cx - s},{cy + s}"'
            f' stroke="{DEFERRED}" stroke-width="3"/>'
        )
    return f'<g data-mark="{mark}"{when}>{shape}</g>'


def legend_items(rows: TimelineRows) -> list[tuple[str, str]]:
    """(mark, words) for each kind of mark the picture shows, in a fixed order."""
    stages = rows.rows
    items: list[tuple[str, str]] = []
    if any(row.planned for row in stages):
        items.append(("planned", "Planned: start by to decide by"))
    for state in STATE_COLOURS:
        if any(row.actual and row.state is state for row in stages):
            items.append((f"actual-{state.value}", f"Actual, {STATE_WORDS[state].lower()}"))
    if any(row.forecast for row in stages):
        items.append(("forecast", "Forecast"))
    for mark, words, found in (
        ("meeting", "Committee meeting", any(row.meetings for row in stages)),
        ("paper", "Paper deadline", any(row.papers for row in stages)),
        ("deferred", "Deferred from this meeting", any(row.deferred for row in stages)),
    ):
        if found:
            items.append((mark, words))
    items.append(("today", "Today"))
    if rows.target is not None:
        items.append(("target", "Target"))
    return items


def swatch(mark: str, x: float, y: float) -> str:
    """What a legend item shows before its words, drawn as in the picture."""
    if mark in ("meeting", "paper", "deferred"):
        return marker_svg(mark, x + SWATCH / 2, y)
    if mark in ("today", "target"):
        colour, dashes = ("#005eb8", "") if mark == "today" else ("#d5281b", ' stroke-dasharray="6 3"')
        middle = x + SWATCH / 2
        return (
            f'<line x1="{middle}" y1="{y - 9}" x2="{middle}" y2="{y + 9}" stroke="{colour}"'
            f' stroke-width="2"{dashes}/>'
        )
    if mark == "planned":
        fill, dashes = "#ffffff", ' stroke-dasharray="4 2"'
    elif mark == "forecast":
        fill, dashes = "url(#hatch)", ""
    else:
        fill, dashes = STATE_COLOURS[StageState(mark.removeprefix("actual-"))], ""
    stroke = TEXT if mark.startswith("actual") else BORDER
    return (
        f'<rect x="{x}" y="{y - 6}" width="{SWATCH}" height="12" fill="{fill}" stroke="{stroke}"'
        f' stroke-width="1.5"{dashes}/>'
    )


def legend_svg(parts: list[str], rows: TimelineRows, *, x: int, y: int, width: int) -> int:
    """Append the legend (items flowing onto as many lines as ``width`` needs); returns the y below it."""
    parts.append('<g data-legend="timeline">')
    parts.append(text_svg(x, y + 14, "Key", size=14, bold=True))
    line_y, left = y + LEGEND_LINE + 12, x
    for mark, words in legend_items(rows):
        item_width = SWATCH + 6 + round(len(words) * CHAR)
        if left > x and left + item_width > x + width:
            line_y, left = line_y + LEGEND_LINE, x
        parts.append(
            f"<g data-legend-item={quoteattr(mark)}>{swatch(mark, left, line_y)}"
            f"{text_svg(left + SWATCH + 6, line_y + 5, words)}</g>"
        )
        left += item_width + ITEM_GAP
    parts.append("</g>")
    return line_y + LEGEND_LINE // 2


def describe(timeline: Timeline, rows: TimelineRows) -> str:
    """Everything the picture shows, in words: the key dates, then each stage in route order."""
    status = timeline.status
    said = [f"{len(rows.rows)} stages, today {human_date(rows.today)}."]
    if status.target:
        said.append(f"Target {human_date(status.target)}.")
    if status.forecast and status.state.value == "in_progress":
        said.append(f"Forecast to finish {human_date(status.forecast)}.")
    if status.rag:
        said.append(f"RAG status {status.rag}.")
    said += [stage_words(row) for row in rows.rows]
    return " ".join(said)


def stage_words(row: StageRow) -> str:
    """One stage in words: 'Legal review: open, stalled; planned Mon 2 Mar to Fri 13 March 2026; ...'."""
    state = STATE_WORDS.get(row.state, row.state.value).lower()
    pieces = [f"{row.name}: {state}" + (f", {row.flag}" if row.flag else "")]
    if row.group:
        pieces.append("runs in parallel")
    for what, span in (("planned", row.planned), ("actual", row.actual), ("forecast", row.forecast)):
        if span:
            pieces.append(f"{what} {span_words(span)}")
    for what, days in (
        ("meeting", row.meetings),
        ("paper deadline", row.papers),
        ("deferred from", row.deferred),
    ):
        pieces += [f"{what} {human_date(day)}" for day in days]
    return "; ".join(pieces) + "."


def span_words(span: Span) -> str:
    if span.start == span.end:
        return f"{human_date(span.start)}"
    return f"{human_date(span.start)} to {human_date(span.end)}"
