"""Where a step's run is drawn in the sign-off's story: under the stages still open."""

from __future__ import annotations

from governance.services.story_ports import StoryRecord
from governance.services.story_telling import StepParents, parents_in


def test_a_sign_off_with_no_story_run_yet_nests_nothing():
    assert parents_in(StoryRecord()) is None


def test_a_step_is_nested_under_the_stages_opened_and_not_yet_completed():
    record = StoryRecord(
        flow_run_id="story",
        task_runs={"legal-v1": "t-legal", "alliance-v1": "t-alliance", "board-v1": "t-board"},
        told=frozenset({"opened:legal-v1", "completed:legal-v1", "opened:alliance-v1", "opened:board-v1"}),
    )

    assert parents_in(record) == StepParents("story", ("t-alliance", "t-board"))


def test_a_step_after_every_stage_closed_sits_in_the_story_under_no_stage():
    record = StoryRecord(
        flow_run_id="story", task_runs={"legal-v1": "t"}, told=frozenset({"completed:legal-v1"})
    )

    assert parents_in(record) == StepParents("story", ())
