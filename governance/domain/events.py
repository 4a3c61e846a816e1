"""What happened to a sign-off; handlers turn these into notifications."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class StageOpened:
    signoff_id: str
    stage_id: str
    reviewers: tuple[str, ...]
    due: date | None


@dataclass(frozen=True)
class StageClosed:
    """A decision settled a stage (announced to the lead later, by ``advance``)."""

    signoff_id: str
    stage_id: str
    state: str


@dataclass(frozen=True)
class StageCompleted:
    """A stage's approval is announced; the next stages, if any, are named."""

    signoff_id: str
    stage_id: str
    next_stage_ids: tuple[str, ...]
    not_needed: tuple[str, ...] = ()


@dataclass(frozen=True)
class SignOffFinished:
    """The sign-off ended; who took part and who was still awaited are named."""

    signoff_id: str
    state: str
    ended_by_stage: str | None
    participants: tuple[str, ...]
    outstanding: tuple[str, ...]


@dataclass(frozen=True)
class MeetingChanged:
    """A meeting stage moved to another meeting: ``deferred`` by the committee, or a ``late_paper``."""

    signoff_id: str
    stage_id: str
    from_meeting: date | None
    to_meeting: date
    paper_deadline: date
    reason: str


@dataclass(frozen=True)
class ChairsActionRequested:
    signoff_id: str
    stage_id: str
    chairs: tuple[str, ...]


@dataclass(frozen=True)
class RatificationBooked:
    """A chair approved between meetings; the committee ratifies it at ``ratify_at``."""

    signoff_id: str
    stage_id: str
    chair: str
    ratify_at: date | None


@dataclass(frozen=True)
class ChangesRequested:
    """A stage asked for changes: the sign-off waits for a revised version of the document."""

    signoff_id: str
    stage_id: str
    document_version: int


@dataclass(frozen=True)
class DocumentRevised:
    """The lead sent a new version; the stages it reopens are listed in route order."""

    signoff_id: str
    document_version: int
    reopened: tuple[str, ...]


Event = (
    StageOpened
    | StageClosed
    | StageCompleted
    | SignOffFinished
    | MeetingChanged
    | ChairsActionRequested
    | RatificationBooked
    | ChangesRequested
    | DocumentRevised
)
