"""What the dashboard and the cycle-time report read from storage: every sign-off in summary and its
history, in a few queries rather than an aggregate per sign-off (typing.Protocol)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from governance.domain.route import Route


@dataclass(frozen=True)
class OpenStage:
    """A stage open now, with the dates stored when it opened (a meeting stage: its booking)."""

    stage_id: str
    name: str
    kind: str  # review | meeting
    due: date | None
    meeting: date | None = None
    paper_deadline: date | None = None
    paper_submitted: bool = False
    committee: str = ""  # a meeting stage: its calendar's name


@dataclass(frozen=True)
class SignOffSummary:
    """One sign-off as the dashboard lists it, read from stored columns (its RAG as last stored)."""

    id: str
    title: str
    route_id: str
    route_name: str
    organisation: str
    lead: str
    state: str
    target: date | None
    rag: str | None
    created_at: datetime
    completed_at: datetime | None
    open_stages: tuple[OpenStage, ...] = ()


@dataclass(frozen=True)
class StageSpell:
    """One stage's life on one sign-off: when it opened and closed, how it ended, its committee story."""

    stage_id: str
    name: str
    kind: str
    position: int
    state: str
    opened_at: datetime | None
    completed_at: datetime | None
    deferrals: int = 0
    late_paper: bool = False


@dataclass(frozen=True)
class Response:
    """A reviewer's decision and when they were invited to make it (their link, else the stage opening)."""

    stage_id: str
    reviewer: str
    invited_at: datetime | None
    decided_at: datetime


@dataclass(frozen=True)
class SignOffHistory:
    """A sign-off's stages and reviewers' responses, for cycle times."""

    id: str
    route: Route
    lead: str
    state: str
    target: date | None
    completed_at: datetime | None
    stages: tuple[StageSpell, ...] = ()
    responses: tuple[Response, ...] = ()


class Overview(Protocol):
    """Every sign-off at once, for lists and reports."""

    def summaries(self) -> list[SignOffSummary]:
        """A summary of every sign-off, newest first."""

    def histories(self) -> list[SignOffHistory]:
        """Every sign-off's stages and responses, oldest first."""
