"""A sign-off's timeline (``timeline_rows``) as a Gantt-style SVG: no scripts, no external fonts,
every piece of text XML-escaped (the helpers are ``route_svg``'s).

One ``<g data-stage>`` per stage, a parallel group's members framed together. Each stage has its
planned window (outlined), its actual window (solid, coloured by state), its forecast (hatched),
and one-day marks that differ by shape as well as colour: a diamond for the meeting, a triangle for
the paper deadline, a cross for a meeting the paper was deferred from. A solid line is today, a
dashed one the target. States and flags are written beside each stage, and the legend lists only
what the picture shows, so nothing is said by colour alone. ``WIDE`` puts the stage names in a left
column; ``NARROW`` (for phones) puts them above the bars so that they stay legible at 320 px.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from xml.sax.saxutils import escape, quoteattr

from governance.domain.london_time import human_date
from governance.services.route_picture import LineStyle, TextLine, wrap
from governance.services.route_svg import BORDER, FONTS, FRAME_FILL, TEXT, texts
from governance.services.timeline import Timeline
from governance.services.timeline_legend import (
    STATE_COLOURS,
    STATE_WORDS,
    describe,
    legend_svg,
    marker_svg,
    text_svg,
)
from governance.services.timeline_rows import MONTHS, ONE_DAY, Scale, Span, StageRow, TimelineRows

MARGIN = 12
LINE = 20  # one line of text
BARS = 34  # the bars of one stage: planned above, actual or forecast below
GROUP_PAD = 8
FLAG_COLOUR = "#aa2016"
TODAY_COLOUR = "#005eb8"
TARGET_COLOUR = "#d5281b"
RAG_COLOURS = {"green": "#007f3b", "amber": "#ffb81c", "red": "#d5281b"}
RAG_WORDS = {"green": "on track", "amber": "at risk", "red": "will miss the target"}


@dataclass(frozen=True)
class Layout:
    """The canvas: its width, and the left column for the stage names (0: names above the bars)."""

    name: str
    width: int
    label_width: int

    @property
    def chart_left(self) -> int:
        return MARGIN + self.label_width

    @property
    def chart_width(self) -> int:
        return self.width - self.chart_left - MARGIN


WIDE = Layout("wide", 900, 250)
NARROW = Layout("narrow", 320, 0)


@dataclass
class Canvas:
    """What is drawn so far, top to bottom; ``y`` is where the next piece goes."""

    layout: Layout
    scale: Scale
    y: int = MARGIN
    parts: list[str] = field(default_factory=list)

    def x(self, day: date) -> int:
        return self.layout.chart_left + self.scale.column(day)

    def mid(self, day: date) -> float:
        return (self.x(day) + self.x(day + ONE_DAY)) / 2

    def add(self, *parts: str) -> None:
        self.parts.extend(parts)


def render_timeline_svg(timeline: Timeline, rows: TimelineRows, *, layout: Layout = WIDE) -> str:
    """The timeline as an ``<svg>`` element, summarised by its ``<title>`` and ``<desc>``."""
    canvas = Canvas(layout, Scale(rows.days(), layout.chart_width))
    heading(canvas, timeline)
    axis_top = canvas.y
    canvas.y += 3 * LINE + 4  # the axis labels: months, then today, then the target
    chart_top = canvas.y
    for step in rows.steps:
        step_svg(canvas, step)
    canvas.add(*axis_svg(canvas, rows, top=axis_top, bottom=canvas.y))
    canvas.y += LINE // 2
    canvas.y = legend_svg(canvas.parts, rows, x=MARGIN, y=canvas.y, width=layout.width - 2 * MARGIN)
    return wrap_svg(canvas, timeline, rows, chart_top=chart_top)


def wrap_svg(canvas: Canvas, timeline: Timeline, rows: TimelineRows, *, chart_top: int) -> str:
    """The ``<svg>`` around what the canvas holds, with the hatch its forecasts are filled with."""
    layout, status = canvas.layout, timeline.status
    title_id, desc_id = f"timeline-{layout.name}-title", f"timeline-{layout.name}-desc"
    height = canvas.y + MARGIN
    hatch = f"hatch-{layout.name}"
    body = "\n".join(canvas.parts).replace("url(#hatch)", f"url(#{hatch})")
    return "\n".join(
        [
            '<svg xmlns="http://www.w3.org/2000/svg" role="img"'
            f" aria-labelledby={quoteattr(f'{title_id} {desc_id}')}"
            f' viewBox="0 0 {layout.width} {height}" width="100%" preserveAspectRatio="xMidYMin meet"'
            f" font-family={quoteattr(FONTS)} data-layout={quoteattr(layout.name)}"
            f' data-chart-top="{chart_top}">',
            f"<title id={quoteattr(title_id)}>{escape(f'Timeline of {status.title}')}</title>",
            f"<desc id={quoteattr(desc_id)}>{escape(describe(timeline, rows))}</desc>",
            f'<defs><pattern id="{hatch}" width="6" height="6" patternUnits="userSpaceOnUse"'
            ' patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/>'
            f'<line x1="0" y1="0" x2="0" y2="6" stroke="{BORDER}" stroke-width="3"/></pattern></defs>',
            f'<rect x="0" y="0" width="{layout.width}" height="{height}" fill="#ffffff"/>',
            body,
            "</svg>",
        ]
    )


def heading(canvas: Canvas, timeline: Timeline) -> None:
    """The title, then the target, the forecast and the RAG status in words beside its colour."""
    status, width = timeline.status, canvas.layout.width - 2 * MARGIN
    lines = [
        TextLine(text, LineStyle.NAME, LINE * (i + 1))
        for i, text in enumerate(wrap(status.title, LineStyle.NAME, width))
    ]
    canvas.add(*texts(tuple(lines), x=MARGIN, y=canvas.y))
    canvas.y += LINE * len(lines) + 6
    facts = [f"Target {human_date(status.target)}" if status.target else "No target date"]
    if status.forecast and status.state.value == "in_progress":
        facts.append(f"Forecast {human_date(status.forecast)}")
    x = MARGIN
    if status.rag:
        words = f"RAG {status.rag.capitalize()}: {RAG_WORDS.get(status.rag, status.rag)}"
        canvas.add(
            f'<g data-rag={quoteattr(status.rag)}><rect x="{x}" y="{canvas.y + 4}" width="16" height="16"'
            f' fill="{RAG_COLOURS.get(status.rag, BORDER)}" stroke="{TEXT}"/>'
            f"{text_svg(x + 22, canvas.y + 17, words, size=14, bold=True)}</g>"
        )
        canvas.y += LINE + 4
    for text in wrap(" · ".join(facts), LineStyle.FACT, width):
        canvas.add(text_svg(x, canvas.y + 16, text, size=14))
        canvas.y += LINE
    canvas.y += 6


def step_svg(canvas: Canvas, step: tuple[StageRow, ...]) -> None:
    """A step's stages; a parallel group's members inside a frame labelled as running together."""
    group = step[0].group
    if group is None:
        for row in step:
            stage_svg(canvas, row)
        return
    top = canvas.y
    canvas.y += LINE + GROUP_PAD
    inner: list[str] = []
    outer = canvas.parts
    canvas.parts = inner
    for row in step:
        stage_svg(canvas, row)
    canvas.parts = outer
    canvas.y += GROUP_PAD
    label = f"In parallel: {len(step)} stages"
    canvas.add(
        f"<g data-group={quoteattr(group)}>",
        f'<rect x="{MARGIN / 2}" y="{top}" width="{canvas.layout.width - MARGIN}" height="{canvas.y - top}"'
        f' fill="{FRAME_FILL}" stroke="{BORDER}" stroke-width="1"/>',
        text_svg(MARGIN, top + 15, label, bold=True),
        *inner,
        "</g>",
    )
    canvas.y += 4


def stage_svg(canvas: Canvas, row: StageRow) -> None:
    """One stage's ``<g data-stage>``: its name and state in words, its windows and its marks."""
    layout = canvas.layout
    label = stage_label(
        row, width=layout.label_width - 8 if layout.label_width else layout.width - 2 * MARGIN
    )
    flag = f" data-flag={quoteattr(row.flag)}" if row.flag else ""
    canvas.add(f"<g data-stage={quoteattr(row.stage_id)} data-state={quoteattr(row.state.value)}{flag}>")
    canvas.add(*texts(label, x=MARGIN, y=canvas.y))
    label_height = max(line.dy for line in label) + 6
    bars_top = canvas.y if layout.label_width else canvas.y + label_height
    canvas.add(*bars_svg(canvas, row, top=bars_top))
    canvas.add("</g>")
    canvas.y = max(canvas.y + label_height, bars_top + BARS) + 6


