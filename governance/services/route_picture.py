"""A route laid out as a picture: one box per stage, top to bottom in route order, a parallel group's
stages side by side in a frame, arrows between the rows; rendered by ``route_svg``.

The layout is plain arithmetic on frozen values, so it is the same for the same route and day. Text is
wrapped by counting characters against a generous estimate of their width, so it stays inside its box.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from itertools import pairwise

from governance.domain.route import ParallelGroup, Route, Stage, StageKind, Step, members_of
from governance.services.dates import committee_dates
from governance.services.route_facts import KIND_LABELS, MeetingSource, meetings_of, stage_facts, summary

WIDTH = 720  # the narrowest canvas; a wide parallel group widens it
MARGIN = 24
GAP = 16  # between the boxes of a row
ROW_GAP = 40  # between rows: room for an arrow
PADDING = 12  # inside a box or a frame
MIN_BOX_WIDTH = 200


class LineStyle(StrEnum):
    TITLE = "title"
    KIND = "kind"
    NAME = "name"
    FACT = "fact"


FONT_SIZES = {LineStyle.TITLE: 20, LineStyle.KIND: 13, LineStyle.NAME: 16, LineStyle.FACT: 14}
BOLD = frozenset({LineStyle.TITLE, LineStyle.KIND, LineStyle.NAME})
# A character's width as a share of the font size: above Arial's average, so that wrapped lines fit.
CHAR_WIDTH, BOLD_CHAR_WIDTH = 0.6, 0.66
# Where a line may break: after a space, an @ or a dot (a word with its trailing separator).
BREAKS = re.compile(r"[^\s@.]*(?:[@.]+|\s+)|[^\s@.]+")


@dataclass(frozen=True)
class TextLine:
    """One line of text; ``dy`` is its baseline below the top of what holds it."""

    text: str
    style: LineStyle
    dy: int


@dataclass(frozen=True)
class Box:
    """A stage's box: what it says (``facts``, one sentence each) and the same wrapped into ``lines``."""

    stage_id: str
    name: str
    kind: StageKind
    facts: tuple[str, ...]
    lines: tuple[TextLine, ...]
    x: int
    y: int
    width: int
    height: int
    conditional: bool = False  # runs only for sign-offs with a tag: drawn dashed

    @property
    def label(self) -> str:
        """'Committee meeting' or 'Review'."""
        return KIND_LABELS[self.kind]


@dataclass(frozen=True)
class Frame:
    """The frame around a parallel group's boxes, with its label at the top."""

    group_id: str
    label: str
    lines: tuple[TextLine, ...]
    x: int
    y: int
    width: int
    height: int


@dataclass(frozen=True)
class Arrow:
    """From the bottom of one row down to the top of the next."""

    x1: int
    y1: int
    x2: int
    y2: int


@dataclass(frozen=True)
class Row:
    """One step of the route: a stage, or a parallel group's stages in a frame."""

    position: int
    boxes: tuple[Box, ...]
    frame: Frame | None = None

    @property
    def top(self) -> int:
        return self.frame.y if self.frame else self.boxes[0].y

    @property
    def bottom(self) -> int:
        if self.frame:
            return self.frame.y + self.frame.height
        return max(box.y + box.height for box in self.boxes)


@dataclass(frozen=True)
class RoutePicture:
    route_id: str
    title: str  # "Route: <name>"
    organisation: str
    description: str  # one sentence: the stages in order
    heading: tuple[TextLine, ...]  # the title and organisation, from the top margin
    rows: tuple[Row, ...]
    arrows: tuple[Arrow, ...]
    width: int
    height: int

    @property
    def boxes(self) -> tuple[Box, ...]:
        return tuple(box for row in self.rows for box in row.boxes)


def picture_for(route: Route, *, today: date) -> RoutePicture:
    """The route's picture with its committees' meetings from ``today``, on England's working days."""
    return route_picture(route, today=today, dates=committee_dates(route, around=today))


