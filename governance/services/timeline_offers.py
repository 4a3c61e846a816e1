"""What a signed-in officer or lead may do from a sign-off's timeline, as it stands (a query).

The use cases still refuse anything that no longer applies when the form arrives; this only keeps
the page from offering what would be refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from governance.domain.london_time import london_date
from governance.domain.route import StageKind
from governance.domain.signoff import SignOffState, StageState
from governance.services.ports import UnitsOfWork
from governance.services.status import StageStatus
from governance.services.timeline import Timeline


@dataclass(frozen=True)
class StageChoice:
    """A stage an action applies to, and the people it may concern (awaited reviewers, chairs)."""

    stage_id: str
    name: str
    people: tuple[str, ...] = ()


@dataclass(frozen=True)
class Offers:
    """The actions that apply now; empty tuples and False for those that do not."""

    remind: bool = False
    cancel: bool = False
    revise: bool = False
    papers: tuple[StageChoice, ...] = ()  # open meeting stages whose paper is not marked submitted
    chairs: tuple[StageChoice, ...] = ()  # open meeting stages whose route allows chair's action
    reassign: tuple[StageChoice, ...] = ()  # open reviews with someone still awaited

    @property
    def any(self) -> bool:
        return self.remind or self.cancel or self.revise or bool(self.papers or self.chairs or self.reassign)


@dataclass(frozen=True)
class Waiting:
    """Someone still awaited on an open stage, and since when."""

    person: str
    stage: str
    since: datetime | None
    days: int | None  # calendar days since the stage opened


def offers_of(uows: UnitsOfWork, timeline: Timeline) -> Offers:
    """What may be done with the sign-off of ``timeline`` now."""
    status = timeline.status
    if status.state not in (SignOffState.IN_PROGRESS, SignOffState.CHANGES_REQUESTED):
        return Offers()
    running = status.state is SignOffState.IN_PROGRESS
    open_stages = [s for s in status.stages if s.state is StageState.OPEN] if running else []
    meetings = [s for s in open_stages if s.kind is StageKind.MEETING]
    with uows.read() as uow:
        route = uow.signoffs.get(status.id).route
    chairs = tuple(
        StageChoice(s.id, s.name, route.stage(s.id).chairs_action)
        for s in meetings
        if route.stage(s.id).chairs_action and not chairs_asked(s)
    )
    return Offers(
        remind=any(s.awaiting for s in open_stages),
        cancel=True,
        revise=status.state is SignOffState.CHANGES_REQUESTED,
        papers=tuple(StageChoice(s.id, s.name) for s in meetings if not paper_in(s)),
        chairs=chairs,
        reassign=tuple(
            StageChoice(s.id, s.name, s.awaiting)
            for s in open_stages
            if s.kind is StageKind.REVIEW and s.awaiting
        ),
    )


def paper_in(stage: StageStatus) -> bool:
    return stage.booked is not None and stage.booked.paper_submitted_at is not None


def chairs_asked(stage: StageStatus) -> bool:
    """Chair's action already asked for and not yet taken (the chair has the link)."""
    action = stage.booked.chairs_action if stage.booked else None
    return action is not None and action.at is None


def waiting_of(timeline: Timeline, *, today: date) -> tuple[Waiting, ...]:
    """Everyone awaited on an open stage, in route order, with how long the stage has been open."""
    return tuple(
        Waiting(
            person,
            stage.name,
            stage.opened_at,
            (today - london_date(stage.opened_at)).days if stage.opened_at else None,
        )
        for stage in timeline.status.stages
        if stage.state is StageState.OPEN
        for person in stage.awaiting
    )
