"""A stage's progress on one sign-off, and the decisions recorded on it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from governance.domain.committee_stage import ChairsAction, Deferral, Minutes
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

    def current_decisions(self) -> list[Decision]:
        """Decisions on the version the stage is open for, at the meeting it is booked on."""
        return [d for d in self.decisions if d.document_version == self.version and d.meeting == self.meeting]

    def decided_by(self, reviewer: str) -> Decision | None:
        """This reviewer's decision on the stage (this version, the booked meeting), if any."""
        return next((d for d in self.current_decisions() if d.reviewer == reviewer), None)
