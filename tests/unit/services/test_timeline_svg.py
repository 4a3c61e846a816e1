"""The timeline picture as SVG, parsed back with xml.etree: what it says about itself, one group per
stage, each window and mark where the row model puts it, the legend, and escaping."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from xml.etree import ElementTree as ET

import pytest

from governance.domain.london_time import human_date
from governance.domain.signoff import StageState
from governance.services.timeline import Timeline, read_timeline
from governance.services.timeline_rows import Span, StageRow, TimelineRows, timeline_rows
from governance.services.timeline_svg import NARROW, WIDE, Layout, render_timeline_svg
from tests.fakes import FakeStore
from tests.unit.services.fake_signoffs import NOW, started

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = "<script>alert('x')</script> & \"quoted\""
TODAY = date(2027, 1, 12)
TARGET = date(2027, 3, 31)
DONE = StageRow(
    "vcse", "VCSE leadership", None, StageState.APPROVED, None,
    planned=Span(date(2027, 1, 4), date(2027, 1, 15)), actual=Span(date(2027, 1, 4), date(2027, 1, 8)),
    forecast=None,
)  # fmt: skip
STALLED = StageRow(
    "legal", "ICB legal review", "checks", StageState.OPEN, "stalled",
    planned=Span(date(2027, 1, 18), date(2027, 2, 5)), actual=Span(date(2027, 1, 8), TODAY),
    forecast=Span(TODAY, date(2027, 1, 20)),
)  # fmt: skip
DEFERRED = StageRow(
    "exec", "ICB Executive Committee", "checks", StageState.OPEN, None,
    planned=Span(date(2027, 2, 8), date(2027, 3, 9)), actual=Span(date(2027, 1, 8), TODAY),
    forecast=Span(TODAY, date(2027, 2, 11)),
    meetings=(date(2027, 2, 9),), papers=(date(2027, 1, 29),), deferred=(date(2027, 1, 12),),
)  # fmt: skip
FUTURE = StageRow(
    "board", "ICB Board", None, StageState.PENDING, None,
    planned=Span(date(2027, 3, 10), date(2027, 3, 25)), actual=None,
    forecast=Span(date(2027, 2, 11), date(2027, 3, 4)),
)  # fmt: skip
ROWS = TimelineRows(((DONE,), (STALLED, DEFERRED), (FUTURE,)), TODAY, TARGET)


@pytest.fixture
def timeline(settings, tmp_path) -> Timeline:
    store = FakeStore()
    return read_timeline(store, started(store, settings, tmp_path), now=NOW)


def parsed(timeline: Timeline, rows: TimelineRows = ROWS, layout: Layout = WIDE) -> ET.Element:
    markup = render_timeline_svg(timeline, rows, layout=layout)
    return ET.fromstring(markup)  # noqa: S314 - markup the product just made, parsed to check it


def stage(svg: ET.Element, stage_id: str) -> ET.Element:
    found = svg.find(f".//{SVG}g[@data-stage='{stage_id}']")
    assert found is not None, stage_id
    return found


def marks(element: ET.Element, mark: str) -> list[ET.Element]:
    return element.findall(f".//*[@data-mark='{mark}']")


@pytest.mark.parametrize("layout", [WIDE, NARROW], ids=["wide", "narrow"])
def test_the_picture_is_an_image_with_a_title_and_a_description_that_label_it(timeline, layout):
    svg = parsed(timeline, layout=layout)
    title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
    assert svg.get("role") == "img"
    assert title is not None
    assert desc is not None
    assert title.text == "Timeline of VCSE partnership agreement"
    assert svg.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert (svg.get("width"), svg.get("viewBox", "").split()[2]) == ("100%", str(layout.width))
    assert "ICB legal review: open, stalled" in (desc.text or "")
    assert "ICB Executive Committee: open; runs in parallel" in (desc.text or "")
    assert f"deferred from {human_date(date(2027, 1, 12))}" in (desc.text or "")


@pytest.mark.parametrize("layout", [WIDE, NARROW], ids=["wide", "narrow"])
def test_there_is_one_group_per_stage_in_route_order_and_the_parallel_pair_is_framed(timeline, layout):
    svg = parsed(timeline, layout=layout)
    groups = svg.findall(f".//{SVG}g[@data-stage]")
    assert [g.get("data-stage") for g in groups] == ["vcse", "legal", "exec", "board"]
    frame = svg.find(f".//{SVG}g[@data-group='checks']")
    assert frame is not None
    assert [g.get("data-stage") for g in frame.findall(f"{SVG}g[@data-stage]")] == ["legal", "exec"]


def test_each_stage_has_the_windows_its_row_has_and_no_others(timeline):
    svg = parsed(timeline)
    shown = {
        stage_id: [m for m in ("planned", "actual", "forecast") if marks(stage(svg, stage_id), m)]
        for stage_id in ("vcse", "legal", "exec", "board")
    }
    assert shown == {
        "vcse": ["planned", "actual"],
        "legal": ["planned", "actual", "forecast"],
        "exec": ["planned", "actual", "forecast"],
        "board": ["planned", "forecast"],
    }
    assert marks(stage(svg, "vcse"), "actual")[0].get("data-days") == "2027-01-04/2027-01-08"


def test_a_later_window_is_drawn_further_right(timeline):
    svg = parsed(timeline)
    done = marks(stage(svg, "vcse"), "planned")[0]
    future = marks(stage(svg, "board"), "planned")[0]
    assert float(future.get("x", 0)) > float(done.get("x", 0)) + float(done.get("width", 0))


def test_the_committee_stage_shows_its_meeting_paper_deadline_and_the_meeting_it_was_deferred_from(timeline):
    committee = stage(parsed(timeline), "exec")
    assert [m.get("data-day") for m in marks(committee, "meeting")] == ["2027-02-09"]
    assert [m.get("data-day") for m in marks(committee, "paper")] == ["2027-01-29"]
    assert [m.get("data-day") for m in marks(committee, "deferred")] == ["2027-01-12"]
    assert marks(stage(parsed(timeline), "vcse"), "meeting") == []


def test_the_today_and_target_lines_are_drawn_and_labelled(timeline):
    svg = parsed(timeline)
    (today,) = marks(svg, "today")
    (target,) = marks(svg, "target")
    assert today.get("data-day") == TODAY.isoformat()
    assert target.get("data-day") == TARGET.isoformat()
    assert "".join(today.itertext()) == "Today 12 Jan 2027"
    assert "".join(target.itertext()) == "Target 31 Mar 2027"
    line = target.find(f"{SVG}line")
    assert line is not None
    assert line.get("stroke-dasharray")  # dashed: not told from today's line by colour alone


def test_states_and_flags_are_written_beside_each_stage_not_only_coloured(timeline):
    svg = parsed(timeline)
    words = {sid: " ".join("".join(stage(svg, sid).itertext()).split()) for sid in ("vcse", "legal", "board")}
    assert "VCSE leadership Approved" in words["vcse"]
    assert "ICB legal review Open: stalled" in words["legal"]
    assert "ICB Board To come" in words["board"]
    assert stage(svg, "legal").get("data-flag") == "stalled"


def test_the_legend_lists_each_kind_of_mark_shown_with_words(timeline):
    legend = parsed(timeline).find(f".//{SVG}g[@data-legend]")
    assert legend is not None
    items = {g.get("data-legend-item"): " ".join(g.itertext()) for g in legend.findall(f"{SVG}g")}
    assert items == {
        "planned": "Planned: start by to decide by",
        "actual-open": "Actual, open",
        "actual-approved": "Actual, approved",
        "forecast": "Forecast",
        "meeting": "Committee meeting",
        "paper": "Paper deadline",
        "deferred": "Deferred from this meeting",
        "today": "Today",
        "target": "Target",
    }


def test_the_legend_leaves_out_what_the_picture_does_not_show(timeline):
    rows = TimelineRows(((DONE,),), TODAY, None)
    legend = parsed(timeline, rows).find(f".//{SVG}g[@data-legend]")
    assert legend is not None
    assert [g.get("data-legend-item") for g in legend.findall(f"{SVG}g")] == [
        "planned",
        "actual-approved",
        "today",
    ]
    assert marks(parsed(timeline, rows), "target") == []


def test_hostile_stage_names_and_titles_are_escaped_and_the_svg_still_parses(timeline):
    hostile = replace(timeline, status=replace(timeline.status, title=HOSTILE))
    rows = TimelineRows(((replace(DONE, stage_id='x" onload="alert(1)', name=HOSTILE),),), TODAY, TARGET)
    text = render_timeline_svg(hostile, rows)
    assert "<script>" not in text
    assert "&lt;script&gt;" in text
    svg = ET.fromstring(text)  # noqa: S314 - markup the product just made, parsed to check it
    assert svg.find(f".//{SVG}script") is None
    assert [g.get("data-stage") for g in svg.findall(f".//{SVG}g[@data-stage]")] == ['x" onload="alert(1)']
    assert all(not name.startswith("on") for element in svg.iter() for name in element.attrib)
    assert HOSTILE in " ".join(svg.itertext())


def test_the_rows_of_a_real_signoff_draw_every_stage_of_its_route(timeline):
    svg = parsed(timeline, timeline_rows(timeline, today=NOW.date()))
    assert [g.get("data-stage") for g in svg.findall(f".//{SVG}g[@data-stage]")] == [
        s.id for s in timeline.status.stages
    ]
    assert marks(svg, "today")
