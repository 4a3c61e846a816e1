"""Read model of a sign-off's timeline page (the dashboard's is ``governance.services.dashboard``)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from governance.domain.errors import PlanningError
from governance.domain.planning import Plan
from governance.domain.route import StageKind
from governance.domain.signoff import SignOff
from governance.services.key_dates import plan_of
from governance.services.ports import UnitsOfWork
from governance.services.status import SignOffStatus, StageStatus, status_of


@dataclass(frozen=True)
class TimelineStep:
    """One step of the route as it runs: a stage alone, or a parallel group's members together."""

    group: str | None
    stages: tuple[StageStatus, ...]


@dataclass(frozen=True)
class Timeline:
    """A sign-off's timeline: its status, its plan (None without one), its steps and what needs
    the lead's attention first (stalled or at-risk stages, in route order)."""

    status: SignOffStatus
    plan: Plan | None
    steps: tuple[TimelineStep, ...]
    attention: tuple[StageStatus, ...]


def read_timeline(uows: UnitsOfWork, signoff_id: str, *, now: datetime | None = None) -> Timeline:
    """The timeline of one sign-off (raises SignOffNotFound)."""
    with uows.read() as uow:
        signoff = uow.signoffs.get(signoff_id)
        status = status_of(uow, signoff, now=now)
    plan = plan_or_none(signoff)
    stages = with_meetings(status.stages, plan)
    return Timeline(
        replace(status, stages=stages),
        plan,
        steps_of(stages),
        tuple(stage for stage in stages if stage.risk.needs_attention),
    )


def plan_or_none(signoff: SignOff) -> Plan | None:
    """The sign-off's plan back from its target; None without a target or when it cannot be worked out."""
    try:
        return plan_of(signoff)
    except (PlanningError, OverflowError):
        return None


def with_meetings(stages: tuple[StageStatus, ...], plan: Plan | None) -> tuple[StageStatus, ...]:
    """Each meeting stage with its planned meeting and paper deadline from the plan."""
    meetings = {s.id: s for s in plan.stages if s.kind is StageKind.MEETING} if plan else {}
    return tuple(
        replace(stage, meeting=planned.meeting, paper_deadline=planned.paper_deadline)
        if (planned := meetings.get(stage.id))
        else stage
        for stage in stages
    )


def steps_of(stages: tuple[StageStatus, ...]) -> tuple[TimelineStep, ...]:
    """Stages grouped as the route runs them: a parallel group's members together, in order."""
    steps: list[TimelineStep] = []
    for stage in stages:
        if stage.group is not None and steps and steps[-1].group == stage.group:
            steps[-1] = TimelineStep(stage.group, (*steps[-1].stages, stage))
        else:
            steps.append(TimelineStep(stage.group, (stage,)))
    return tuple(steps)