def stage_label(row: StageRow, *, width: int) -> tuple[TextLine, ...]:
    """The stage's name (bold, wrapped), then its state and flag in words."""
    names = wrap(row.name, LineStyle.NAME, width)
    lines = [TextLine(text, LineStyle.NAME, 16 + LINE * i) for i, text in enumerate(names)]
    state = STATE_WORDS.get(row.state, row.state.value.replace("_", " ").capitalize())
    said = f"{state}: {row.flag}" if row.flag else state
    lines.append(TextLine(said, LineStyle.KIND if row.flag else LineStyle.FACT, 16 + LINE * len(names)))
    return tuple(lines)


def bars_svg(canvas: Canvas, row: StageRow, *, top: int) -> list[str]:
    """The planned window above, the actual and forecast windows below, then the one-day marks."""
    parts = []
    if row.planned:
        parts.append(window(canvas, row.planned, "planned", y=top + 2, height=10))
    if row.forecast:
        parts.append(window(canvas, row.forecast, "forecast", y=top + 16, height=14))
    if row.actual:
        colour = STATE_COLOURS.get(row.state, BORDER)
        parts.append(window(canvas, row.actual, "actual", y=top + 16, height=14, fill=colour))
    marks = [("paper", d) for d in row.papers] + [("meeting", d) for d in row.meetings]
    marks += [("deferred", d) for d in row.deferred]
    parts += [marker_svg(mark, canvas.mid(day), top + 23, day=day) for mark, day in marks]
    return parts


