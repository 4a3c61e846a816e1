"""The sign-off's story in Prefect, planned from the stored sign-off and what Prefect was told."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from governance.domain.committee_stage import Deferral
from governance.domain.route import StageKind
from governance.domain.signoff import SignOffState, StageState
from governance.domain.stage_risk import StageRisk
from governance.services.key_dates import StageKeyDates
from governance.services.reminder_history import NudgeLines
from governance.services.status import BookedMeeting, DecisionLine, DocumentFacts, SignOffStatus, StageStatus
from governance.services.story import segments_of, slug, transitions
from governance.services.story_artifacts import stages_key, stages_table, timeline_key, timeline_markdown
from governance.services.story_ports import StoryRecord
from governance.services.story_telling import plan_story

T0 = datetime(2026, 11, 2, 9, tzinfo=UTC)
NOW = T0 + timedelta(days=10)


def at(hours: int) -> datetime:
    return T0 + timedelta(hours=hours)


def stage(stage_id: str, state: StageState = StageState.PENDING, **given: object) -> StageStatus:
    facts: dict[str, object] = {
        "id": stage_id,
        "name": stage_id.title() + " review",
        "kind": StageKind.REVIEW,
        "group": None,
        "state": state,
        "reviewers": (f"{stage_id}@icb.example.nhs.uk",),
        "approvals": "all",
        "awaiting": (),
        "opened_at": None,
        "due": None,
        "planned": StageKeyDates(date(2026, 11, 2), date(2026, 11, 16), date(2026, 11, 12)),
        "completed_at": None,
        "decisions": (),
        "nudges": NudgeLines(),
        "risk": StageRisk(stalled=False, at_risk=False, late=False),
    }
    return StageStatus(**(facts | given))  # type: ignore[arg-type]


def signoff(
    *stages: StageStatus, state: SignOffState = SignOffState.IN_PROGRESS, ended: datetime | None = None
):
    return SignOffStatus(
        id="ab12cd34",
        title="VCSE partnership agreement",
        state=state,
        route="vcse-agreement",
        route_name="VCSE agreement",
        organisation="NHS North Example ICB",
        lead="lead@icb.example.nhs.uk",
        document=DocumentFacts("agreement.pdf", 1),
        document_sha256="",
        created_at=T0,
        completed_at=ended,
        target=date(2027, 3, 31),
        forecast=date(2027, 1, 15),
        slack_working_days=50,
        rag="green",
        stages=stages,
    )


def approved_by(reviewer: str, when: datetime, version: int = 1) -> DecisionLine:
    return DecisionLine(reviewer, "approve", "", when, version)


LEGAL_APPROVED = stage(
    "legal",
    StageState.APPROVED,
    opened_at=at(0),
    completed_at=at(2),
    decisions=(approved_by("legal@icb.example.nhs.uk", at(2)),),
)
BOARD_OPEN = stage("board", StageState.OPEN, opened_at=at(2))
SKIPPED_FINANCE = stage(
    "finance", StageState.SKIPPED, skipped_reason="runs only for sign-offs tagged 'money'"
)


@pytest.mark.parametrize(
    ("stages", "expected"),
    [
        ((stage("legal", StageState.OPEN, opened_at=at(0)), stage("board")), [("legal-v1", None)]),
        ((LEGAL_APPROVED, BOARD_OPEN), [("legal-v1", "Approved"), ("board-v1", None)]),
        (
            (LEGAL_APPROVED, SKIPPED_FINANCE, BOARD_OPEN),
            [("legal-v1", "Approved"), ("finance-v1", "Skipped"), ("board-v1", None)],
        ),
        ((stage("legal", StageState.OPEN, opened_at=at(0)), SKIPPED_FINANCE), [("legal-v1", None)]),
        (
            (stage("legal", StageState.REJECTED, opened_at=at(0), completed_at=at(1)),),
            [("legal-v1", "Rejected")],
        ),
        (
            (stage("legal", StageState.CHANGES_REQUESTED, opened_at=at(0), completed_at=at(1)),),
            [("legal-v1", "Changes requested")],
        ),
        ((stage("legal", StageState.OPEN, opened_at=at(5), version=2),), [("legal-v2", None)]),
    ],
)
def test_each_opening_of_a_stage_is_one_segment_ending_in_the_state_it_closed_in(stages, expected):
    found = [(s.key, s.ending.name if s.ending else None) for s in segments_of(signoff(*stages))]
    assert found == expected


def test_a_skipped_conditional_stage_appears_when_the_stage_after_it_opens():
    [_, skipped, _] = segments_of(signoff(LEGAL_APPROVED, SKIPPED_FINANCE, BOARD_OPEN))
    assert (skipped.opened_at, skipped.ended_at) == (None, at(2))
    assert skipped.summary == "skipped: runs only for sign-offs tagged 'money'"


def test_each_deferral_of_a_meeting_ends_one_segment_and_starts_the_next():
    deferral = Deferral(date(2026, 11, 10), date(2026, 12, 8), "Papers late", at(30))
    board = stage(
        "board",
        StageState.APPROVED,
        kind=StageKind.MEETING,
        opened_at=at(0),
        completed_at=at(60),
        booked=BookedMeeting(date(2026, 12, 8), None, (deferral,)),
    )
    found = [(s.key, s.name, s.opened_at, s.ended_at, s.ending.name) for s in segments_of(signoff(board))]  # type: ignore[union-attr]
    assert found == [
        ("board-v1", "Board review", at(0), at(30), "Deferred"),
        ("board-v1-m2", "Board review (meeting 2)", at(30), at(60), "Approved"),
    ]


def test_a_stage_open_when_the_sign_off_was_cancelled_ends_cancelled():
    legal = stage("legal", StageState.SKIPPED, opened_at=at(0), completed_at=at(3))
    [segment] = segments_of(signoff(legal, state=SignOffState.CANCELLED, ended=at(3)))
    assert segment.ending is not None
    assert (segment.ending.type, segment.ending.name) == ("CANCELLED", "Cancelled")


def test_a_step_tells_only_what_prefect_has_not_been_told():
    status = signoff(LEGAL_APPROVED, BOARD_OPEN)
    record = StoryRecord("run", {"legal-v1": "t1"}, frozenset({"opened:legal-v1"}))
    found = [(t.key, t.event, t.line) for t in transitions(status, record, now=NOW)]
    assert found == [
        (
            "completed:legal-v1",
            "signoff.stage.completed",
            "Legal review approved by legal@icb.example.nhs.uk",
        ),
        ("opened:board-v1", "signoff.stage.opened", "Board review opened"),
    ]


def test_a_repeated_step_tells_nothing():
    status = signoff(LEGAL_APPROVED, BOARD_OPEN)
    told = frozenset({"opened:legal-v1", "completed:legal-v1", "opened:board-v1"})
    assert transitions(status, StoryRecord("run", {"legal-v1": "t1", "board-v1": "t2"}, told), now=NOW) == []


def test_a_stalled_stage_is_told_once():
    stalled = stage(
        "legal", StageState.OPEN, opened_at=at(0), risk=StageRisk(stalled=True, at_risk=True, late=False)
    )
    record = StoryRecord("run", {"legal-v1": "t1"}, frozenset({"opened:legal-v1"}))
    [told] = transitions(signoff(stalled), record, now=NOW)
    assert (told.key, told.event, told.at) == ("stalled:legal-v1", "signoff.stage.stalled", NOW)
    again = StoryRecord("run", {"legal-v1": "t1"}, frozenset({"opened:legal-v1", "stalled:legal-v1"}))
    assert transitions(signoff(stalled), again, now=NOW) == []


def test_a_run_opened_for_a_version_since_replaced_is_closed_as_superseded():
    reopened = stage("legal", StageState.PENDING, version=2)
    record = StoryRecord("run", {"legal-v1": "t1"}, frozenset({"opened:legal-v1"}))
    [told] = transitions(signoff(reopened), record, now=NOW)
    assert told.ending is not None
    assert (told.key, told.ending.name, told.at) == ("completed:legal-v1", "Superseded", NOW)


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        (SignOffState.APPROVED, ("COMPLETED", "Approved")),
        (SignOffState.REJECTED, ("FAILED", "Rejected")),
        (SignOffState.CANCELLED, ("CANCELLED", "Cancelled")),
    ],
)
def test_the_sign_off_ending_is_told_last_as_the_flow_run_state(state, expected):
    plan = plan_story(signoff(LEGAL_APPROVED, state=state, ended=at(2)), StoryRecord(), now=NOW)
    assert plan.transitions[-1].key == "finished"
    assert plan.ending is not None
    assert (plan.ending.type, plan.ending.name) == expected


def test_a_changes_requested_sign_off_has_not_ended():
    legal = stage("legal", StageState.CHANGES_REQUESTED, opened_at=at(0), completed_at=at(1))
    plan = plan_story(signoff(legal, state=SignOffState.CHANGES_REQUESTED), StoryRecord(), now=NOW)
    assert plan.ending is None


def test_the_plan_tags_the_run_with_sign_off_route_and_slugged_organisation_and_sums_up_the_step():
    plan = plan_story(signoff(LEGAL_APPROVED, BOARD_OPEN), StoryRecord(), now=NOW)
    assert plan.tags == ("signoff:ab12cd34", "route:vcse-agreement", "org:nhs-north-example-icb")
    assert (
        plan.summary
        == "Legal review opened; Legal review approved by legal@icb.example.nhs.uk; Board review opened"
    )
    assert set(plan.artifacts) == {"signoff-ab12cd34-timeline", "signoff-ab12cd34-stages"}
    assert plan.resource["prefect.resource.id"] == "signoff.ab12cd34"


def test_a_plan_with_nothing_new_publishes_no_artifacts():
    status = signoff(BOARD_OPEN)
    plan = plan_story(status, StoryRecord("run", {"board-v1": "t"}, frozenset({"opened:board-v1"})), now=NOW)
    assert (plan.transitions, plan.artifacts) == ((), {})


@pytest.mark.parametrize(
    ("text", "expected"),
    [("NHS North Example ICB", "nhs-north-example-icb"), ("St. Ann's & Co", "st-ann-s-co"), ("", "none")],
)
def test_slugs_are_lowercase_letters_digits_and_dashes(text, expected):
    assert slug(text) == expected


def test_artifact_keys_are_stable_per_sign_off_and_prefect_safe():
    assert (timeline_key("AB12"), stages_key("AB12")) == ("signoff-ab12-timeline", "signoff-ab12-stages")


def test_the_timeline_gives_key_dates_and_stage_times_in_london_the_gov_uk_way():
    text = timeline_markdown(signoff(LEGAL_APPROVED, BOARD_OPEN))
    assert "- Target: Wed 31 March 2027" in text
    assert (
        "1. **Legal review**: approved (opened Mon 2 November 2026 at 9am; "
        "closed Mon 2 November 2026 at 11am;" in text
    )


def test_the_stages_table_has_planned_forecast_and_actual_dates_per_stage():
    [legal, board] = stages_table(signoff(LEGAL_APPROVED, BOARD_OPEN))
    assert legal == {
        "Stage": "Legal review",
        "State": "Approved",
        "Start by (planned)": "Mon 2 November 2026",
        "Decide by (planned)": "Mon 16 November 2026",
        "Decision (forecast)": "Thu 12 November 2026",
        "Opened": "Mon 2 November 2026 at 9am",
        "Closed": "Mon 2 November 2026 at 11am",
        "Due": "",
    }
    assert board["Closed"] == ""
