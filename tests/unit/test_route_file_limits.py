"""Route files beyond what any route needs: nesting too deep for the YAML composer to recurse
through, and meetings more frequent than daily, are refused with PATH:LINE: message."""

from __future__ import annotations

from pathlib import Path

import pytest

from governance.adapters.route_files import RouteFileError, UnknownRoute, find_route, parse_route, routes_in
from governance.adapters.route_files.yaml_depth import NestedTooDeep
from governance.adapters.route_files.yaml_nodes import peek_id

# Three lines, so the stages written after it start on line 4.
TOP = "id: deep-route\nname: Deep route\norganisation: NHS Test ICB\n"
TOO_DEEP = "the file nests 11 levels deep here; no route needs more than 10"
VALID = TOP.replace("deep-route", "good-route") + (
    "stages:\n"
    "  - id: legal\n"
    "    name: Legal review\n"
    "    kind: review\n"
    "    reviewers: [legal@icb.example.nhs.uk]\n"
    "    due_working_days: 10\n"
)
CALENDAR = """\
id: meeting-route
name: Meeting route
organisation: NHS Test ICB
calendars:
  exec:
    name: Executive Committee
    meetings:
      rrule: "{rule}"
      dtstart: 2026-01-01
    paper_deadline_working_days: 7
stages:
  - {{id: exec, name: Executive, kind: meeting, calendar: exec, secretary: sec@icb.example.nhs.uk}}
"""


def problems_in(text: str) -> list[str]:
    """Each problem of a route text as 'PATH:LINE: message'."""
    with pytest.raises(RouteFileError) as caught:
        parse_route(text, path="route.yaml")
    return [str(problem) for problem in caught.value.problems]


@pytest.mark.parametrize(
    "stages",
    [
        pytest.param("stages: " + "[" * 600 + "]" * 600 + "\n", id="600 flow lists"),
        pytest.param("stages: " + "{a: " * 600 + "1" + "}" * 600 + "\n", id="600 flow mappings"),
        pytest.param("stages: " + "[a: " * 600 + "1" + "]" * 600 + "\n", id="600 one-pair mappings in lists"),
        pytest.param("stages:\n" + "- " * 600 + "x\n", id="600 block lists"),
        pytest.param(
            "stages:\n" + "".join(" " * depth + f"k{depth}:\n" for depth in range(600)),
            id="600 block mappings",
        ),
        pytest.param("stages: " + "[" * 100_000 + "]" * 100_000 + "\n", id="100,000 flow lists"),
    ],
)
def test_a_route_nested_hundreds_of_levels_deep_gets_a_clear_message_not_a_recursion_error(
    stages: str,
) -> None:
    [problem] = problems_in(TOP + stages)
    assert problem.startswith("route.yaml:")
    assert problem.endswith(TOO_DEEP)


def test_the_nesting_message_names_the_line_where_the_file_gets_too_deep() -> None:
    stages = "stages:\n" + "".join("  " * depth + f"level{depth}:\n" for depth in range(1, 20))
    assert problems_in(TOP + stages) == [f"route.yaml:14: {TOO_DEEP}"]


def test_a_part_repeated_by_an_alias_counts_as_deep_as_it_ends_up() -> None:
    text = TOP + "closures: &deep [[[[[[2026-01-01]]]]]]\nstages: [[[[[*deep]]]]]\n"
    assert any(problem.endswith(TOO_DEEP) for problem in problems_in(text))


def test_peeking_at_the_id_of_a_deeply_nested_file_says_it_nests_too_deep() -> None:
    with pytest.raises(NestedTooDeep) as caught:
        peek_id(TOP + "stages: " + "[" * 600 + "]" * 600 + "\n")
    assert (caught.value.line, str(caught.value)) == (4, TOO_DEEP)


def test_a_deeply_nested_file_named_by_its_path_is_reported_with_its_path(tmp_path: Path) -> None:
    deep = tmp_path / "deep.yaml"
    deep.write_text(TOP + "stages: " + "[" * 600 + "]" * 600 + "\n", encoding="utf-8")
    with pytest.raises(RouteFileError) as caught:
        find_route(str(deep), routes_dir=tmp_path)
    assert str(caught.value) == f"{deep}:4: {TOO_DEEP}"


def test_a_deeply_nested_sibling_does_not_stop_other_routes_being_found_by_id(tmp_path: Path) -> None:
    (tmp_path / "a-deep.yaml").write_text(TOP + "stages: " + "[" * 600 + "]" * 600 + "\n", encoding="utf-8")
    (tmp_path / "good.yaml").write_text(VALID, encoding="utf-8")
    route, path = find_route("good-route", routes_dir=tmp_path)
    assert (route.id, path.name) == ("good-route", "good.yaml")
    assert [route.id for route in routes_in(tmp_path)] == ["good-route"]


def test_an_id_not_found_names_the_files_whose_ids_could_not_be_read(tmp_path: Path) -> None:
    (tmp_path / "deep.yaml").write_text(TOP + "stages: " + "{a: " * 600 + "}" * 600 + "\n", encoding="utf-8")
    with pytest.raises(UnknownRoute) as caught:
        find_route("deep-route", routes_dir=tmp_path)
    assert str(caught.value) == (
        "no route file or route id 'deep-route'; known route ids: none found; "
        f"unreadable route files (signoff routes validate says why): {tmp_path / 'deep.yaml'}"
    )


@pytest.mark.parametrize(
    ("rule", "said"),
    [
        pytest.param("FREQ=HOURLY", "", id="hourly"),
        pytest.param("FREQ=DAILY;BYHOUR=1,2,3;BYMINUTE=0,30", " (BYHOUR=1,2,3 gives", id="several hours"),
        pytest.param("FREQ=WEEKLY;BYDAY=TU;BYMINUTE=0,30", " (BYMINUTE=0,30 gives", id="several minutes"),
        pytest.param("FREQ=MONTHLY;BYDAY=+2TU;BYSECOND=0,30", " (BYSECOND=0,30 gives", id="several seconds"),
        pytest.param("freq=yearly;byhour=9, 14", " (byhour=9, 14 gives", id="lower case with a space"),
        pytest.param("RRULE:FREQ=DAILY;BYHOUR=9,14", " (BYHOUR=9,14 gives", id="with an RRULE prefix"),
    ],
)
def test_a_meeting_rule_that_can_meet_more_than_once_a_day_is_refused(rule: str, said: str) -> None:
    [problem] = problems_in(CALENDAR.format(rule=rule))
    expected = "route.yaml:8: rrule in the meetings of calendar 'exec' repeats more often than daily"
    assert problem.startswith(f"{expected}: committees meet on days{said}")


@pytest.mark.parametrize(
    "rule",
    [
        pytest.param("FREQ=MONTHLY;BYDAY=+2TU;BYHOUR=14", id="one hour"),
        pytest.param("FREQ=WEEKLY;BYDAY=TU,TH;BYHOUR=9;BYMINUTE=30;BYSECOND=0", id="one time on two days"),
        pytest.param("FREQ=DAILY", id="daily"),
    ],
)
def test_a_meeting_rule_with_at_most_one_meeting_a_day_is_accepted(rule: str) -> None:
    route = parse_route(CALENDAR.format(rule=rule), path="route.yaml")
    assert route.calendars["exec"].rrule == rule
