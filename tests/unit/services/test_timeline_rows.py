"""The timeline's row model and its layout: which column each date falls in, what each column shows."""

from __future__ import annotations

from datetime import date

import pytest

from governance.domain.signoff import StageState
from governance.services.timeline import read_timeline
from governance.services.timeline_rows import Mark, Scale, Span, StageRow, cells, timeline_rows
from tests.fakes import FakeStore
from tests.unit.services.fake_signoffs import NOW, started

JAN = Span(date(2027, 1, 1), date(2027, 1, 10))  # ten days


@pytest.mark.parametrize(
    ("width", "day", "column"),
    [
        (10, date(2027, 1, 1), 0),
        (10, date(2027, 1, 10), 9),
        (10, date(2027, 1, 11), 10),  # the day after the last: the right-hand edge
        (10, date(2026, 12, 25), 0),  # before the axis: clamped to its start
        (20, date(2027, 1, 2), 2),  # wider than the days: two columns a day
        (5, date(2027, 1, 2), 0),  # narrower: two days a column
        (5, date(2027, 1, 3), 1),
        (5, date(2027, 1, 10), 4),
    ],
)
def test_a_date_falls_in_the_column_its_share_of_the_axis_puts_it(width, day, column):
    assert Scale(JAN, width).column(day) == column


@pytest.mark.parametrize(
    ("width", "span", "covered"),
    [
        (10, Span(date(2027, 1, 1), date(2027, 1, 10)), range(10)),
        (10, Span(date(2027, 1, 3), date(2027, 1, 4)), range(2, 4)),
        (20, Span(date(2027, 1, 3), date(2027, 1, 3)), range(4, 6)),
        (5, Span(date(2027, 1, 3), date(2027, 1, 3)), range(1, 2)),  # a day is never narrower than a column
        (3, Span(date(2027, 1, 10), date(2027, 1, 10)), range(2, 3)),
        (10, Span(date(2027, 1, 9), date(2027, 2, 1)), range(8, 10)),  # past the axis: cut at its edge
    ],
)
def test_a_window_covers_the_columns_of_its_days_and_at_least_one(width, span, covered):
    assert Scale(JAN, width).columns(span) == covered


def test_month_labels_sit_where_each_month_starts_on_the_axis():
    scale = Scale(Span(date(2026, 12, 15), date(2027, 2, 14)), 62)
    assert scale.month_starts() == [(17, "Jan 27"), (48, "Feb 27")]


ROW = StageRow(
    stage_id="exec",
    name="ICB Executive Committee",
    group=None,
    state=StageState.PENDING,
    flag=None,
    planned=Span(date(2027, 1, 2), date(2027, 1, 8)),
    actual=None,
    forecast=Span(date(2027, 1, 1), date(2027, 1, 5)),
    meetings=(date(2027, 1, 8),),
    papers=(date(2027, 1, 4),),
)
P, F, A, PA, M, T, N = Mark.PLANNED, Mark.FORECAST, Mark.ACTUAL, Mark.PAPER, Mark.MEETING, Mark.TARGET, None


@pytest.mark.parametrize(
    ("row", "today", "target", "shown"),
    [
        (ROW, date(2027, 1, 1), date(2027, 1, 10), [F, F, F, PA, F, P, P, M, N, T]),
        (ROW, date(2027, 1, 4), None, [F, F, F, PA, F, P, P, M, N, N]),  # today (set below) beats the paper
        (
            StageRow("v", "VCSE", None, StageState.APPROVED, None, None, Span(JAN.start, JAN.start), None),
            date(2027, 1, 3),
            None,
            [A, N, N, N, N, N, N, N, N, N],
        ),
    ],
)
def test_each_column_shows_its_most_telling_mark_and_today_beats_them_all(row, today, target, shown):
    expected = list(shown)
    expected[Scale(JAN, 10).column(today)] = Mark.TODAY
    assert cells(row, Scale(JAN, 10), today=today, target=target) == expected


def test_rows_come_in_route_order_with_the_parallel_pair_as_one_step_and_forecasts_chained(
    settings, tmp_path
):
    store = FakeStore()
    signoff_id = started(store, settings, tmp_path)
    today = NOW.date()
    rows = timeline_rows(read_timeline(store, signoff_id, now=NOW), today=today)
    assert [[row.stage_id for row in step] for step in rows.steps] == [
        ["vcse"],
        ["legal", "finance"],
        ["exec"],
    ]
    vcse, legal, finance, meeting = rows.rows
    assert vcse.actual == Span(today, today)
    assert vcse.forecast is not None
    assert vcse.forecast.start == today
    assert legal.actual is None
    assert legal.forecast is not None
    assert legal.forecast.start == vcse.forecast.end
    assert meeting.forecast is not None
    assert finance.forecast is not None
    assert meeting.forecast.start == max(legal.forecast.end, finance.forecast.end)
    assert meeting.meetings
    assert meeting.papers
    assert meeting.papers[0] < meeting.meetings[0]
    assert rows.target == date(2027, 3, 31)
    assert rows.days() == Span(today, date(2027, 3, 31))
