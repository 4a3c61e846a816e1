"""Email kinds of the document loop: changes requested (to the lead) and a review handed on."""

from __future__ import annotations

from typing import ClassVar

from pydantic.dataclasses import dataclass

from notifications.facts import STRICT, DecisionFacts, Role, StageFacts


@dataclass(frozen=True, config=STRICT)
class ChangesRequestedEmail:
    """To the lead: a stage asked for changes; every comment made on this version, and what to do."""

    kind: ClassVar[str] = "changes_requested"
    role: Role
    reason: str
    stage: StageFacts
    version: int
    comments: tuple[DecisionFacts, ...]
    revise_command: str


@dataclass(frozen=True, config=STRICT)
class DelegatedEmail:
    """To the reviewer who handed a review on (or whose review was moved): who has it now. No link."""

    kind: ClassVar[str] = "delegated"
    role: Role
    reason: str
    stage: StageFacts
    deputy: str
    how: str  # delegated, reassigned, away
