"""Route files: every mistake is reported as PATH:LINE: message; valid files become Routes."""

from __future__ import annotations

import json
from datetime import date, datetime, time
from pathlib import Path

import pytest
from dateutil.rrule import rrulestr

from governance.adapters.route_files import (
    Problem,
    RouteFileError,
    UnknownRoute,
    describe_route,
    find_route,
    load_route,
    load_route_with_text,
    parse_route,
    route_to_json,
)
from governance.adapters.route_files.describe import redact_channel
from governance.domain.route import (
    ApprovalRule,
    Calendar,
    ParallelGroup,
    Reminders,
    RuleKind,
    Stage,
    StageKind,
)

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "config" / "routes"
FIXTURES = ROOT / "tests" / "fixtures" / "routes"

# Eleven lines, so the first stage written after it starts on line 12.
HEADER = """\
id: test-route
name: Test route
organisation: NHS Test ICB
calendars:
  exec:
    name: Executive Committee
    meetings:
      rrule: "FREQ=MONTHLY;BYDAY=+2TU"
      dtstart: 2026-01-01
    paper_deadline_working_days: 7
stages:
"""

REVIEW = """\
  - id: legal
    name: Legal review
    kind: review
    reviewers: [legal@icb.example.nhs.uk]
    due_working_days: 10
"""


def problems_in(text: str) -> list[str]:
    """Each problem of a route text as 'LINE: message'."""
    with pytest.raises(RouteFileError) as caught:
        parse_route(text, path="route.yaml")
    return [f"{problem.line}: {problem.message}" for problem in caught.value.problems]


def assert_reported(text: str, expected: str) -> None:
    """Some problem is on the expected line and contains the expected message fragment."""
    line, fragment = expected.split(": ", 1)
    problems = problems_in(text)
    assert any(p.startswith(f"{line}: ") and fragment in p for p in problems), problems


STAGE_MISTAKES = [
    pytest.param(
        REVIEW.replace("    reviewers:", "    reviewer:"),
        "15: unknown key 'reviewer' in stage 'legal' (did you mean 'reviewers'?)",
        id="misspelt key",
    ),
    pytest.param(
        REVIEW.replace("reviewers:", "reviewer:"), "12: missing required key 'reviewers'", id="no reviewers"
    ),
    pytest.param(REVIEW + REVIEW, "17: duplicate stage id 'legal' (lines 12 and 17)", id="duplicate id"),
    pytest.param(
        REVIEW.replace("id: legal", "id: Legal Review"),
        "12: stage id 'Legal Review' should use only",
        id="id",
    ),
    pytest.param(
        REVIEW.replace("legal@icb", "legal at icb"),
        "15: 'legal at icb.example.nhs.uk' is not an email",
        id="email",
    ),
    pytest.param(
        REVIEW.replace("[legal@icb.example.nhs.uk]", "[a@example.org, A@Example.org]"),
        "15: duplicate reviewer 'a@example.org' in stage 'legal' (also at line 15)",
        id="duplicate reviewer",
    ),
    pytest.param(REVIEW + "    approvals: most\n", "17: unknown approval rule 'most'", id="unknown rule"),
    pytest.param(REVIEW + "    approvals: 0\n", "17: unknown approval rule '0'", id="quorum of zero"),
    pytest.param(
        REVIEW + "    approvals: 2\n",
        "17: quorum of 2 in stage 'legal' is larger than the 1 people",
        id="quorum",
    ),
    pytest.param(
        REVIEW.replace("10", "-2"), "16: due_working_days in stage 'legal' should be a whole number", id="neg"
    ),
    pytest.param(
        REVIEW.replace("10", "2.5"), "16: should be a whole number from 1 to 260, got '2.5'", id="fraction"
    ),
    pytest.param(
        REVIEW.replace("    due_working_days: 10\n", ""),
        "12: missing required key 'due_working_days'",
        id="due",
    ),
    pytest.param(
        REVIEW.replace("kind: review", "kind: reveiw"),
        "14: unknown kind 'reveiw' in stage 'legal'",
        id="kind",
    ),
    pytest.param(
        REVIEW.replace("    kind: review\n", ""),
        "12: missing required key 'kind' in stage 'legal'",
        id="no kind",
    ),
    pytest.param(
        REVIEW.replace("    name: Legal review\n", ""),
        "12: missing required key 'name' in stage 'legal'",
        id="no name",
    ),
    pytest.param(
        REVIEW.replace("  - id: legal\n", "  - name: x\n"), "12: missing required key 'id'", id="no id"
    ),
    pytest.param(
        REVIEW + "    escalate_to: [boss]\n",
        "17: 'boss' is neither 'lead' nor an email address",
        id="escalate",
    ),
    pytest.param(
        REVIEW + "    calendar: exec\n",
        "17: 'calendar' is only for meetings; stage 'legal' is a review",
        id="cal",
    ),
    pytest.param(
        "  - legal\n",
        "12: step 1 of stages should be a mapping of keys to values, got 'legal'",
        id="text step",
    ),
    pytest.param("  - parallel: []\n", "12: empty parallel group", id="empty group"),
    pytest.param(
        "  - parallel:\n      - parallel: []\n",
        "13: parallel groups cannot be nested",
        id="nested group",
    ),
]

