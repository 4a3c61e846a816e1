"""``signoff timeline ID``: the sign-off's timeline drawn in the terminal with rich.

The rows and the column each date falls in come from ``governance.services.timeline_rows``; this
module only picks a character and a colour for each mark. Every mark and state has a symbol or a
letter as well as a colour, so the picture reads without colour (or printed, or piped).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from governance.entrypoints.cli.common import fail, load_settings, open_database, signoff_id_of

if TYPE_CHECKING:
    from rich.table import Table
    from rich.text import Text

    from governance.services.timeline import Timeline
    from governance.services.timeline_rows import Mark, Scale, StageRow, TimelineRows

# mark -> (character, style); shared by the rows and the legend
MARKS = {
    "PLANNED": ("░", "dim", "planned: start by to decide by"),
    "FORECAST": ("▒", "", "forecast"),
    "ACTUAL": ("█", "", "actual: opened to completed"),
    "PAPER": ("P", "magenta", "paper deadline"),
    "MEETING": ("M", "bold magenta", "meeting"),
    "DEFERRED": ("D", "yellow", "deferred from"),
    "TARGET": ("T", "bold red", "target"),
    "TODAY": ("│", "bold cyan", "today"),
}
# stage state -> (symbol, label, style)
STATES = {
    "approved": ("✓", "approved", "green"),
    "open": ("▶", "open", "cyan"),
    "pending": ("·", "pending", "dim"),
    "rejected": ("✗", "rejected", "red"),
    "changes_requested": ("↺", "changes asked", "yellow"),
    "skipped": ("–", "skipped", "dim"),
}
RAG = {"green": ("G", "green"), "amber": ("A", "yellow"), "red": ("R", "bold red")}
FLAG_STYLE = {"stalled": "bold red", "late": "red", "at risk": "yellow"}
TABLE_OVERHEAD = 8  # the table's separators and padding around three columns
STATE_WIDTH = 15  # "↺ changes asked"
NARROWEST_CHART = 20


def register(app: typer.Typer) -> None:
    app.command("timeline")(timeline)


def timeline(
    signoff_id: str = typer.Argument(..., help="The sign-off: its id, or any unique start of it."),
) -> None:
    """Draw a sign-off's timeline in the terminal: each stage planned, actual and forecast, and key dates."""
    from rich.console import Console

    from governance.domain.london_time import london_date, utc_now
    from governance.services.ports import SignOffNotFound
    from governance.services.timeline import read_timeline
    from governance.services.timeline_rows import timeline_rows

    db = open_database(load_settings())
    now = utc_now()
    try:
        found = read_timeline(db, signoff_id_of(db, signoff_id), now=now)
    except SignOffNotFound as error:
        fail(str(error))
    rows = timeline_rows(found, today=london_date(now))
    console = Console(highlight=False)
    status = found.status
    console.print(f"[bold]{status.title}[/bold]  ({status.id})", markup=True)
    console.print(_summary(found), markup=True)
    console.print(_chart(rows, width=console.width))
    for line in _legend(rows, width=console.width):
        console.print(line, markup=False)


def _summary(found: Timeline) -> str:
    """State, target, forecast, slack and RAG in one line, the RAG as a letter and a colour."""
    status = found.status
    parts = [f"state {status.state.value.replace('_', ' ')}"]
    if status.target:
        parts.append(f"target {status.target}")
        parts.append(f"forecast {status.forecast or 'n/a'}")
    if status.slack_working_days is not None:
        parts.append(f"slack {status.slack_working_days} working days")
    if status.rag in RAG:
        letter, style = RAG[status.rag]
        parts.append(f"RAG [{style}]{letter} {status.rag}[/]")
    return "  ".join(parts)


def _chart(rows: TimelineRows, *, width: int) -> Table:
    """A row per stage (a parallel group's members bracketed), the time axis as the last column."""
    from rich import box
    from rich.table import Table

    from governance.services.timeline_rows import Scale

    names = [len(row.name) + 2 for row in rows.rows]
    name_width = min(max([*names, len("stage")]), max(12, width // 4))
    chart_width = max(NARROWEST_CHART, width - TABLE_OVERHEAD - name_width - STATE_WIDTH)
    scale = Scale(rows.days(), chart_width)
    table = Table(box=box.SIMPLE_HEAD, show_edge=False)
    table.add_column("stage", overflow="fold", width=name_width)
    table.add_column("state", no_wrap=True, width=STATE_WIDTH)
    table.add_column(_axis(scale), no_wrap=True, width=chart_width)
    for step in rows.steps:
        for position, row in enumerate(step):
            bracket = (
                ""
                if len(step) == 1
                else "┌ "
                if position == 0
                else "└ "
                if position == len(step) - 1
                else "├ "
            )
            table.add_row(bracket + row.name, _state(row), _bar(row, scale, rows))
    return table


def _axis(scale: Scale) -> str:
    """The first day at the left, then month names where each month starts and there is room."""
    line = [" "] * scale.width
    first = scale.span.start
    labels = [(0, f"{first.day} {first:%b}"), *scale.month_starts()]
    for column, label in labels:
        room = line[max(column - 1, 0) : column + len(label) + 1]
        if column + len(label) <= scale.width and not "".join(room).strip():
            line[column : column + len(label)] = label
    return "".join(line).rstrip()


def _state(row: StageRow) -> Text:
    from rich.text import Text

    symbol, label, style = STATES.get(row.state.value, ("?", row.state.value, ""))
    text = Text(f"{symbol} {label}", style=style)
    if row.flag:
        text.append(f"\n! {row.flag}", style=FLAG_STYLE.get(row.flag, ""))
    return text


def _bar(row: StageRow, scale: Scale, rows: TimelineRows) -> Text:
    from rich.text import Text

    from governance.services.timeline_rows import cells

    text = Text()
    for mark in cells(row, scale, today=rows.today, target=rows.target):
        character, style = _look(mark, row)
        text.append(character, style=style)
    return text


def _look(mark: Mark | None, row: StageRow) -> tuple[str, str]:
    """The character and style of one column: the actual window in the stage's state colour, the
    forecast in the colour of its flag."""
    if mark is None:
        return " ", ""
    character, style, _meaning = MARKS[mark.name]
    if mark.name == "ACTUAL":
        style = STATES.get(row.state.value, ("", "", ""))[2]
    elif mark.name == "FORECAST":
        style = FLAG_STYLE.get(row.flag or "", "green")
    return character, style


def _legend(rows: TimelineRows, *, width: int) -> list[str]:
    """What each character means (dates of today and the target included), then each state."""
    marks = [f"{character} {meaning}" for character, _style, meaning in MARKS.values()]
    marks[-2] += f" {rows.target}" if rows.target else " (none set)"
    marks[-1] += f" {rows.today}"
    states = [f"{symbol} {label}" for symbol, label, _style in STATES.values()]
    states.append("! needs attention (stalled, late or at risk)")
    rag = [f"{letter} {name}" for name, (letter, _style) in RAG.items()]
    return [*_fit("Key:", marks, width), *_fit("States:", states, width), *_fit("RAG:", rag, width)]


def _fit(heading: str, items: list[str], width: int) -> list[str]:
    """``items`` after ``heading``, three spaces apart, in lines of ``width`` broken between items only."""
    lines: list[list[str]] = [[]]
    for item in items:
        if lines[-1] and len(heading) + 1 + len("   ".join([*lines[-1], item])) > width:
            lines.append([])
        lines[-1].append(item)
    indent = " " * len(heading)
    return [f"{heading if i == 0 else indent} {'   '.join(line)}" for i, line in enumerate(lines)]
