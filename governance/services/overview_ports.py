"""What the dashboard and the cycle-time report read from storage: sign-offs in summary, a page at a
time, and every sign-off's history, in a few queries rather than an aggregate per sign-off
(typing.Protocol)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from governance.domain.route import Route
from governance.domain.states import SignOffState


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


FINISHED = frozenset({SignOffState.APPROVED.value, SignOffState.REJECTED.value, SignOffState.CANCELLED.value})


@dataclass(frozen=True)
class Scope:
    """Whose sign-offs one may see: of ``organisations`` (None: of every one) and, when ``lead`` is
    given, only those that person leads (compared case-insensitively)."""

    organisations: frozenset[str] | None = None
    lead: str | None = None

    def admits(self, summary: SignOffSummary) -> bool:
        return (self.organisations is None or summary.organisation in self.organisations) and (
            self.lead is None or summary.lead.casefold() == self.lead.casefold()
        )


@dataclass(frozen=True)
class SummaryQuery:
    """Which sign-offs a list shows: those ``scope`` admits, of ``organisation``, in ``state``, and
    with the stored RAG ``rag`` (running sign-offs only); an empty filter admits any."""

    scope: Scope = Scope()
    organisation: str = ""
    state: str = ""
    rag: str = ""

    def admits(self, summary: SignOffSummary) -> bool:
        return (
            self.scope.admits(summary)
            and (not self.organisation or summary.organisation == self.organisation)
            and (not self.state or summary.state == self.state)
            and (not self.rag or (summary.state not in FINISHED and summary.rag == self.rag))
        )


class Overview(Protocol):
    """Sign-offs in summary a page at a time, and every one's history, for lists and reports."""

    def organisations(self, scope: Scope) -> tuple[str, ...]:
        """The organisations of the sign-offs ``scope`` admits, sorted."""

    def count(self, query: SummaryQuery) -> int:
        """How many sign-offs ``query`` admits."""

    def summaries(
        self, query: SummaryQuery = SummaryQuery(), *, offset: int = 0, limit: int | None = None
    ) -> list[SignOffSummary]:
        """The sign-offs ``query`` admits, most urgent first (``dashboard.urgency``; ties newest
        first), from the ``offset``-th, at most ``limit`` of them (None: every one)."""

    def histories(self) -> list[SignOffHistory]:
        """Every sign-off's stages and responses, oldest first."""