MEETING = """\
  - id: exec
    name: Executive Committee
    kind: meeting
    calendar: exec
    secretary: [secretary@icb.example.nhs.uk]
"""

MEETING_MISTAKES = [
    pytest.param(
        MEETING.replace("calendar: exec", "calendar: exce"),
        "15: calendar 'exce' in stage 'exec' is not defined under 'calendars' (did you mean 'exec'?)",
        id="undefined calendar",
    ),
    pytest.param(
        MEETING.replace("    calendar: exec\n", ""), "12: missing required key 'calendar'", id="no calendar"
    ),
    pytest.param(
        MEETING.replace("secretary:", "reviewers:"), "12: missing required key 'secretary'", id="no secretary"
    ),
    pytest.param(
        MEETING.replace("secretary:", "reviewers:"),
        "16: go under 'secretary', not 'reviewers'",
        id="reviewers",
    ),
    pytest.param(
        MEETING + "    due_working_days: ten\n", "17: should be a whole number from 1 to 260", id="due"
    ),
]

TOP_LEVEL_MISTAKES = [
    pytest.param(
        "id: a\nname: [1, 2\nstages: []\n", "3: YAML syntax error: expected ',' or ']'", id="syntax"
    ),
    pytest.param("", "1: the file is empty", id="empty file"),
    pytest.param("- id: a\n", "1: a route file should be a mapping of keys to values, got a list", id="list"),
    pytest.param(
        "# about\nid: a\n", "2: missing required key 'organisation' at the top level", id="organisation"
    ),
    pytest.param("id: a\n", "1: missing required key 'stages' at the top level", id="stages"),
    pytest.param(
        HEADER.replace("stages:", "stage:"),
        "11: unknown key 'stage' at the top level (did you",
        id="misspelt",
    ),
    pytest.param(HEADER.replace("stages:\n", "stages: []\n"), "11: stages is empty", id="no stages"),
    pytest.param(
        HEADER.replace("id: test-route", "id: Test Route"), "1: route id 'Test Route' should use", id="id"
    ),
    pytest.param(
        HEADER.replace("name: Test", "id: again\nname: Test"), "2: duplicate key 'id'", id="duplicate key"
    ),
    pytest.param(HEADER + "closures: [2026-02-30]\n", "12: '2026-02-30' is not a valid date", id="date"),
    pytest.param(
        HEADER + "closures: [soon]\n", "12: closures should be a date written YYYY-MM-DD", id="not a date"
    ),
    pytest.param(
        HEADER + "channels: [hook]\n", "12: channel 'hook' should be a notification URL", id="channel"
    ),
    pytest.param(
        HEADER + "defaults: {escalate_to: [boss]}\n", "12: escalate_to in defaults: 'boss'", id="defaults"
    ),
    pytest.param(
        HEADER + "defaults: {remind_every: 2}\n",
        "12: unknown key 'remind_every' in defaults",
        id="defaults key",
    ),
]