def window(canvas: Canvas, span: Span, mark: str, *, y: int, height: int, fill: str | None = None) -> str:
    """A window of days as a rect: planned outlined, forecast hatched, actual solid in its colour."""
    columns = canvas.scale.columns(span)
    x = canvas.layout.chart_left + columns.start
    paint = {"planned": "#ffffff", "forecast": "url(#hatch)"}.get(mark, fill or BORDER)
    dashes = ' stroke-dasharray="4 2"' if mark == "planned" else ""
    when = f"{span.start.isoformat()}/{span.end.isoformat()}"
    return (
        f'<rect data-mark="{mark}" data-days="{when}" x="{x}" y="{y}" width="{len(columns)}"'
        f' height="{height}"'
        f' fill="{paint}" stroke="{TEXT if mark == "actual" else BORDER}" stroke-width="1.5"{dashes}/>'
    )


def axis_svg(canvas: Canvas, rows: TimelineRows, *, top: int, bottom: int) -> list[str]:
    """Month labels and ticks, then the today and target lines over every row, labelled."""
    parts = ['<g data-axis="months" aria-hidden="true">']
    last_end = -1
    for column, label in canvas.scale.month_starts():
        x = canvas.layout.chart_left + column
        parts.append(
            f'<line x1="{x}" y1="{top + LINE}" x2="{x}" y2="{bottom}" stroke="#d8dde0" stroke-width="1"/>'
        )
        if x > last_end:
            parts.append(text_svg(x + 2, top + 14, label))
            last_end = x + 2 + len(label) * 8
    parts.append("</g>")
    parts.append(day_line(canvas, "today", rows.today, top=top + LINE, bottom=bottom))
    if rows.target is not None:
        parts.append(day_line(canvas, "target", rows.target, top=top + LINE, bottom=bottom))
    return parts


def day_line(canvas: Canvas, mark: str, day: date, *, top: int, bottom: int) -> str:
    """A labelled vertical line on ``day``: today solid, the target dashed (and a lane lower)."""
    x = round(canvas.mid(day), 1)
    colour, dashes = (TODAY_COLOUR, "") if mark == "today" else (TARGET_COLOUR, ' stroke-dasharray="6 3"')
    label = f"{'Today' if mark == 'today' else 'Target'} {day.day} {MONTHS[day.month - 1]} {day.year}"
    right_half = x > canvas.layout.chart_left + canvas.layout.chart_width / 2
    anchor, dx = ("end", -4) if right_half else ("start", 4)
    baseline = top + (14 if mark == "today" else 14 + LINE)
    text_colour = colour if mark == "today" else FLAG_COLOUR
    return (
        f'<g data-mark="{mark}" data-day="{day.isoformat()}">'
        f'<line x1="{x}" y1="{top}" x2="{x}" y2="{bottom}" stroke="{colour}" stroke-width="2"{dashes}/>'
        + text_svg(x + dx, baseline, label, bold=True, anchor=anchor, fill=text_colour)
        + "</g>"
    )
