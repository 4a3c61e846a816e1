"""The document loop's route keys (veto, when, deputies, reapprove_on_new_version) and the bounds
on a route file: each mistake is reported at its line, and a valid key becomes a Stage field."""

from __future__ import annotations

import pytest

from governance.adapters.route_files import parse_route
from tests.unit.test_route_parsing import HEADER, REVIEW, assert_reported

TWO_REVIEWERS = REVIEW.replace(
    "[legal@icb.example.nhs.uk]", "[legal@icb.example.nhs.uk, cfo@icb.example.nhs.uk]"
)
DEPUTIES = "    deputies:\n      legal@icb.example.nhs.uk: [deputy@icb.example.nhs.uk]\n"

LOOP_KEY_MISTAKES = [
    pytest.param(
        TWO_REVIEWERS + "    veto: [x@icb.example.nhs.uk]\n",
        "17: veto in stage 'legal': x@icb.example.nhs.uk is not one of the stage's reviewers",
        id="veto by a stranger",
    ),
    pytest.param(TWO_REVIEWERS + "    veto: []\n", "17: veto in stage 'legal' is empty", id="empty veto"),
    pytest.param(
        REVIEW + "    when: {}\n",
        "17: when in stage 'legal' needs a tag, e.g. when: {tag: financial}",
        id="no tag",
    ),
    pytest.param(
        REVIEW + "    when: {tags: financial}\n",
        "17: unknown key 'tags' in the when of stage 'legal' (did you mean 'tag'?)",
        id="misspelt tag",
    ),
    pytest.param(
        REVIEW + "    when: {tag: Big Money}\n",
        "17: tag 'Big Money' in the when of stage 'legal' should use only lower-case letters",
        id="tag with spaces",
    ),
    pytest.param(
        REVIEW + "    when: financial\n",
        "17: when in stage 'legal' should be a mapping",
        id="when without a key",
    ),
    pytest.param(
        REVIEW + DEPUTIES.replace("legal@icb.example.nhs.uk:", "other@icb.example.nhs.uk:"),
        "18: deputies in stage 'legal': other@icb.example.nhs.uk is not one of the stage's reviewers",
        id="deputies of a stranger",
    ),
    pytest.param(
        REVIEW + DEPUTIES.replace("[deputy@icb.example.nhs.uk]", "[deputy]"),
        "18: ",
        id="deputy without an address",
    ),
    pytest.param(
        REVIEW + "    reapprove_on_new_version: sometimes\n",
        "17: reapprove_on_new_version in stage 'legal' should be true or false, got 'sometimes'",
        id="reapprove neither true nor false",
    ),
]

BOUNDS = [
    pytest.param(
        HEADER + REVIEW.replace("10", "261"),
        "16: due_working_days in stage 'legal' should be a whole number from 1 to 260, got '261'",
        id="due in more than a year of working days",
    ),
    pytest.param(
        HEADER.replace("paper_deadline_working_days: 7", "paper_deadline_working_days: 300") + REVIEW,
        "10: paper_deadline_working_days in calendar 'exec' should be a whole number from 0 to 260",
        id="paper deadline more than a year before the meeting",
    ),
    pytest.param(
        HEADER.replace("FREQ=MONTHLY;BYDAY=+2TU", "FREQ=HOURLY") + REVIEW,
        "8: rrule in the meetings of calendar 'exec' repeats more often than daily",
        id="hourly meetings",
    ),
    pytest.param(
        HEADER.replace("FREQ=MONTHLY;BYDAY=+2TU", "freq=minutely") + REVIEW,
        "8: rrule in the meetings of calendar 'exec' repeats more often than daily",
        id="minutely meetings in lower case",
    ),
    pytest.param(
        HEADER
        + REVIEW
        + "    notes:\n"
        + "".join("  " * (depth + 3) + f"level{depth}:\n" for depth in range(12))
        + "  " * 15
        + "deepest: 1\n",
        "25: the file nests 11 levels deep here; no route needs more than 10",
        id="nested deeper than any route",
    ),
]


@pytest.mark.parametrize(("stages", "expected"), LOOP_KEY_MISTAKES)
def test_each_mistake_in_a_document_loop_key_is_reported_at_its_line(stages: str, expected: str) -> None:
    assert_reported(HEADER + stages, expected)


@pytest.mark.parametrize(("text", "expected"), BOUNDS)
def test_a_route_beyond_the_bounds_of_any_real_route_is_refused_with_the_reason(
    text: str, expected: str
) -> None:
    assert_reported(text, expected)


def test_a_veto_names_reviewers_whose_reject_rejects_the_stage() -> None:
    stage = parse_route(
        HEADER + TWO_REVIEWERS + "    veto: [CFO@icb.example.nhs.uk]\n", path="r.yaml"
    ).stages[0]
    assert stage.veto == ("cfo@icb.example.nhs.uk",)


def test_a_when_tag_makes_a_stage_run_only_for_sign_offs_with_that_tag() -> None:
    stage = parse_route(HEADER + REVIEW + "    when: {tag: financial}\n", path="r.yaml").stages[0]
    assert stage.when_tag == "financial"
    assert stage.runs_for(frozenset({"financial", "other"}))
    assert not stage.runs_for(frozenset())


def test_deputies_list_whom_each_reviewer_may_nominate() -> None:
    stage = parse_route(HEADER + REVIEW + DEPUTIES, path="r.yaml").stages[0]
    assert stage.deputies_of("legal@icb.example.nhs.uk") == ("deputy@icb.example.nhs.uk",)


@pytest.mark.parametrize(
    ("written", "expected"), [("true", True), ("yes", True), ("false", False), ("no", False)]
)
def test_reapprove_on_new_version_reads_true_and_false_as_yaml_writes_them(
    written: str, expected: bool
) -> None:
    text = HEADER + REVIEW + f"    reapprove_on_new_version: {written}\n"
    assert parse_route(text, path="r.yaml").stages[0].reapprove_on_new_version is expected


def test_a_stage_without_loop_keys_has_no_veto_no_condition_no_deputies_and_keeps_its_approval() -> None:
    stage = parse_route(HEADER + REVIEW, path="r.yaml").stages[0]
    assert (stage.veto, stage.when_tag, stage.deputies, stage.reapprove_on_new_version) == (
        (),
        None,
        (),
        False,
    )
