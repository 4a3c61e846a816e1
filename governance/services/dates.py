"""Dates a running sign-off needs: when an opened stage is due, and its committees' meetings
(the rules are the domain's)."""

from __future__ import annotations

from datetime import date

from governance.adapters.bank_holidays import working_days_for
from governance.domain.committee_stage import CommitteeDates
from governance.domain.route import Route, Stage
from governance.domain.signoff import DueFor
from governance.domain.stage_dates import due_when_opened
from governance.domain.workdays import WorkingDays


def due_calculator(route: Route) -> DueFor:
    """``due_for(stage, opened_on)`` over the route's working days around the opening day."""
    cache: dict[date, WorkingDays] = {}

    def due_for(stage: Stage, opened_on: date) -> date | None:
        if opened_on not in cache:
            cache[opened_on] = working_days_for(route, around=opened_on)
        return due_when_opened(route, stage, opened_on=opened_on, workdays=cache[opened_on])

    return due_for


def committee_dates(route: Route, *, around: date) -> CommitteeDates:
    """The route's committee dates over its working days around ``around``."""
    return CommitteeDates(route, working_days_for(route, around=around))


def working_days(route: Route, *, around: date) -> WorkingDays:
    """The route's working days (weekends, England's bank holidays, its closures) around ``around``."""
    return working_days_for(route, around=around)
