"""What a committee, its secretary, its chair and the lead do to a meeting stage between openings.

- ``decide``: a secretary's ``defer`` (the paper moves to the next meeting) or a chair's verdict.
- ``accept_late_paper``: the chair agrees a late paper for the next meeting, deadline passed.
- ``request_chairs_action`` / ``ratify``: chair's action between meetings, ratified at the next.
- ``mark_paper_submitted``: the lead says the paper reached the secretary.
The rules are in ``governance.domain.committee_stage``; every function returns events.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from governance.domain.committee_stage import (
    Booking,
    ChairsAction,
    CommitteeDates,
    Deferral,
    late_paper_booking,
    may_record_outcome,
)
from governance.domain.errors import DecisionRefused, TransitionNotAllowed
from governance.domain.events import ChairsActionRequested, Event, MeetingChanged, RatificationBooked
from governance.domain.route import Stage, StageKind
from governance.domain.rules import Verdict
from governance.domain.states import SignOffState, StageState

if TYPE_CHECKING:
    from governance.domain.signoff import Decision, SignOff, StageProgress

ONE_DAY = timedelta(days=1)


def decide(
    signoff: SignOff,
    stage: Stage,
    decision: Decision,
    *,
    committees: CommitteeDates | None,
    today: date | None,
) -> list[Event]:
    """A deferral by the committee's secretary, or a chair's verdict between meetings."""
    progress = signoff.stages[stage.id]
    dates = _needed(committees, stage)
    if decision.reviewer in stage.deciders:
        return _defer(signoff, stage, decision, dates)
    action = progress.chairs_action
    if action is None:  # pragma: no cover - the link rule refuses a chair before the request
        msg = f"no chair's action was asked for on stage {stage.id!r}"
        raise DecisionRefused(msg)
    progress.decisions.append(decision)
    if decision.verdict not in (Verdict.APPROVE, Verdict.APPROVE_WITH_AMENDMENTS):
        return []  # the chair left it to the committee: the stage waits for its meeting
    day = today or decision.at.date()
    ratification = dates.first_from(stage, day + ONE_DAY)
    action.by, action.at = decision.reviewer, decision.at
    action.ratify_at = ratification.meeting if ratification else None
    events = signoff.close(stage.id, StageState.APPROVED, now=decision.at)
    return [*events, RatificationBooked(signoff.id, stage.id, decision.reviewer, action.ratify_at)]


def _defer(signoff: SignOff, stage: Stage, decision: Decision, dates: CommitteeDates) -> list[Event]:
    progress = signoff.stages[stage.id]
    if progress.meeting is None:
        msg = f"stage {stage.id!r} is booked on no meeting, so there is nothing to defer"
        raise DecisionRefused(msg)
    following = dates.after(stage, progress.meeting)
    if following is None:
        msg = f"the committee of stage {stage.id!r} has no meeting after {progress.meeting} to defer to"
        raise DecisionRefused(msg)
    progress.decisions.append(decision)
    minute_ref = decision.minutes.minute_ref if decision.minutes else ""
    deferral = Deferral(progress.meeting, following.meeting, decision.comment, decision.at, minute_ref)
    progress.deferrals.append(deferral)
    return [_rebook(signoff, stage, progress, following, dates, reason="deferred")]


def _rebook(
    signoff: SignOff,
    stage: Stage,
    progress: StageProgress,
    booking: Booking,
    dates: CommitteeDates,
    *,
    reason: str,
) -> MeetingChanged:
    earlier = progress.meeting
    progress.meeting, progress.paper_deadline = booking.meeting, booking.paper_deadline
    progress.due = dates.due(stage, booking.meeting)
    return MeetingChanged(signoff.id, stage.id, earlier, booking.meeting, booking.paper_deadline, reason)


def accept_late_paper(
    signoff: SignOff, stage_id: str, *, reason: str, today: date, committees: CommitteeDates
) -> list[Event]:
    """Put an open meeting stage on the committee's next meeting as a late paper agreed by the chair."""
    stage, progress = _open_meeting_stage(signoff, stage_id)
    _require_reason(reason, "a late paper")
    booking = late_paper_booking(committees, stage, progress.meeting, today=today)
    progress.late_paper = reason.strip()
    return [_rebook(signoff, stage, progress, booking, committees, reason="late_paper")]


def request_chairs_action(
    signoff: SignOff, stage_id: str, *, reason: str, by: str, now: datetime
) -> list[Event]:
    """Ask the stage's chairs to act between meetings; they get review links."""
    stage, progress = _open_meeting_stage(signoff, stage_id)
    if not stage.chairs_action:
        msg = f"stage {stage_id!r} names no chairs_action: the route does not allow chair's action there"
        raise TransitionNotAllowed(msg)
    _require_reason(reason, "chair's action")
    if progress.chairs_action is not None and progress.chairs_action.at is None:
        msg = f"chair's action on stage {stage_id!r} was asked for already; the chair has the link"
        raise TransitionNotAllowed(msg)
    progress.chairs_action = ChairsAction(requested_at=now, reason=reason.strip(), requested_by=by)
    return [ChairsActionRequested(signoff.id, stage_id, stage.chairs_action)]


def ratify(signoff: SignOff, stage_id: str, *, minute_ref: str, now: datetime, today: date) -> list[Event]:
    """The committee ratifies the chair's action at its meeting (on or after that meeting's date)."""
    progress = signoff.stages.get(stage_id)
    action = progress.chairs_action if progress else None
    if action is None or not action.awaiting_ratification:
        msg = f"stage {stage_id!r} has no chair's action waiting for ratification"
        raise TransitionNotAllowed(msg)
    if not may_record_outcome(action.ratify_at, today):
        msg = f"the ratification is recorded at the meeting on {action.ratify_at}, not before"
        raise DecisionRefused(msg)
    if not minute_ref.strip():
        msg = "give the minute reference of the ratification"
        raise DecisionRefused(msg)
    action.ratified_at, action.minute_ref = now, minute_ref.strip()
    return []


def mark_paper_submitted(signoff: SignOff, stage_id: str, *, now: datetime) -> bool:
    """Record that the paper reached the secretary; False when it was recorded before."""
    _stage, progress = _open_meeting_stage(signoff, stage_id)
    if progress.paper_submitted_at is not None:
        return False
    progress.paper_submitted_at = now
    return True


def _open_meeting_stage(signoff: SignOff, stage_id: str) -> tuple[Stage, StageProgress]:
    if stage_id not in signoff.stages:
        msg = f"sign-off {signoff.id} has no stage {stage_id!r}"
        raise TransitionNotAllowed(msg)
    stage, progress = signoff.route.stage(stage_id), signoff.stages[stage_id]
    if stage.kind is not StageKind.MEETING:
        msg = f"stage {stage_id!r} is a review, not a committee meeting"
        raise TransitionNotAllowed(msg)
    if signoff.state is not SignOffState.IN_PROGRESS or progress.state is not StageState.OPEN:
        msg = f"stage {stage_id!r} is not open ({progress.state.value})"
        raise TransitionNotAllowed(msg)
    return stage, progress


def _require_reason(reason: str, what: str) -> None:
    if not reason.strip():
        msg = f"give a reason for {what} (--reason TEXT)"
        raise TransitionNotAllowed(msg)


def _needed(committees: CommitteeDates | None, stage: Stage) -> CommitteeDates:
    if committees is None:
        msg = f"stage {stage.id!r}: the committee's dates are needed for this decision"
        raise DecisionRefused(msg)
    return committees
