"""A route laid out as a picture, and that picture as SVG: boxes, rows, the words in them, escaping."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date, time, timedelta
from typing import Any

from governance.domain.committee_stage import Booking
from governance.domain.route import (
    ApprovalRule,
    Calendar,
    ParallelGroup,
    Route,
    RuleKind,
    Stage,
    StageKind,
)
from governance.services.route_picture import (
    BOLD,
    BOLD_CHAR_WIDTH,
    CHAR_WIDTH,
    FONT_SIZES,
    PADDING,
    picture_for,
    route_picture,
)
from governance.services.route_svg import render_svg

TODAY = date(2027, 1, 4)
SVG = "{http://www.w3.org/2000/svg}"
BOARD = Calendar("board", "ICB Board", paper_deadline_working_days=10, time=time(14, 0))


def review(stage_id: str, name: str, reviewers: int, rule: ApprovalRule, **extra: Any) -> Stage:
    people = tuple(f"{stage_id}.{n}@example.nhs.uk" for n in range(1, reviewers + 1))
    return Stage(stage_id, name, StageKind.REVIEW, people, rule, 5, **extra)


def board_meeting(name: str = "ICB Board") -> Stage:
    secretary = ("board.secretary@example.nhs.uk",)
    return Stage("board", name, StageKind.MEETING, secretary, ApprovalRule(RuleKind.ANY), 3, calendar="board")


def example_route(name: str = "Contracts over £250k") -> Route:
    return Route(
        id="contracts",
        name=name,
        organisation="NHS Example ICB",
        steps=(
            review("finance", "Finance review", 3, ApprovalRule(RuleKind.ALL), veto=("cfo@example.nhs.uk",)),
            ParallelGroup(
                "assurance",
                (
                    review("legal", "Legal review", 4, ApprovalRule(RuleKind.ANY), when_tag="financial"),
                    review("clinical", "Clinical review", 5, ApprovalRule(RuleKind.QUORUM, 2)),
                ),
            ),
            board_meeting(),
        ),
        calendars={"board": BOARD},
    )


class FortnightlyMeetings:
    """A committee meeting every other Wednesday from 6 January 2027, papers due a week before."""

    first = date(2027, 1, 6)

    def first_from(self, stage: Stage, day: date) -> Booking | None:
        meeting = self.first
        while meeting < day:
            meeting += timedelta(days=14)
        return Booking(meeting, meeting - timedelta(days=7))

    def after(self, stage: Stage, meeting: date) -> Booking | None:
        return self.first_from(stage, meeting + timedelta(days=1))


def parsed(markup: str) -> ET.Element:
    return ET.fromstring(markup)  # noqa: S314 - markup the product just made, parsed to check it


def box(picture, stage_id):
    return next(b for b in picture.boxes if b.stage_id == stage_id)


def texts(found) -> str:
    return " ".join(line.text for line in found.lines)


def test_there_is_one_box_per_stage_in_route_order_from_top_to_bottom():
    picture = route_picture(example_route(), today=TODAY)
    assert [b.stage_id for b in picture.boxes] == ["finance", "legal", "clinical", "board"]
    assert box(picture, "finance").y < box(picture, "legal").y < box(picture, "board").y
    assert len(picture.arrows) == 2
    assert all(arrow.y1 < arrow.y2 for arrow in picture.arrows)


def test_a_parallel_groups_members_share_a_row_side_by_side_inside_its_frame():
    picture = route_picture(example_route(), today=TODAY)
    row = picture.rows[1]
    legal, clinical = row.boxes
    assert row.frame is not None
    assert row.frame.group_id == "assurance"
    assert (legal.y, legal.height) == (clinical.y, clinical.height)
    assert legal.x + legal.width < clinical.x
    assert row.frame.x <= legal.x
    assert clinical.x + clinical.width <= row.frame.x + row.frame.width
    assert "2 stages open together" in row.frame.label


def test_conditions_approval_rules_and_vetoes_are_written_in_the_boxes():
    picture = route_picture(example_route(), today=TODAY)
    assert "Approvals: all of 3" in box(picture, "finance").facts
    assert "Veto: cfo@example.nhs.uk" in box(picture, "finance").facts
    assert "Only when tagged financial" in box(picture, "legal").facts
    assert "Approvals: any 1 of 4" in box(picture, "legal").facts
    assert "Approvals: quorum 2 of 5" in box(picture, "clinical").facts
    assert box(picture, "legal").conditional
    assert not box(picture, "clinical").conditional


def test_a_committee_shows_its_next_three_meetings_with_their_paper_deadlines():
    picture = route_picture(example_route(), today=TODAY, dates=FortnightlyMeetings())
    facts = box(picture, "board").facts
    assert "Committee: ICB Board" in facts
    assert [fact for fact in facts if fact.startswith("Meeting ")] == [
        "Meeting Wed 6 January 2027 at 2pm, papers due Wed 30 December 2026",
        "Meeting Wed 20 January 2027 at 2pm, papers due Wed 13 January 2027",
        "Meeting Wed 3 February 2027 at 2pm, papers due Wed 27 January 2027",
    ]


def test_the_real_committee_dates_count_paper_deadlines_in_working_days():
    calendar = Calendar("board", "ICB Board", paper_deadline_working_days=2, dates=(date(2027, 1, 13),))
    route = Route("r", "R", "NHS Example ICB", (board_meeting(),), calendars={"board": calendar})
    facts = box(picture_for(route, today=TODAY), "board").facts
    assert "Meeting Wed 13 January 2027, papers due Mon 11 January 2027" in facts


def test_a_committee_without_meetings_ahead_says_so():
    calendar = Calendar("board", "ICB Board", paper_deadline_working_days=2, dates=(date(2026, 1, 13),))
    route = Route("r", "R", "NHS Example ICB", (board_meeting(),), calendars={"board": calendar})
    assert "No meetings in the coming year" in box(picture_for(route, today=TODAY), "board").facts


def test_the_description_says_the_stages_in_order_in_one_sentence():
    description = route_picture(example_route(), today=TODAY).description
    assert description == (
        "Contracts over £250k has 4 stages in this order: Finance review (review); then together "
        "Legal review (review, only when tagged financial) and Clinical review (review); "
        "then ICB Board (committee meeting)."
    )


def test_long_names_wrap_onto_several_lines_that_fit_inside_the_box():
    long_name = "Quality, safeguarding, equality and health inequalities impact assessment review " * 2
    route = Route(
        "r",
        "R",
        "NHS Example ICB",
        (
            ParallelGroup(
                "g", (review("a", long_name, 1, ApprovalRule(RuleKind.ALL)), board_meeting(long_name))
            ),
        ),
        calendars={"board": BOARD},
    )
    picture = route_picture(route, today=TODAY, dates=FortnightlyMeetings())
    for found in picture.boxes:
        name_lines = [line for line in found.lines if line.style == "name"]
        assert len(name_lines) > 2
        for line in found.lines:
            share = BOLD_CHAR_WIDTH if line.style in BOLD else CHAR_WIDTH
            assert len(line.text) * FONT_SIZES[line.style] * share <= found.width - 2 * PADDING
        assert found.lines[-1].dy <= found.height - PADDING


def test_the_svg_is_one_labelled_image_with_a_group_per_stage():
    picture = route_picture(example_route(), today=TODAY, dates=FortnightlyMeetings())
    root = parsed(render_svg(picture))
    assert root.get("role") == "img"
    title_id, desc_id = root.get("aria-labelledby", "").split()
    assert root.find(f"{SVG}title").get("id") == title_id
    assert root.find(f"{SVG}title").text == "Route: Contracts over £250k"
    assert root.find(f"{SVG}desc").get("id") == desc_id
    assert root.get("viewBox") == f"0 0 {picture.width} {picture.height}"
    assert [g.get("data-stage") for g in root.iter(f"{SVG}g") if g.get("data-stage")] == [
        "finance",
        "legal",
        "clinical",
        "board",
    ]
    assert root.find(f"{SVG}script") is None


def test_meetings_and_reviews_differ_by_their_label_and_corners_not_only_colour():
    root = parsed(render_svg(route_picture(example_route(), today=TODAY)))
    groups = {g.get("data-stage"): g for g in root.iter(f"{SVG}g") if g.get("data-stage")}
    assert groups["board"].find(f"{SVG}rect").get("rx") != groups["finance"].find(f"{SVG}rect").get("rx")
    assert groups["board"].find(f"{SVG}text").text == "Committee meeting"
    assert groups["finance"].find(f"{SVG}text").text == "Review"


def test_every_piece_of_text_is_escaped():
    hostile = "<script>alert('x')</script> & \"friends\""
    markup = render_svg(route_picture(example_route(name=hostile), today=TODAY))
    assert "<script>" not in markup
    root = parsed(markup)
    assert root.find(f"{SVG}title").text == f"Route: {hostile}"
    assert hostile in root.find(f"{SVG}desc").text
