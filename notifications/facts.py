"""The facts every email is built from: the sign-off, its links, a stage, a decision, a version."""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict
from pydantic.dataclasses import dataclass

STRICT = ConfigDict(extra="forbid")
Role = Literal["lead", "reviewer", "escalation"]


@dataclass(frozen=True, config=STRICT)
class SignOffFacts:
    id: str
    title: str
    route_name: str
    organisation: str
    document_sha256: str
    document_version: int
    target: str | None
    lead: str


@dataclass(frozen=True, config=STRICT)
class Links:
    timeline: str
    prefect_runs: str


@dataclass(frozen=True, config=STRICT)
class Envelope:
    """What every email of a sign-off shows, and the Message-ID its thread refers to."""

    signoff: SignOffFacts
    recipient: str
    contact: str | None  # whom to ask: the lead, or for the lead the governance contact (None: no one)
    links: Links
    thread: str


@dataclass(frozen=True, config=STRICT)
class StageFacts:
    """A stage as emails show it; dates already in words."""

    id: str
    name: str
    kind: str
    due: str | None
    approvals: str
    reviewers: tuple[str, ...]
    committee: str | None = None  # a meeting stage: the committee, its booked meeting, the deadline
    meeting: str | None = None
    paper_deadline: str | None = None


@dataclass(frozen=True, config=STRICT)
class SettledStageFacts(StageFacts):
    outcome: str = "approved"


@dataclass(frozen=True, config=STRICT)
class DecisionFacts:
    stage: str
    reviewer: str
    decision: str
    comment: str
    at: str | None
    minute_ref: str | None = None  # a committee's outcome, as minuted
    amendments: str | None = None
    version: int | None = None  # the document version it was made on
    on_behalf_of: str | None = None  # a deputy's decision: whose review it was


@dataclass(frozen=True, config=STRICT)
class EndedBy:
    stage: str
    reviewer: str | None
    comment: str


@dataclass(frozen=True, config=STRICT)
class Waiting:
    reviewer: str
    waiting_working_days: int


@dataclass(frozen=True, config=STRICT)
class RevisionFacts:
    """A new version of the document: its number, what changed and the lead's note."""

    version: int
    change_summary: str
    note: str
