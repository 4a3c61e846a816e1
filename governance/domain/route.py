"""A sign-off route: the stages a document passes through, as frozen values.

Route files are parsed at the edge (``governance.adapters.route_files``); this module only describes them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time
from enum import StrEnum


class StageKind(StrEnum):
    REVIEW = "review"
    MEETING = "meeting"


class RuleKind(StrEnum):
    ALL = "all"
    ANY = "any"
    QUORUM = "quorum"


@dataclass(frozen=True)
class ApprovalRule:
    """How many approvals a stage needs: all of them, any one, or a quorum of N."""

    kind: RuleKind
    quorum: int = 0

    def required(self, reviewers: int) -> int:
        """Approvals needed among ``reviewers`` reviewers."""
        if self.kind is RuleKind.ALL:
            return reviewers
        if self.kind is RuleKind.ANY:
            return 1
        return self.quorum

    def __str__(self) -> str:
        return str(self.quorum) if self.kind is RuleKind.QUORUM else self.kind.value


ESCALATE_TO_LEAD = "lead"


@dataclass(frozen=True)
class Reminders:
    """When to nudge outstanding reviewers and when to escalate a stalled stage."""

    every_working_days: int = 3
    escalate_after: int = 2
    escalate_to: tuple[str, ...] = (ESCALATE_TO_LEAD,)


@dataclass(frozen=True)
class Stage:
    """One stage: a review by named people, or a committee meeting on a calendar."""

    id: str
    name: str
    kind: StageKind
    reviewers: tuple[str, ...]
    approvals: ApprovalRule
    due_working_days: int | None
    calendar: str | None = None
    reminders: Reminders = field(default_factory=Reminders)
    group: str | None = None
    chairs_action: tuple[str, ...] = ()  # chairs who may act between meetings
    veto: tuple[str, ...] = ()  # reviewers whose single reject rejects the stage
    when_tag: str | None = None  # runs only for sign-offs started with this tag
    deputies: tuple[tuple[str, tuple[str, ...]], ...] = ()  # reviewer -> whom they may nominate
    reapprove_on_new_version: bool = False  # reopens for every new version, even once approved

    def runs_for(self, tags: frozenset[str]) -> bool:
        """Whether the stage runs for a sign-off started with ``tags``."""
        return self.when_tag is None or self.when_tag in tags

    def deputies_of(self, reviewer: str) -> tuple[str, ...] | None:
        """Whom ``reviewer`` may hand the review to; None: anyone."""
        return next((allowed for who, allowed in self.deputies if who == reviewer), None)

    @property
    def deciders(self) -> tuple[str, ...]:
        """Who records this stage's decision (a meeting's secretary records the committee's)."""
        return self.reviewers


@dataclass(frozen=True)
class ParallelGroup:
    """Stages that open together; the group is decided when every member is."""

    id: str
    members: tuple[Stage, ...]


Step = Stage | ParallelGroup


@dataclass(frozen=True)
class Calendar:
    """A committee's meetings: a recurrence plus extra dates, minus cancelled ones."""

    id: str
    name: str
    paper_deadline_working_days: int
    rrule: str | None = None
    dtstart: date | None = None
    dates: tuple[date, ...] = ()
    cancelled: tuple[date, ...] = ()
    time: time | None = None  # the meetings' time of day, Europe/London


@dataclass(frozen=True)
class Route:
    """An ICB's sign-off route for one kind of document."""

    id: str
    name: str
    organisation: str
    steps: tuple[Step, ...]
    calendars: dict[str, Calendar] = field(default_factory=dict)
    closures: frozenset[date] = frozenset()
    channels: tuple[str, ...] = ()

    @property
    def stages(self) -> tuple[Stage, ...]:
        """Every stage in route order, members of a parallel group one by one."""
        return tuple(stage for step in self.steps for stage in members_of(step))

    def stage(self, stage_id: str) -> Stage:
        """The stage with this id; KeyError when there is none."""
        for stage in self.stages:
            if stage.id == stage_id:
                return stage
        raise KeyError(stage_id)

    @property
    def reviewers(self) -> tuple[str, ...]:
        """Everyone who decides some stage, once each, in route order."""
        return tuple(dict.fromkeys(r for stage in self.stages for r in stage.deciders))


def members_of(step: Step) -> tuple[Stage, ...]:
    """The stages a step opens: itself, or a parallel group's members."""
    return step.members if isinstance(step, ParallelGroup) else (step,)