CALENDAR_MISTAKES = [
    pytest.param(
        "      dtstart: 2026-01-01\n",
        "",
        "8: needs a dtstart: the date the recurrence counts from",
        id="no dtstart",
    ),
    pytest.param(
        "FREQ=MONTHLY;BYDAY=+2TU", "FREQ=SOMETIMES", "8: invalid rrule 'FREQ=SOMETIMES'", id="bad freq"
    ),
    pytest.param(
        "FREQ=MONTHLY;BYDAY=+2TU", "BYDAY=TU", "8: invalid rrule 'BYDAY=TU' in the meetings", id="no freq"
    ),
    pytest.param(
        "2026-01-01", "2026-13-01", "9: dtstart in the meetings of calendar 'exec': '2026-13-01'", id="date"
    ),
    pytest.param(
        "    paper_deadline_working_days: 7\n", "", "5: missing required key 'paper_deadline", id="deadline"
    ),
    pytest.param(
        "    name: Executive Committee\n", "", "5: missing required key 'name' in calendar", id="name"
    ),
    pytest.param(
        "      rrule", "      rrul", "8: unknown key 'rrul' in the meetings of calendar", id="misspelt"
    ),
]


@pytest.mark.parametrize(("stages", "expected"), STAGE_MISTAKES)
def test_each_mistake_in_a_review_stage_is_reported_at_its_line(stages: str, expected: str) -> None:
    assert_reported(HEADER + stages, expected)


@pytest.mark.parametrize(("stages", "expected"), MEETING_MISTAKES)
def test_each_mistake_in_a_meeting_stage_is_reported_at_its_line(stages: str, expected: str) -> None:
    assert_reported(HEADER + stages, expected)


@pytest.mark.parametrize(("text", "expected"), TOP_LEVEL_MISTAKES)
def test_each_mistake_at_the_top_level_is_reported_at_its_line(text: str, expected: str) -> None:
    assert_reported(text, expected)


@pytest.mark.parametrize(("written", "mistake", "expected"), CALENDAR_MISTAKES)
def test_each_mistake_in_a_calendar_is_reported_at_its_line(
    written: str, mistake: str, expected: str
) -> None:
    assert_reported(HEADER.replace(written, mistake) + REVIEW, expected)


def test_a_duplicate_stage_id_is_reported_with_both_lines() -> None:
    assert "17: duplicate stage id 'legal' (lines 12 and 17)" in problems_in(HEADER + REVIEW + REVIEW)


def test_an_unknown_reviewer_key_is_reported_at_its_line() -> None:
    problems = problems_in(HEADER + REVIEW.replace("reviewers:", "reviewer:"))
    assert "15: unknown key 'reviewer' in stage 'legal' (did you mean 'reviewers'?)" in problems


def test_a_duplicate_id_inside_a_parallel_group_is_reported_with_both_lines() -> None:
    group = "  - parallel:\n" + REVIEW.replace("  ", "      ", 1).replace("\n    ", "\n        ")
    assert "18: duplicate stage id 'legal' (lines 12 and 18)" in problems_in(HEADER + REVIEW + group)


def test_every_problem_in_a_file_is_reported_in_line_order() -> None:
    with pytest.raises(RouteFileError) as caught:
        load_route(FIXTURES / "many-problems.yaml")
    assert [problem.line for problem in caught.value.problems] == [2, 4, 6, 9, 10, 11, 14, 15]


def test_the_error_message_lists_every_problem_as_path_line_message() -> None:
    with pytest.raises(RouteFileError) as caught:
        load_route(FIXTURES / "many-problems.yaml")
    path = str(FIXTURES / "many-problems.yaml")
    assert str(caught.value).splitlines() == [str(problem) for problem in caught.value.problems]
    assert f"{path}:9: unknown key 'reviewer' in stage 'legal' (did you mean 'reviewers'?)" in str(
        caught.value
    )


def test_a_problem_reads_as_path_colon_line_colon_message() -> None:
    assert str(Problem("config/routes/x.yaml", 12, "empty parallel group")) == (
        "config/routes/x.yaml:12: empty parallel group"
    )


