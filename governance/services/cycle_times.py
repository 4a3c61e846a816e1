"""How long sign-offs take, per route and stage: working days open, reviewers' response times,
deferrals, late papers, and sign-offs finished on time or late.

``cycle_report(histories, workdays=...)`` is the computation, over plain records; ``read_cycle_times``
reads those records in one unit of work. Working days are the domain's (weekends, England's bank
holidays, the route's closures), counted between London dates: a stage opened and closed on the
same day took 0 working days.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from governance.domain.access import Account
from governance.domain.london_time import london_date
from governance.domain.signoff import SignOffState
from governance.domain.workdays import WorkingDays
from governance.services.dates import working_days
from governance.services.overview_ports import SignOffHistory
from governance.services.ports import UnitsOfWork

CLOSED = frozenset({"approved", "rejected", "changes_requested"})
P90 = 0.9


def median(values: Sequence[float]) -> float | None:
    """The middle value (the mean of the two middle ones for an even count); None without values."""
    return float(statistics.median(values)) if values else None


def percentile_90(values: Sequence[float]) -> float | None:
    """The 90th percentile by nearest rank: the smallest value with at least 90% of values at or below
    it (the largest of fewer than ten); None without values. Always one of the values."""
    if not values:
        return None
    ordered = sorted(values)
    return float(ordered[math.ceil(P90 * len(ordered)) - 1])


@dataclass(frozen=True)
class Spread:
    """How many values, their median and 90th percentile (None without values)."""

    count: int
    median: float | None
    p90: float | None

    @classmethod
    def of(cls, values: Sequence[float]) -> Spread:
        return cls(len(values), median(values), percentile_90(values))


@dataclass(frozen=True)
class StageCycle:
    route_id: str
    stage_id: str
    stage_name: str
    open_days: Spread  # closed stages: working days from opening to closing
    response_days: Spread  # reviewers: working days from invitation to decision
    deferrals: int
    late_papers: int


@dataclass(frozen=True)
class RouteOutcomes:
    route_id: str
    route_name: str
    on_time: int  # approved on or before the target
    late: int  # approved after the target
    no_target: int  # approved, with no target to meet
    stages: tuple[StageCycle, ...] = ()


@dataclass
class _Tally:
    name: str
    position: int
    open_days: list[float] = field(default_factory=list)
    response_days: list[float] = field(default_factory=list)
    deferrals: int = 0
    late_papers: int = 0


def cycle_report(
    histories: Sequence[SignOffHistory], *, workdays: Mapping[str, WorkingDays]
) -> tuple[RouteOutcomes, ...]:
    """Per route (by name) and stage (in route order) the statistics above; ``workdays`` by route id."""
    tallies: dict[str, dict[str, _Tally]] = {}
    names: dict[str, str] = {}
    outcomes: dict[str, list[int]] = {}
    for history in histories:
        route_id = history.route.id
        names[route_id] = history.route.name
        calendar = workdays[route_id]
        tally_stages(tallies.setdefault(route_id, {}), history, calendar)
        counts = outcomes.setdefault(route_id, [0, 0, 0])
        if (ended := finished_in_time(history)) is not None:
            counts[ended] += 1
    return tuple(
        RouteOutcomes(
            route_id, names[route_id], *counts_of(outcomes[route_id]), stage_cycles(route_id, tallies)
        )
        for route_id in sorted(names, key=lambda r: (names[r], r))
    )


def counts_of(counts: list[int]) -> tuple[int, int, int]:
    return counts[0], counts[1], counts[2]


def tally_stages(tallies: dict[str, _Tally], history: SignOffHistory, calendar: WorkingDays) -> None:
    for spell in history.stages:
        tally = tallies.setdefault(spell.stage_id, _Tally(spell.name, spell.position))
        tally.deferrals += spell.deferrals
        tally.late_papers += spell.late_paper
        if spell.state in CLOSED and spell.opened_at and spell.completed_at:
            tally.open_days.append(working_days_between(calendar, spell.opened_at, spell.completed_at))
    for response in history.responses:
        answered = tallies.get(response.stage_id)
        if (
            answered is not None
            and response.invited_at is not None
            and response.invited_at <= response.decided_at
        ):
            answered.response_days.append(
                working_days_between(calendar, response.invited_at, response.decided_at)
            )


def stage_cycles(route_id: str, tallies: dict[str, dict[str, _Tally]]) -> tuple[StageCycle, ...]:
    ordered = sorted(tallies[route_id].items(), key=lambda item: item[1].position)
    return tuple(
        StageCycle(
            route_id,
            stage_id,
            tally.name,
            Spread.of(tally.open_days),
            Spread.of(tally.response_days),
            tally.deferrals,
            tally.late_papers,
        )
        for stage_id, tally in ordered
    )


def finished_in_time(history: SignOffHistory) -> int | None:
    """0 approved on time, 1 approved late, 2 approved with no target; None when not approved."""
    if history.state != SignOffState.APPROVED.value or history.completed_at is None:
        return None
    if history.target is None:
        return 2
    return 0 if london_date(history.completed_at) <= history.target else 1


def working_days_between(calendar: WorkingDays, start: datetime, end: datetime) -> float:
    return float(calendar.between(london_date(start), london_date(end)))


def read_cycle_times(
    uows: UnitsOfWork, *, today: date, seen_by: Account | None = None
) -> tuple[RouteOutcomes, ...]:
    """The report over every sign-off ``seen_by`` may see (all when None)."""
    with uows.read() as uow:
        histories = [
            h
            for h in uow.overview.histories()
            if seen_by is None or seen_by.may_see(organisation=h.route.organisation, lead=h.lead)
        ]
    calendars = {h.route.id: working_days(h.route, around=today) for h in reversed(histories)}
    return cycle_report(histories, workdays=calendars)
