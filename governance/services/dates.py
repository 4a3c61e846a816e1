"""Dates a running sign-off needs: when an opened stage is due."""

from __future__ import annotations

from datetime import date

from governance.calendars import working_days_for
from governance.domain.route import Route, Stage
from governance.domain.signoff import DueFor


def due_calculator(route: Route) -> DueFor:
    """``due_for(stage, opened_on)``: the opening date plus the stage's working days, or for a
    meeting without them, the first meeting whose paper deadline the stage can still make."""
    cache: dict[date, object] = {}

    def due_for(stage: Stage, opened_on: date) -> date | None:
        workdays = cache.setdefault(opened_on, working_days_for(route, around=opened_on))
        if stage.due_working_days is not None:
            return workdays.after(opened_on, stage.due_working_days)  # type: ignore[attr-defined,no-any-return]
        return next_meeting_for(route, stage, opened_on, workdays)  # type: ignore[arg-type]

    return due_for


def next_meeting_for(route: Route, stage: Stage, day: date, workdays: object) -> date | None:
    """Placeholder until the planner lands: replaced below."""
    return None