def route_picture(route: Route, *, today: date, dates: MeetingSource | None = None) -> RoutePicture:
    """Lay ``route`` out; with ``dates``, each committee's next meetings from ``today`` are shown."""
    width = canvas_width(route)
    heading, top = stack(
        [(f"Route: {route.name}", LineStyle.TITLE), (route.organisation, LineStyle.FACT)], width - 2 * MARGIN
    )
    rows: list[Row] = []
    top += MARGIN + ROW_GAP // 2
    for position, step in enumerate(route.steps, 1):
        facts = {
            stage.id: stage_facts(route, stage, meetings_of(route, stage, dates, today))
            for stage in members_of(step)
        }
        rows.append(place_row(position, step, facts, top=top, width=width))
        top = rows[-1].bottom + ROW_GAP
    arrows = tuple(Arrow(width // 2, above.bottom, width // 2, below.top) for above, below in pairwise(rows))
    return RoutePicture(
        route_id=route.id,
        title=f"Route: {route.name}",
        organisation=route.organisation,
        description=summary(route),
        heading=heading,
        rows=tuple(rows),
        arrows=arrows,
        width=width,
        height=top - ROW_GAP + MARGIN,
    )


def canvas_width(route: Route) -> int:
    """Wide enough for the widest parallel group's boxes at their narrowest."""
    widest = max((len(step.members) for step in route.steps if isinstance(step, ParallelGroup)), default=1)
    return max(WIDTH, 2 * MARGIN + 2 * PADDING + widest * MIN_BOX_WIDTH + (widest - 1) * GAP)


def place_row(position: int, step: Step, facts: dict[str, tuple[str, ...]], *, top: int, width: int) -> Row:
    """A row: one full-width box, or a labelled frame with the group's boxes side by side."""
    inner = width - 2 * MARGIN
    if not isinstance(step, ParallelGroup):
        lines, height = box_lines(step, facts[step.id], inner)
        return Row(position, (make_box(step, facts[step.id], lines, MARGIN, top, inner, height),))
    label = f"In parallel: these {len(step.members)} stages open together ({step.id})"
    label_lines, label_height = stack([(label, LineStyle.FACT)], inner - 2 * PADDING)
    count = len(step.members)
    box_width = (inner - 2 * PADDING - (count - 1) * GAP) // count
    wrapped = [box_lines(stage, facts[stage.id], box_width) for stage in step.members]
    height = max(box_height for _, box_height in wrapped)
    box_top = top + PADDING + label_height + PADDING
    boxes = tuple(
        make_box(
            stage,
            facts[stage.id],
            lines,
            MARGIN + PADDING + index * (box_width + GAP),
            box_top,
            box_width,
            height,
        )
        for index, (stage, (lines, _)) in enumerate(zip(step.members, wrapped, strict=True))
    )
    frame_lines = tuple(TextLine(line.text, line.style, line.dy + PADDING) for line in label_lines)
    frame = Frame(step.id, label, frame_lines, MARGIN, top, inner, box_top + height + PADDING - top)
    return Row(position, boxes, frame)


def make_box(
    stage: Stage, facts: tuple[str, ...], lines: tuple[TextLine, ...], x: int, y: int, width: int, height: int
) -> Box:
    return Box(
        stage.id, stage.name, stage.kind, facts, lines, x, y, width, height, stage.when_tag is not None
    )


def box_lines(stage: Stage, facts: tuple[str, ...], width: int) -> tuple[tuple[TextLine, ...], int]:
    """The box's lines (kind, name, facts) wrapped to its width, and the box's height."""
    pieces = [(KIND_LABELS[stage.kind], LineStyle.KIND), (stage.name, LineStyle.NAME)]
    pieces += [(fact, LineStyle.FACT) for fact in facts]
    lines, height = stack(pieces, width - 2 * PADDING)
    return tuple(TextLine(line.text, line.style, line.dy + PADDING) for line in lines), height + 2 * PADDING


def stack(pieces: list[tuple[str, LineStyle]], width: int) -> tuple[tuple[TextLine, ...], int]:
    """Pieces of text wrapped to ``width`` and stacked from 0; with the height they take."""
    lines: list[TextLine] = []
    height = 0
    for text, style in pieces:
        for part in wrap(text, style, width):
            size = FONT_SIZES[style]
            lines.append(TextLine(part, style, height + size))
            height += round(size * 1.4)
    return tuple(lines), height


def wrap(text: str, style: LineStyle, width: int) -> list[str]:
    """``text`` in lines of at most as many characters as fit in ``width``, broken after spaces and
    after the ``@`` and dots of email addresses (a word longer than a line is cut)."""
    share = BOLD_CHAR_WIDTH if style in BOLD else CHAR_WIDTH
    chars = max(1, int(width / (FONT_SIZES[style] * share)))
    lines: list[str] = []
    line = ""
    for atom in BREAKS.findall(" ".join(text.split())):
        if line and len(line + atom.rstrip()) > chars:
            lines.append(line.rstrip())
            line = ""
        line += atom
        while len(line.rstrip()) > chars:
            lines.append(line[:chars].rstrip())
            line = line[chars:].lstrip()
    if line or not lines:
        lines.append(line.rstrip())
    return lines
