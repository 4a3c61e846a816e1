"""A sign-off's timeline as rows on a time axis: one row per stage, parallel members grouped.

Pure layout, shared by every picture of the timeline (the terminal's ``signoff timeline``, and an
SVG later): the row model says which windows and marks each stage has, as dates; ``Scale`` says
which of ``width`` columns (characters, or pixels) each date falls in; ``cells`` says what each
column of a row shows, by ``Mark``, most telling mark on top.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import IntEnum

from governance.domain.london_time import london_date
from governance.domain.signoff import StageState
from governance.services.status import StageStatus
from governance.services.timeline import Timeline

ONE_DAY = timedelta(days=1)
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


class Mark(IntEnum):
    """What a column of a row shows; a higher value is drawn over a lower one."""

    PLANNED = 1  # start-by to decide-by, worked back from the target
    FORECAST = 2  # what is still to come, as forecast today
    ACTUAL = 3  # opened to completed (to today while open)
    PAPER = 4  # a committee's paper deadline
    MEETING = 5  # the committee meeting the stage goes to
    DEFERRED = 6  # a meeting the committee deferred the paper from
    TARGET = 7
    TODAY = 8


@dataclass(frozen=True)
class Span:
    """The days ``start`` to ``end``, both included."""

    start: date
    end: date


@dataclass(frozen=True)
class StageRow:
    """One stage on the time axis: its windows and its one-day marks."""

    stage_id: str
    name: str
    group: str | None
    state: StageState
    flag: str | None  # "stalled", "late" or "at risk": what needs the lead's attention
    planned: Span | None
    actual: Span | None
    forecast: Span | None
    meetings: tuple[date, ...] = ()
    papers: tuple[date, ...] = ()
    deferred: tuple[date, ...] = ()


@dataclass(frozen=True)
class TimelineRows:
    """Every stage's row, grouped as the route runs them (a parallel group's members together)."""

    steps: tuple[tuple[StageRow, ...], ...]
    today: date
    target: date | None

    @property
    def rows(self) -> tuple[StageRow, ...]:
        return tuple(row for step in self.steps for row in step)

    def days(self) -> Span:
        """The first and last day anything on the timeline falls on (today and the target included)."""
        found = [self.today, *([self.target] if self.target else [])]
        for row in self.rows:
            found += [
                d for span in (row.planned, row.actual, row.forecast) if span for d in (span.start, span.end)
            ]
            found += [*row.meetings, *row.papers, *row.deferred]
        return Span(min(found), max(found))


@dataclass(frozen=True)
class Scale:
    """Days ``span`` laid over ``width`` columns, the first day at column 0."""

    span: Span
    width: int

    @property
    def day_count(self) -> int:
        return (self.span.end - self.span.start).days + 1

    def column(self, day: date) -> int:
        """The column ``day`` starts in (``width`` for the day after the last)."""
        offset = min(max((day - self.span.start).days, 0), self.day_count)
        return offset * self.width // self.day_count

    def columns(self, span: Span) -> range:
        """The columns the days of ``span`` cover: at least one, however short the span."""
        first = min(self.column(span.start), self.width - 1)
        return range(first, max(first + 1, self.column(span.end + ONE_DAY)))

    def month_starts(self) -> list[tuple[int, str]]:
        """(column, 'Mar 27') for the first of each month on the axis, for labels."""
        day = self.span.start.replace(day=1)
        found = []
        while day <= self.span.end:
            if day >= self.span.start:
                found.append((self.column(day), f"{MONTHS[day.month - 1]} {day:%y}"))
            day = (day + timedelta(days=32)).replace(day=1)
        return found


def cells(row: StageRow, scale: Scale, *, today: date, target: date | None) -> list[Mark | None]:
    """What each column of ``row`` shows: the highest ``Mark`` that falls in it, or None."""
    shown: list[Mark | None] = [None] * scale.width
    windows = ((Mark.PLANNED, row.planned), (Mark.FORECAST, row.forecast), (Mark.ACTUAL, row.actual))
    days = [(Mark.PAPER, d) for d in row.papers] + [(Mark.MEETING, d) for d in row.meetings]
    days += [(Mark.DEFERRED, d) for d in row.deferred] + [(Mark.TODAY, today)]
    spans = [(mark, span) for mark, span in windows if span] + [(mark, Span(d, d)) for mark, d in days]
    if target is not None:
        spans.append((Mark.TARGET, Span(target, target)))
    for mark, span in spans:
        for column in scale.columns(span):
            current = shown[column]
            shown[column] = mark if current is None or mark > current else current
    return shown


def timeline_rows(timeline: Timeline, *, today: date) -> TimelineRows:
    """The row model of a sign-off's timeline as of ``today``."""
    steps: list[tuple[StageRow, ...]] = []
    forecast_from = today
    for step in timeline.steps:
        rows = tuple(stage_row(stage, today=today, forecast_from=forecast_from) for stage in step.stages)
        steps.append(rows)
        ends = [row.forecast.end for row in rows if row.forecast]
        forecast_from = max([forecast_from, *ends])
    return TimelineRows(tuple(steps), today, timeline.status.target)


def stage_row(stage: StageStatus, *, today: date, forecast_from: date) -> StageRow:
    """One stage's row; a stage yet to be decided is forecast from ``forecast_from`` (the day the
    step before it is forecast to be decided, or today)."""
    meetings, papers, deferred = _committee_days(stage)
    return StageRow(
        stage_id=stage.id,
        name=stage.name,
        group=stage.group,
        state=stage.state,
        flag=_flag(stage),
        planned=Span(stage.start_by, stage.decide_by) if stage.start_by and stage.decide_by else None,
        actual=_actual(stage, today=today),
        forecast=_forecast(stage, today=today, forecast_from=forecast_from),
        meetings=meetings,
        papers=papers,
        deferred=deferred,
    )


def _actual(stage: StageStatus, *, today: date) -> Span | None:
    if stage.opened_at is None:
        return None
    opened = london_date(stage.opened_at)
    if stage.completed_at is not None:
        return Span(opened, max(opened, london_date(stage.completed_at)))
    return Span(opened, max(opened, today)) if stage.state is StageState.OPEN else Span(opened, opened)


def _forecast(stage: StageStatus, *, today: date, forecast_from: date) -> Span | None:
    """From today (open) or when the step before is forecast done (pending) to its forecast decision."""
    decide = stage.forecast_decide
    if decide is None or stage.state not in (StageState.OPEN, StageState.PENDING):
        return None
    start = today if stage.state is StageState.OPEN else forecast_from
    return Span(min(start, decide), decide)


def _committee_days(stage: StageStatus) -> tuple[tuple[date, ...], tuple[date, ...], tuple[date, ...]]:
    """A meeting stage's meeting and paper deadline (as booked, else as planned) and deferrals."""
    booked = stage.booked
    meeting = booked.meeting if booked and booked.meeting else stage.meeting
    paper = booked.paper_deadline if booked and booked.paper_deadline else stage.paper_deadline
    deferred = tuple(d.from_meeting for d in booked.deferrals) if booked else ()
    return (meeting,) if meeting else (), (paper,) if paper else (), deferred


def _flag(stage: StageStatus) -> str | None:
    if stage.stalled:
        return "stalled"
    if stage.late:
        return "late"
    return "at risk" if stage.at_risk else None