def test_a_missing_file_is_a_problem_about_the_whole_file(tmp_path: Path) -> None:
    with pytest.raises(RouteFileError) as caught:
        load_route(tmp_path / "absent.yaml")
    assert caught.value.problems == [Problem(str(tmp_path / "absent.yaml"), 0, "no such route file")]


def test_a_three_stage_route_becomes_a_review_a_parallel_group_and_a_meeting() -> None:
    route = load_route(FIXTURES / "three-stage.yaml")
    first, group, meeting = route.steps
    assert isinstance(first, Stage)
    assert isinstance(group, ParallelGroup)
    assert isinstance(meeting, Stage)
    assert first.reviewers == ("chair@vcse.example.org", "coordinator@vcse.example.org")
    assert group.id == "legal+finance"
    assert [(stage.id, stage.group) for stage in group.members] == [
        ("legal", group.id),
        ("finance", group.id),
    ]
    assert group.members[1].approvals == ApprovalRule(RuleKind.ALL)
    assert (meeting.kind, meeting.calendar, meeting.due_working_days) == (StageKind.MEETING, "exec", None)


def test_a_meetings_secretary_decides_and_one_approval_is_enough() -> None:
    meeting = load_route(FIXTURES / "three-stage.yaml").stage("exec")
    assert meeting.deciders == ("exec.secretary@fixture.example.nhs.uk",)
    assert meeting.approvals == ApprovalRule(RuleKind.ANY)


def test_reminders_fall_back_from_stage_to_defaults_to_built_in_values() -> None:
    route = load_route(FIXTURES / "three-stage.yaml")
    defaults = ("lead", "governance@fixture.example.nhs.uk")
    assert route.stage("vcse-leadership").reminders == Reminders(2, 1, defaults)
    assert route.stage("legal").reminders == Reminders(4, 2, defaults)
    bare = load_route(FIXTURES / "single-review.yml")
    assert bare.stage("review").reminders == Reminders(3, 2, ("lead",))


def test_dates_may_be_written_plain_or_quoted() -> None:
    route = load_route(FIXTURES / "three-stage.yaml")
    assert route.closures == frozenset({date(2026, 12, 24), date(2026, 12, 31)})
    assert route.calendars["exec"].dates == (date(2027, 3, 24),)
    assert route.calendars["exec"].cancelled == (date(2026, 12, 8),)


def test_a_parallel_group_may_be_given_its_own_id() -> None:
    text = (
        HEADER
        + "  - id: checks\n    parallel:\n"
        + REVIEW.replace("  - ", "      - ").replace("\n    ", "\n        ")
    )
    (group,) = parse_route(text, path="route.yaml").steps
    assert isinstance(group, ParallelGroup)
    assert (group.id, group.members[0].group) == ("checks", "checks")


def test_a_quorum_becomes_a_quorum_rule() -> None:
    text = HEADER + REVIEW.replace("[legal@icb.example.nhs.uk]", "[a@example.org, b@example.org]")
    route = parse_route(text + "    approvals: 2\n", path="route.yaml")
    assert route.stage("legal").approvals == ApprovalRule(RuleKind.QUORUM, 2)


