"""Committee stages as committees work: the meeting a paper goes to, deadline 0, deferral chains,
late papers, chair's action and ratification, and no outcome before the meeting. Tables of cases."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from governance.domain import committee_actions
from governance.domain.committee_stage import (
    OUTCOME_PHASE,
    PAPER_PHASE,
    CommitteeDates,
    Minutes,
    reminder_phase,
)
from governance.domain.errors import DecisionRefused, TransitionNotAllowed
from governance.domain.events import MeetingChanged, RatificationBooked, StageClosed
from governance.domain.links import ActionLink, LinkStanding, standing_of
from governance.domain.route import ApprovalRule, Calendar, Route, RuleKind, Stage, StageKind
from governance.domain.rules import StageOutcome, Verdict, outcome
from governance.domain.signoff import SignOff, SignOffState, StageState
from governance.domain.workdays import WorkingDays

SECRETARY, CHAIR, LEAD = "sec@icb.nhs.uk", "chair@icb.nhs.uk", "lead@icb.nhs.uk"
# England and Wales bank holidays of the winter used below.
HOLIDAYS = WorkingDays.of({date(2026, 12, 25), date(2026, 12, 28), date(2027, 1, 1)})
# Second Tuesday of each month: 8 Dec 2026, 12 Jan, 9 Feb, 9 Mar 2027.
MONTHLY = "FREQ=MONTHLY;BYDAY=+2TU"


def route(*, deadline: int = 5, dates: tuple[date, ...] = (), rrule: str | None = MONTHLY) -> Route:
    calendar = Calendar(
        "board",
        "ICB Board",
        deadline,
        rrule=rrule,
        dtstart=date(2026, 1, 1) if rrule else None,
        dates=dates,
        time=time(14, 0),
    )
    meeting = Stage(
        "board",
        "ICB Board",
        StageKind.MEETING,
        (SECRETARY,),
        ApprovalRule(RuleKind.ANY),
        2,
        calendar="board",
        chairs_action=(CHAIR,),
    )
    return Route("r", "Route", "NHS Example ICB", (meeting,), calendars={"board": calendar})


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def opened_on(day: date, **route_options: object) -> tuple[SignOff, CommitteeDates]:
    signoff = SignOff("s1", route(**route_options), "Agreement", LEAD, "0" * 64, at(day))  # type: ignore[arg-type]
    dates = CommitteeDates(signoff.route, HOLIDAYS)
    signoff.advance(now=at(day), today=day, due_for=lambda _s, d: d, committees=dates)
    return signoff, dates


def decide(signoff: SignOff, dates: CommitteeDates, verdict: Verdict, day: date, who: str = SECRETARY):
    minutes = Minutes("2027/1", quorate=True)
    return signoff.decide(
        "board",
        who,
        verdict=verdict,
        comment="why",
        now=at(day),
        minutes=minutes,
        today=day,
        committees=dates,
    )


@pytest.mark.parametrize(
    ("opened", "deadline", "meeting", "paper_deadline"),
    [
        # 5 working days before 8 Dec is 1 Dec: opened on 1 Dec, the deadline is today and has not passed.
        (date(2026, 12, 1), 5, date(2026, 12, 8), date(2026, 12, 1)),
        # opened a day later, 8 Dec is missed; 12 Jan's deadline skips Christmas and New Year.
        (date(2026, 12, 2), 5, date(2027, 1, 12), date(2027, 1, 5)),
        (date(2026, 12, 9), 5, date(2027, 1, 12), date(2027, 1, 5)),
        # deadline 0: papers are due on the meeting day itself, so the meeting of the same day takes them.
        (date(2026, 12, 8), 0, date(2026, 12, 8), date(2026, 12, 8)),
        (date(2026, 12, 9), 0, date(2027, 1, 12), date(2027, 1, 12)),
        # a long deadline reaches back over the holidays: 10 working days before 12 Jan is 24 Dec.
        (date(2026, 12, 24), 10, date(2027, 1, 12), date(2026, 12, 24)),
        (date(2026, 12, 29), 10, date(2027, 2, 9), date(2027, 1, 26)),
    ],
)
def test_a_meeting_stage_is_booked_on_the_first_meeting_whose_deadline_has_not_passed(
    opened, deadline, meeting, paper_deadline
):
    signoff, _ = opened_on(opened, deadline=deadline)
    progress = signoff.stages["board"]
    assert (progress.meeting, progress.paper_deadline) == (meeting, paper_deadline)


def test_deadline_zero_takes_a_meeting_on_a_saturday_on_that_saturday():
    saturday = date(2027, 1, 16)
    signoff, _ = opened_on(saturday, deadline=0, dates=(saturday,), rrule=None)
    assert signoff.stages["board"].paper_deadline == saturday


def test_the_stage_is_due_its_working_days_after_the_meeting_not_at_it():
    signoff, _ = opened_on(date(2026, 12, 2))
    assert signoff.stages["board"].due == date(2027, 1, 14)


@pytest.mark.parametrize(
    ("today", "standing"),
    [
        (date(2027, 1, 11), LinkStanding.BEFORE_MEETING),
        (date(2027, 1, 12), LinkStanding.OPEN),
        (date(2027, 1, 13), LinkStanding.OPEN),
    ],
)
def test_an_outcome_is_recorded_on_or_after_the_meeting_date(today, standing):
    signoff, _ = opened_on(date(2026, 12, 2))
    link = ActionLink("board", SECRETARY, 1, meeting=date(2027, 1, 12))
    assert standing_of(signoff, link, today=today) is standing


def test_an_outcome_before_the_meeting_is_refused_and_records_nothing():
    signoff, dates = opened_on(date(2026, 12, 2))
    with pytest.raises(DecisionRefused, match="recorded from that day"):
        decide(signoff, dates, Verdict.APPROVE, date(2026, 12, 3))
    assert signoff.stages["board"].decisions == []
    assert signoff.stages["board"].state is StageState.OPEN


@pytest.mark.parametrize(
    ("verdicts", "settled"),
    [
        ([Verdict.APPROVE_WITH_AMENDMENTS], StageOutcome.APPROVED),
        ([Verdict.DEFER], StageOutcome.OPEN),
        ([Verdict.DEFER, Verdict.APPROVE], StageOutcome.APPROVED),
        ([Verdict.DEFER, Verdict.REJECT], StageOutcome.REJECTED),
        ([Verdict.DEFER, Verdict.CHANGES], StageOutcome.CHANGES_REQUESTED),
    ],
)
def test_an_approval_with_amendments_counts_as_approval_and_a_deferral_as_nothing(verdicts, settled):
    assert outcome(ApprovalRule(RuleKind.ANY), 1, verdicts) is settled


def test_a_deferral_moves_the_stage_to_the_next_meeting_and_the_old_link_records_nothing():
    signoff, dates = opened_on(date(2026, 12, 2))
    events = decide(signoff, dates, Verdict.DEFER, date(2027, 1, 12))
    progress = signoff.stages["board"]
    assert events == [
        MeetingChanged("s1", "board", date(2027, 1, 12), date(2027, 2, 9), date(2027, 2, 2), "deferred")
    ]
    assert progress.state is StageState.OPEN
    assert (progress.meeting, progress.paper_deadline, progress.due) == (
        date(2027, 2, 9),
        date(2027, 2, 2),
        date(2027, 2, 11),
    )
    old = ActionLink("board", SECRETARY, 1, meeting=date(2027, 1, 12))
    assert standing_of(signoff, old, today=date(2027, 2, 9)) is LinkStanding.MOVED
    new = ActionLink("board", SECRETARY, 1, meeting=date(2027, 2, 9))
    assert standing_of(signoff, new, today=date(2027, 2, 8)) is LinkStanding.BEFORE_MEETING


def test_a_chain_of_deferrals_is_kept_in_order_and_the_last_meeting_decides():
    signoff, dates = opened_on(date(2026, 12, 2))
    decide(signoff, dates, Verdict.DEFER, date(2027, 1, 12))
    decide(signoff, dates, Verdict.DEFER, date(2027, 2, 9))
    events = decide(signoff, dates, Verdict.APPROVE, date(2027, 3, 9))
    progress = signoff.stages["board"]
    assert [(d.from_meeting, d.to_meeting) for d in progress.deferrals] == [
        (date(2027, 1, 12), date(2027, 2, 9)),
        (date(2027, 2, 9), date(2027, 3, 9)),
    ]
    assert [d.verdict for d in progress.decisions] == [Verdict.DEFER, Verdict.DEFER, Verdict.APPROVE]
    assert [d.meeting for d in progress.decisions] == [date(2027, 1, 12), date(2027, 2, 9), date(2027, 3, 9)]
    assert events == [StageClosed("s1", "board", "approved")]


def test_a_review_stage_takes_no_committee_outcome():
    _signoff, _ = opened_on(date(2026, 12, 2))
    review = Stage("legal", "Legal", StageKind.REVIEW, ("l@x.org",), ApprovalRule(RuleKind.ALL), 5)
    other = SignOff("s2", Route("q", "Q", "O", (review,)), "T", LEAD, "0" * 64, at(date(2026, 12, 2)))
    other.advance(now=at(date(2026, 12, 2)), today=date(2026, 12, 2), due_for=lambda _s, d: d)
    with pytest.raises(DecisionRefused, match="is a review"):
        other.decide("legal", "l@x.org", verdict=Verdict.DEFER, comment="", now=at(date(2026, 12, 3)))


@pytest.mark.parametrize(
    ("opened", "late_on", "booked", "moved_to"),
    [
        # opened after the 8 Dec deadline: booked on 12 Jan; the chair takes it late on 8 Dec.
        (date(2026, 12, 2), date(2026, 12, 3), date(2027, 1, 12), date(2026, 12, 8)),
        # on the meeting day itself, the paper can still be taken that day.
        (date(2026, 12, 2), date(2026, 12, 8), date(2027, 1, 12), date(2026, 12, 8)),
    ],
)
def test_a_late_paper_goes_to_the_next_meeting_although_its_deadline_passed(
    opened, late_on, booked, moved_to
):
    signoff, dates = opened_on(opened)
    assert signoff.stages["board"].meeting == booked
    events = committee_actions.accept_late_paper(
        signoff, "board", reason="Urgent: the deadline is 31 March", today=late_on, committees=dates
    )
    progress = signoff.stages["board"]
    assert progress.meeting == moved_to
    assert progress.late_paper == "Urgent: the deadline is 31 March"
    assert isinstance(events[0], MeetingChanged)
    assert events[0].reason == "late_paper"


@pytest.mark.parametrize(
    ("reason", "today", "message"),
    [
        ("", date(2026, 12, 3), "give a reason"),
        ("Urgent", date(2026, 12, 9), "already on the committee's next meeting"),
    ],
)
def test_a_late_paper_without_a_reason_or_an_earlier_meeting_is_refused(reason, today, message):
    signoff, dates = opened_on(date(2026, 12, 2))
    with pytest.raises((TransitionNotAllowed, DecisionRefused), match=message):
        committee_actions.accept_late_paper(signoff, "board", reason=reason, today=today, committees=dates)
    assert signoff.stages["board"].meeting == date(2027, 1, 12)


def test_chairs_action_approves_between_meetings_and_is_ratified_at_the_next_meeting():
    signoff, dates = opened_on(date(2026, 12, 2))
    committee_actions.request_chairs_action(
        signoff, "board", reason="Needed before the 31 March deadline", by=LEAD, now=at(date(2026, 12, 14))
    )
    assert standing_of(signoff, ActionLink("board", CHAIR, 1), today=date(2026, 12, 14)) is LinkStanding.OPEN
    events = decide(signoff, dates, Verdict.APPROVE, date(2026, 12, 15), who=CHAIR)
    action = signoff.stages["board"].chairs_action
    assert signoff.stages["board"].state is StageState.APPROVED
    assert events[-1] == RatificationBooked("s1", "board", CHAIR, date(2027, 1, 12))
    assert action is not None
    assert action.by == CHAIR
    assert action.awaiting_ratification
    with pytest.raises(DecisionRefused, match="not before"):
        committee_actions.ratify(
            signoff, "board", minute_ref="2027/1/3", now=at(date(2027, 1, 11)), today=date(2027, 1, 11)
        )
    committee_actions.ratify(
        signoff, "board", minute_ref="2027/1/3", now=at(date(2027, 1, 12)), today=date(2027, 1, 12)
    )
    assert action.ratified_at == at(date(2027, 1, 12))
    assert action.minute_ref == "2027/1/3"
    with pytest.raises(TransitionNotAllowed, match="no chair's action waiting"):
        committee_actions.ratify(
            signoff, "board", minute_ref="x", now=at(date(2027, 1, 13)), today=date(2027, 1, 13)
        )


def test_a_chair_who_leaves_it_to_the_committee_changes_nothing_but_the_record():
    signoff, dates = opened_on(date(2026, 12, 2))
    committee_actions.request_chairs_action(
        signoff, "board", reason="Urgent", by=LEAD, now=at(date(2026, 12, 14))
    )
    assert decide(signoff, dates, Verdict.REJECT, date(2026, 12, 15), who=CHAIR) == []
    assert signoff.stages["board"].state is StageState.OPEN
    assert signoff.state is SignOffState.IN_PROGRESS


def test_chairs_action_needs_the_route_to_allow_it_and_a_chair_cannot_act_unasked():
    signoff, _ = opened_on(date(2026, 12, 2))
    assert standing_of(signoff, ActionLink("board", CHAIR, 1)) is LinkStanding.NOT_A_REVIEWER
    plain = SignOff("s3", route(), "T", LEAD, "0" * 64, at(date(2026, 12, 2)))
    stage = plain.route.stage("board")
    object.__setattr__(stage, "chairs_action", ())
    plain.advance(
        now=at(date(2026, 12, 2)),
        today=date(2026, 12, 2),
        due_for=lambda _s, d: d,
        committees=CommitteeDates(plain.route, HOLIDAYS),
    )
    with pytest.raises(TransitionNotAllowed, match="names no chairs_action"):
        committee_actions.request_chairs_action(
            plain, "board", reason="x", by=LEAD, now=at(date(2026, 12, 3))
        )


@pytest.mark.parametrize(
    ("today", "submitted", "phase"),
    [
        (date(2027, 1, 4), False, PAPER_PHASE),  # before the 5 Jan deadline, no paper yet: the lead
        (date(2027, 1, 5), False, PAPER_PHASE),  # the deadline day itself
        (date(2027, 1, 4), True, None),  # the paper is in: nobody until the meeting
        (date(2027, 1, 8), False, None),  # between the deadline and the meeting
        (date(2027, 1, 12), False, None),  # the meeting day
        (date(2027, 1, 13), False, OUTCOME_PHASE),  # after the meeting, no outcome: the secretary
    ],
)
def test_a_meeting_stage_nudges_the_lead_before_the_deadline_and_the_secretary_after_the_meeting(
    today, submitted, phase
):
    found = reminder_phase(
        meeting=date(2027, 1, 12), paper_deadline=date(2027, 1, 5), submitted=submitted, today=today
    )
    assert found == phase


def test_marking_the_paper_submitted_twice_records_it_once():
    signoff, _ = opened_on(date(2026, 12, 2))
    assert committee_actions.mark_paper_submitted(signoff, "board", now=at(date(2026, 12, 3)))
    assert not committee_actions.mark_paper_submitted(signoff, "board", now=at(date(2026, 12, 4)))
    assert signoff.stages["board"].paper_submitted_at == at(date(2026, 12, 3))
