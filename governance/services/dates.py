"""Dates a running sign-off needs: when an opened stage is due."""

from __future__ import annotations

from datetime import date, timedelta

from governance.adapters.bank_holidays import working_days_for
from governance.domain.meetings import next_meeting_for_papers
from governance.domain.route import Route, Stage
from governance.domain.signoff import DueFor
from governance.domain.workdays import WorkingDays

MEETING_HORIZON = timedelta(days=3 * 366)


def due_calculator(route: Route) -> DueFor:
    """``due_for(stage, opened_on)``: for a review, the opening date plus its working days; for a
    meeting, the first meeting whose paper deadline it can still make, plus the working days the
    secretary has to record the decision (none when the route gives none)."""
    cache: dict[date, WorkingDays] = {}

    def due_for(stage: Stage, opened_on: date) -> date | None:
        if opened_on not in cache:
            cache[opened_on] = working_days_for(route, around=opened_on)
        workdays = cache[opened_on]
        if stage.calendar is None:
            return workdays.after(opened_on, stage.due_working_days or 0)
        calendar = route.calendars[stage.calendar]
        meeting = next_meeting_for_papers(
            calendar, workdays, ready=opened_on, until=opened_on + MEETING_HORIZON
        )
        return workdays.after(meeting, stage.due_working_days or 0) if meeting else None

    return due_for