def test_load_route_with_text_returns_the_file_exactly_as_written() -> None:
    path = FIXTURES / "three-stage.yaml"
    route, text = load_route_with_text(path)
    assert (route.id, text) == ("three-stage-example", path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", sorted(SHIPPED.glob("*.yaml")), ids=lambda path: path.name)
def test_a_shipped_route_validates_and_is_named_after_its_id(path: Path) -> None:
    route = load_route(path)
    assert route.id == path.stem
    assert route.calendars
    assert describe_route(route)


@pytest.mark.parametrize("path", sorted(SHIPPED.glob("*.yaml")), ids=lambda path: path.name)
def test_every_committee_of_a_shipped_route_meets_between_the_example_start_and_target(path: Path) -> None:
    route = load_route(path)
    for stage in route.stages:
        if stage.calendar is not None:
            calendar = route.calendars[stage.calendar]
            assert meetings_between(calendar, start=date(2026, 12, 1), end=date(2027, 3, 31)), stage.id


def meetings_between(calendar: Calendar, *, start: date, end: date) -> set[date]:
    """A calendar's meetings in a date range: recurrence plus extra dates, minus cancelled ones."""
    days = {day for day in calendar.dates if start <= day <= end}
    if calendar.rrule and calendar.dtstart:
        rule = rrulestr(calendar.rrule, dtstart=midnight(calendar.dtstart))
        days |= {moment.date() for moment in rule.between(midnight(start), midnight(end), inc=True)}
    return days - set(calendar.cancelled)


def midnight(day: date) -> datetime:
    """The start of a day, as dateutil's rrule wants it."""
    return datetime.combine(day, time())


def test_the_shipped_routes_belong_to_two_different_icbs() -> None:
    organisations = {load_route(path).organisation for path in SHIPPED.glob("*.yaml")}
    assert organisations == {"NHS North Example ICB", "NHS South Coast Example ICB"}


def test_find_route_finds_a_route_by_the_id_written_inside_its_file() -> None:
    route, path = find_route("fixture-single-review", routes_dir=FIXTURES)
    assert (route.id, path) == ("fixture-single-review", FIXTURES / "single-review.yml")


def test_find_route_finds_a_route_by_its_path() -> None:
    route, path = find_route(str(FIXTURES / "three-stage.yaml"), routes_dir=SHIPPED)
    assert (route.id, path) == ("three-stage-example", FIXTURES / "three-stage.yaml")


def test_find_route_finds_a_file_name_inside_the_routes_folder() -> None:
    route, path = find_route("three-stage.yaml", routes_dir=FIXTURES)
    assert (route.id, path) == ("three-stage-example", FIXTURES / "three-stage.yaml")


def test_find_route_finds_a_shipped_route_by_id() -> None:
    route, _ = find_route("south-coast-vcse-agreement", routes_dir=SHIPPED)
    assert route.organisation == "NHS South Coast Example ICB"


def test_an_unknown_route_lists_the_known_ids() -> None:
    with pytest.raises(UnknownRoute) as caught:
        find_route("no-such-route", routes_dir=FIXTURES)
    known = ["fixture-many-problems", "fixture-single-review", "three-stage-example"]
    assert caught.value.known_ids == known
    assert ", ".join(known) in str(caught.value)


def test_finding_a_route_whose_file_is_invalid_reports_its_problems() -> None:
    with pytest.raises(RouteFileError, match="did you mean 'reviewers'"):
        find_route("fixture-many-problems", routes_dir=FIXTURES)


def test_two_files_with_the_same_route_id_are_reported(tmp_path: Path) -> None:
    for name in ("a.yaml", "b.yml"):
        (tmp_path / name).write_text("id: same\n", encoding="utf-8")
    with pytest.raises(RouteFileError, match="route id 'same' is written in 2 files"):
        find_route("same", routes_dir=tmp_path)


def test_describe_route_numbers_the_stages_and_indents_a_parallel_group() -> None:
    assert describe_route(load_route(FIXTURES / "three-stage.yaml")) == [
        "1. vcse-leadership  VCSE Alliance leadership group  review"
        "  approvals: all of 2  due: 10 working days",
        "2. parallel group legal+finance:",
        "   2a. legal  ICB legal review  review  approvals: any of 1  due: 15 working days",
        "   2b. finance  Finance review  review  approvals: all of 1  due: 10 working days",
        "3. exec  ICB Executive Committee  meeting  calendar: ICB Executive Committee"
        "  papers: 7 working days before the meeting  approvals: any of 1  due: at the meeting",
    ]


def test_route_to_json_gives_plain_json_with_steps_in_order() -> None:
    data = json.loads(json.dumps(route_to_json(load_route(FIXTURES / "three-stage.yaml"))))
    assert [step["parallel_group"] for step in data["steps"]] == [None, "legal+finance", None]
    assert [stage["id"] for stage in data["steps"][1]["stages"]] == ["legal", "finance"]
    assert data["steps"][0]["stages"][0]["approvals"] == {"rule": "all", "quorum": None, "required": 2}
    assert data["closures"] == ["2026-12-24", "2026-12-31"]


def test_a_channels_credentials_are_never_shown() -> None:
    assert redact_channel("mailtos://user:secret@mail.example.org") == "mailtos://***@mail.example.org"
