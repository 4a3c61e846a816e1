"""What a new sign-off is checked against before anything is stored: its target and its tags.

- ``target_refusal(target, *, today)``: why a target cannot be aimed at (past, or over five years off).
- ``tags_used(route)``, ``unused_tags(route, tags)``: the tags conditional stages name, and given
  tags no stage names (most likely typos).
- ``route_for_tags(route, tags)``: the route as a sign-off with those tags runs it, for planning.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from dateutil.relativedelta import relativedelta

from governance.domain.route import ParallelGroup, Route, Step, members_of

MAX_TARGET_YEARS = 5


def target_refusal(target: date, *, today: date) -> str | None:
    """Why a sign-off started ``today`` cannot aim at ``target``; None when it can."""
    if target < today:
        return f"the target {target} is in the past (today is {today})"
    latest = today + relativedelta(years=MAX_TARGET_YEARS)
    if target > latest:
        return f"the target {target} is more than {MAX_TARGET_YEARS} years ahead (the latest is {latest})"
    return None


def tags_used(route: Route) -> tuple[str, ...]:
    """The tags the route's conditional stages name, once each, in route order."""
    return tuple(dict.fromkeys(stage.when_tag for stage in route.stages if stage.when_tag))


def unused_tags(route: Route, tags: frozenset[str]) -> tuple[str, ...]:
    """The given tags that no stage of the route names, sorted."""
    return tuple(sorted(tags - set(tags_used(route))))


def route_for_tags(route: Route, tags: frozenset[str]) -> Route:
    """The route without the stages a sign-off with ``tags`` skips (a group keeps its running members)."""
    steps = [kept for step in route.steps if (kept := _step_for_tags(step, tags)) is not None]
    return replace(route, steps=tuple(steps))


def _step_for_tags(step: Step, tags: frozenset[str]) -> Step | None:
    running = tuple(stage for stage in members_of(step) if stage.runs_for(tags))
    if not running:
        return None
    if isinstance(step, ParallelGroup):
        return replace(step, members=running)
    return step
