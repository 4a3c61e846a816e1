"""The sign-off state machine: decisions settle stages; ``advance`` opens, announces and ends.

Recording a decision and advancing are separate steps on purpose: a decision is recorded at once
(so a late one is refused), while opening the next stage and announcing outcomes is a short,
repeatable step run by the orchestrator. Both return events and never send anything.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from governance.domain import committee_actions, document_loop
from governance.domain.committee_stage import CommitteeDates, Minutes
from governance.domain.errors import DecisionRefused, TransitionNotAllowed
from governance.domain.events import Event, SignOffFinished, StageClosed, StageCompleted, StageOpened
from governance.domain.links import ActionLink, LinkStanding, standing_of
from governance.domain.progress import Decision, StageProgress
from governance.domain.route import Route, Stage, StageKind, members_of
from governance.domain.rules import MEETING_VERDICTS, REVIEW_VERDICTS, StageOutcome, Verdict, outcome
from governance.domain.states import SignOffState, StageState

__all__ = ["Decision", "DueFor", "SignOff", "SignOffState", "StageProgress", "StageState"]

CLOSING_STATES = {
    StageOutcome.APPROVED: StageState.APPROVED,
    StageOutcome.REJECTED: StageState.REJECTED,
    StageOutcome.CHANGES_REQUESTED: StageState.CHANGES_REQUESTED,
}
ENDING_STATES = {  # a request for changes pauses the sign-off until a revised version comes
    StageState.REJECTED: SignOffState.REJECTED,
    StageState.CHANGES_REQUESTED: SignOffState.CHANGES_REQUESTED,
}

DueFor = Callable[[Stage, date], "date | None"]


@dataclass
class SignOff:
    """One document's journey along a route."""

    id: str
    route: Route
    title: str
    lead: str
    document_sha256: str
    created_at: datetime
    target: date | None = None
    document_version: int = 1
    state: SignOffState = SignOffState.IN_PROGRESS
    stages: dict[str, StageProgress] = field(default_factory=dict)
    finished_announced: bool = False
    tags: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        for stage in self.route.stages:
            self.stages.setdefault(stage.id, _progress_for(stage, self.tags))

    def deciders_of(self, stage_id: str) -> tuple[str, ...]:
        """Who may decide the stage: its reviewers, and its chairs once chair's action is asked for."""
        stage = self.route.stage(stage_id)
        chairs = stage.chairs_action if self.stages[stage_id].chairs_action is not None else ()
        return tuple(dict.fromkeys((*stage.deciders, *chairs)))

    def outstanding(self, stage_id: str) -> tuple[str, ...]:
        """Reviewers of an open stage who have not decided yet."""
        progress = self.stages[stage_id]
        if progress.state is not StageState.OPEN:
            return ()
        # as ``decided_by`` judges each reviewer, in one pass: a stage may have hundreds
        decided = {who for d in progress.current_decisions() for who in (d.seat, d.reviewer)}
        return tuple(r for r in self.route.stage(stage_id).deciders if r not in decided)

    def participants(self) -> tuple[str, ...]:
        """Everyone who has recorded a decision, once each, in order of decision."""
        decisions = sorted((d for p in self.stages.values() for d in p.decisions), key=lambda d: d.at)
        return tuple(dict.fromkeys(d.reviewer for d in decisions))

    def decide(
        self,
        stage_id: str,
        reviewer: str,
        *,
        verdict: Verdict,
        comment: str,
        now: datetime,
        minutes: Minutes | None = None,
        today: date | None = None,
        committees: CommitteeDates | None = None,
    ) -> list[Event]:
        """Record a reviewer's verdict; close the stage when its approval rule is settled.

        A committee's ``defer`` moves the stage to its next meeting, and a chair's verdict is a
        chair's action (``governance.domain.committee_actions``); both need ``committees``."""
        progress = self._open_stage_for(stage_id, reviewer, today)
        stage = self.route.stage(stage_id)
        _refuse_verdict_for_kind(stage, verdict)
        seat = progress.seat_for(reviewer, stage.deciders)
        on_behalf_of = seat if seat != reviewer else None  # a deputy fills the seat of the one they stand for
        decision = Decision(
            reviewer, verdict, comment, now, self.document_version, progress.meeting, minutes, on_behalf_of
        )
        if decision.seat not in stage.deciders or verdict is Verdict.DEFER:
            return committee_actions.decide(self, stage, decision, committees=committees, today=today)
        progress.decisions.append(decision)
        return self.settle(stage, now=now)

    def settle(self, stage: Stage, *, now: datetime) -> list[Event]:
        """Close the stage when its reviewers' verdicts (at the booked meeting) settle its rule."""
        current = self.stages[stage.id].current_decisions()
        vetoed = any(d.verdict is Verdict.REJECT and d.seat in stage.veto for d in current)
        settled = outcome(stage.approvals, len(stage.deciders), [d.verdict for d in current], vetoed=vetoed)
        if settled is StageOutcome.OPEN:
            return []
        return self.close(stage.id, CLOSING_STATES[settled], now=now)

    def close(self, stage_id: str, state: StageState, *, now: datetime) -> list[Event]:
        """Close an open stage in ``state``; a reject or a request for changes ends the sign-off."""
        progress = self.stages[stage_id]
        progress.state = state
        progress.completed_at = now
        if progress.state in ENDING_STATES:
            self.state = ENDING_STATES[progress.state]
        return [StageClosed(self.id, stage_id, progress.state.value)]

    def _open_stage_for(self, stage_id: str, reviewer: str, today: date | None) -> StageProgress:
        link = ActionLink(stage_id, reviewer, self.document_version)
        standing = standing_of(self, link, today=today)
        if standing is LinkStanding.UNKNOWN_STAGE:
            msg = f"stage {stage_id!r} is not on this sign-off's route"
            raise DecisionRefused(msg)
        if standing is LinkStanding.NOT_A_REVIEWER:
            msg = f"{reviewer} is not a reviewer of stage {stage_id!r}"
            raise DecisionRefused(msg)
        if standing is LinkStanding.DECIDED:
            msg = f"{reviewer} has already decided on stage {stage_id!r}"
            raise DecisionRefused(msg)
        if standing is LinkStanding.BEFORE_MEETING:
            meeting = self.stages[stage_id].meeting
            msg = (
                f"stage {stage_id!r} goes to the meeting on {meeting}: its outcome is recorded from that day"
            )
            raise DecisionRefused(msg)
        if not standing.may_decide:
            msg = f"stage {stage_id!r} is no longer open for decisions"
            raise DecisionRefused(msg)
        return self.stages[stage_id]

    def advance(
        self, *, now: datetime, today: date, due_for: DueFor, committees: CommitteeDates | None = None
    ) -> list[Event]:
        """Announce settled stages, open the next step or end the sign-off. Safe to repeat.

        With ``committees``, a meeting stage is booked on the meeting that can take its paper."""
        if self.state is SignOffState.CHANGES_REQUESTED:
            return document_loop.announce_changes_requested(self)
        if self.state is not SignOffState.IN_PROGRESS:
            return self._finish(now)
        for step in self.route.steps:
            members = tuple(s for s in members_of(step) if s.runs_for(self.tags))
            if not members:
                continue
            states = {self.stages[s.id].state for s in members}
            if states == {StageState.APPROVED}:
                continue
            events = self._announce(members, next_ids=())
            if states <= {StageState.PENDING, StageState.APPROVED}:  # a revision may reopen one member
                pending = tuple(s for s in members if self.stages[s.id].state is StageState.PENDING)
                events += self._open(pending, now=now, today=today, due_for=due_for, committees=committees)
            return events
        self.state = SignOffState.APPROVED
        return self._finish(now)

    def _open(
        self,
        members: tuple[Stage, ...],
        *,
        now: datetime,
        today: date,
        due_for: DueFor,
        committees: CommitteeDates | None,
    ) -> list[Event]:
        previous = [p for p in self.stages.values() if p.state is StageState.APPROVED and not p.announced]
        next_ids = tuple(s.id for s in members)
        events: list[Event] = [self._completed(p, next_ids) for p in previous]
        for progress in previous:
            progress.announced = True
        for stage in members:
            progress = self.stages[stage.id]
            progress.state, progress.opened_at, progress.version = StageState.OPEN, now, self.document_version
            progress.due = due_for(stage, today)
            booking = committees.on_opening(stage, today=today) if committees and stage.calendar else None
            if booking is not None and committees is not None:
                progress.meeting, progress.paper_deadline = booking.meeting, booking.paper_deadline
                progress.due = committees.due(stage, booking.meeting)
            events.append(StageOpened(self.id, stage.id, stage.deciders, progress.due))
        return events

    def _announce(self, members: tuple[Stage, ...], *, next_ids: tuple[str, ...]) -> list[Event]:
        """Announce approved members of a step still partly open (a parallel group)."""
        events: list[Event] = []
        for stage in members:
            progress = self.stages[stage.id]
            if progress.state is StageState.APPROVED and not progress.announced:
                progress.announced = True
                events.append(self._completed(progress, next_ids))
        return events

    def _completed(self, progress: StageProgress, next_ids: tuple[str, ...]) -> StageCompleted:
        """The announcement of an approved stage, naming reviewers whose decision was not needed."""
        stage = self.route.stage(progress.stage_id)
        not_needed = tuple(progress.holder_of(r) for r in stage.deciders if not progress.decided_by(r))
        return StageCompleted(self.id, stage.id, next_ids, not_needed)

    def _finish(self, now: datetime) -> list[Event]:
        if self.finished_announced:
            return []
        outstanding = tuple(r for s in self.route.stages for r in self._undecided_when_ended(s))
        ending = () if self.state is SignOffState.CANCELLED else self.stages.values()
        ended_by = next((p.stage_id for p in ending if p.state in ENDING_STATES), None)
        for progress in self.stages.values():
            progress.announced = progress.announced or progress.state is StageState.APPROVED
            if progress.state in (StageState.PENDING, StageState.OPEN):
                progress.state, progress.completed_at = StageState.SKIPPED, now
        self.finished_announced = True
        return [
            SignOffFinished(
                self.id, self.state.value, ended_by, self.participants(), tuple(dict.fromkeys(outstanding))
            )
        ]

    def _undecided_when_ended(self, stage: Stage) -> tuple[str, ...]:
        """Reviewers of a stage that was open, or that ended the sign-off, who had not decided."""
        progress = self.stages[stage.id]
        if progress.opened_at is None or progress.state in (StageState.APPROVED, StageState.SKIPPED):
            return ()
        return tuple(progress.holder_of(r) for r in stage.deciders if not progress.decided_by(r))

    def revise(self, *, sha256: str) -> list[Event]:
        """Take the next version of the document after a request for changes (``document_loop``)."""
        return document_loop.revise(self, sha256=sha256)

    def cancel(self, *, now: datetime) -> list[Event]:
        """End a sign-off still in progress (or waiting for a revised version) as cancelled."""
        if self.state not in (SignOffState.IN_PROGRESS, SignOffState.CHANGES_REQUESTED):
            msg = f"sign-off {self.id} has already ended as {self.state.value}"
            raise TransitionNotAllowed(msg)
        self.state = SignOffState.CANCELLED
        return self._finish(now)


def _progress_for(stage: Stage, tags: frozenset[str]) -> StageProgress:
    """A new sign-off's progress on a stage: pending, or skipped when its condition does not hold."""
    if stage.runs_for(tags):
        return StageProgress(stage.id)
    reason = f"runs only for sign-offs tagged {stage.when_tag!r}"
    return StageProgress(stage.id, StageState.SKIPPED, skipped_reason=reason)


def _refuse_verdict_for_kind(stage: Stage, verdict: Verdict) -> None:
    """A review takes approve, changes or reject; a meeting also approve with amendments and defer."""
    allowed = MEETING_VERDICTS if stage.kind is StageKind.MEETING else REVIEW_VERDICTS
    if verdict not in allowed:
        words = ", ".join(v.value for v in allowed)
        msg = (
            f"stage {stage.id!r} is a {stage.kind.value}: its decision is one of {words}, not {verdict.value}"
        )
        raise DecisionRefused(msg)
