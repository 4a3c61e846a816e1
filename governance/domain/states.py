"""The states a sign-off and each of its stages can be in."""

from __future__ import annotations

from enum import StrEnum


class SignOffState(StrEnum):
    IN_PROGRESS = "in_progress"
    APPROVED = "approved"
    REJECTED = "rejected"
    CHANGES_REQUESTED = "changes_requested"
    CANCELLED = "cancelled"


class StageState(StrEnum):
    PENDING = "pending"
    OPEN = "open"
    APPROVED = "approved"
    REJECTED = "rejected"
    CHANGES_REQUESTED = "changes_requested"
    SKIPPED = "skipped"


# A stage in one of these states has not been decided (yet).
UNDECIDED = frozenset({StageState.PENDING, StageState.OPEN})
# A stage in one of these states was decided by its reviewers' verdicts.
DECIDED = frozenset({StageState.APPROVED, StageState.REJECTED, StageState.CHANGES_REQUESTED})
