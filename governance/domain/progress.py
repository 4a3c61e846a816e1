"""A stage's progress on one sign-off, and the decisions recorded on it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from governance.domain.committee_stage import ChairsAction, Deferral, Minutes
from governance.domain.handovers import Handover
from governance.domain.rules import Verdict
from governance.domain.states import StageState


@dataclass(frozen=True)
class Decision:
    reviewer: str
    verdict: Verdict
    comment: str
    at: datetime
    document_version: int = 1
    meeting: date | None = None  # a committee's outcome: the meeting it was made at
    minutes: Minutes | None = None
    on_behalf_of: str | None = None  # a deputy's decision: the reviewer whose seat it fills

    @property
    def seat(self) -> str:
        """The route reviewer this decision counts for (approval rules and vetoes count seats)."""
        return self.on_behalf_of or self.reviewer


@dataclass
class StageProgress:
    stage_id: str
    state: StageState = StageState.PENDING
    opened_at: datetime | None = None
    due: date | None = None
    completed_at: datetime | None = None
    decisions: list[Decision] = field(default_factory=list)
    announced: bool = False
    meeting: date | None = None  # a meeting stage: the meeting the paper is booked on
    paper_deadline: date | None = None
    deferrals: list[Deferral] = field(default_factory=list)
    paper_submitted_at: datetime | None = None
    late_paper: str | None = None  # the reason a late paper was agreed
    chairs_action: ChairsAction | None = None
    version: int = 1  # the document version the stage is (or was last) open for
    skipped_reason: str | None = None  # why a conditional stage does not run for this sign-off
    handovers: list[Handover] = field(default_factory=list)  # every version's, in the order made

    def current_decisions(self) -> list[Decision]:
        """Decisions on the version the stage is open for, at the meeting it is booked on."""
        return [d for d in self.decisions if d.document_version == self.version and d.meeting == self.meeting]

    def decided_by(self, reviewer: str) -> Decision | None:
        """The decision filling this reviewer's seat, or made by them as a deputy (this version, the
        booked meeting), if any."""
        return next((d for d in self.current_decisions() if reviewer in (d.seat, d.reviewer)), None)

    def in_force(self) -> dict[str, Handover]:
        """The handover in force for each seat handed on, for the version the stage is open for."""
        return {h.reviewer: h for h in self.handovers if h.version == self.version}

    def holder_of(self, seat: str) -> str:
        """Who holds a seat now: its deputy while it is handed on, otherwise its reviewer."""
        handover = self.in_force().get(seat)
        return handover.deputy if handover else seat

    def seat_for(self, person: str, deciders: tuple[str, ...]) -> str | None:
        """The seat ``person`` holds now: their own (one of ``deciders``) or one handed to them."""
        if person in deciders:
            return person
        return next((seat for seat, h in self.in_force().items() if h.deputy == person), None)

    def handed_on(self, person: str) -> Handover | None:
        """The handover in force that took away the seat ``person`` had on this version, if any."""
        in_force = self.in_force()
        if person in in_force:
            return in_force[person]
        held = {h.reviewer for h in self.handovers if h.version == self.version and h.deputy == person}
        return next((in_force[s] for s in held if in_force[s].deputy != person), None)

    def ever_deputy(self, person: str) -> bool:
        """Whether ``person`` was handed a seat of this stage on any version."""
        return any(h.deputy == person for h in self.handovers)
