"""Committee meetings: a calendar's dates and paper deadlines.

A calendar's meetings are the occurrences of its recurrence rule (an RFC 5545 RRULE value such
as ``FREQ=MONTHLY;BYDAY=+2TU``) from ``dtstart``, plus its extra ``dates``, minus ``cancelled``.
Expansions are cached per calendar and year, so repeated planning over a horizon is cheap.

Public functions:
- ``validate_rrule(text, *, dtstart=None) -> str | None``: a problem with a rule, or None.
- ``meeting_dates(calendar, *, until, since=None) -> list[date]``
- ``paper_deadline(meeting, calendar, workdays) -> date``
- ``latest_meeting(calendar, *, on_or_before) -> date | None``
- ``next_meeting_for_papers(calendar, workdays, *, ready, until) -> date | None``
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from datetime import date, datetime, time
from functools import lru_cache

from dateutil.rrule import rrule, rrulestr

from governance.domain.errors import PlanningError
from governance.domain.route import Calendar
from governance.domain.workdays import WorkingDays

RULE_PREFIX = "RRULE:"
SUB_DAILY = frozenset({"HOURLY", "MINUTELY", "SECONDLY"})
# Rules are checked against this start when the caller has none to offer.
PROBE_START = date(2000, 1, 3)


def validate_rrule(text: str, *, dtstart: date | None = None) -> str | None:
    """The problem with a recurrence rule, fit to show a person, or None when it is usable."""
    try:
        rule = _parse(text, dtstart or PROBE_START)
    except ValueError as error:
        return str(error)
    if dtstart is not None and rule.after(_midnight(dtstart), inc=True) is None:
        return f"the rule {text!r} gives no meeting on or after {dtstart.isoformat()}"
    return None


def meeting_dates(calendar: Calendar, *, until: date, since: date | None = None) -> list[date]:
    """The calendar's meetings from ``since`` (or its first) to ``until``, both inclusive, in order."""
    schedule = _schedule(calendar, until.year)
    first = 0 if since is None else bisect_left(schedule, since)
    return list(schedule[first : bisect_right(schedule, until)])


def paper_deadline(meeting: date, calendar: Calendar, workdays: WorkingDays) -> date:
    """The day papers are due: the calendar's number of working days before the meeting."""
    return workdays.before(meeting, calendar.paper_deadline_working_days)


def latest_meeting(calendar: Calendar, *, on_or_before: date) -> date | None:
    """The last meeting on or before the given day, or None when there is none."""
    schedule = _schedule(calendar, on_or_before.year)
    index = bisect_right(schedule, on_or_before)
    return schedule[index - 1] if index else None


def next_meeting_for_papers(
    calendar: Calendar, workdays: WorkingDays, *, ready: date, until: date
) -> date | None:
    """The earliest meeting up to ``until`` whose paper deadline is on or after ``ready``."""
    schedule = _schedule(calendar, until.year)
    # A deadline is never after its meeting, so no earlier meeting can qualify.
    for meeting in schedule[bisect_left(schedule, ready) :]:
        if meeting > until:
            return None
        if paper_deadline(meeting, calendar, workdays) >= ready:
            return meeting
    return None


@lru_cache(maxsize=1024)
def _schedule(calendar: Calendar, year: int) -> tuple[date, ...]:
    """Every meeting of the calendar up to the end of ``year``, sorted and without repeats."""
    last = date(year, 12, 31)
    extra = (day for day in calendar.dates if day <= last)
    meetings = set(_occurrences(calendar, last)).union(extra).difference(calendar.cancelled)
    return tuple(sorted(meetings))


def _occurrences(calendar: Calendar, last: date) -> list[date]:
    """The recurrence rule's dates up to ``last`` (none when the calendar has no rule)."""
    if calendar.rrule is None:
        return []
    if calendar.dtstart is None:
        msg = f"calendar '{calendar.id}' ({calendar.name}) has a recurrence rule but no dtstart"
        raise PlanningError(msg)
    try:
        rule = _parse(calendar.rrule, calendar.dtstart)
    except ValueError as error:
        msg = f"calendar '{calendar.id}' ({calendar.name}) has an invalid rrule {calendar.rrule!r}: {error}"
        raise PlanningError(msg) from error
    found: list[date] = []
    for when in rule:
        if when.date() > last:
            break
        found.append(when.date())
    return found


def _parse(text: str, dtstart: date) -> rrule:
    """Parse one bare RRULE value (an ``RRULE:`` prefix is allowed); ValueError when unusable."""
    body = text.strip()
    if body.upper().startswith(RULE_PREFIX):
        body = body[len(RULE_PREFIX) :]
    if not body or ":" in body or "\n" in body:
        msg = "give one RRULE value such as FREQ=MONTHLY;BYDAY=+2TU (dtstart, dates, cancelled go elsewhere)"
        raise ValueError(msg)
    parts = dict(part.partition("=")[::2] for part in body.upper().split(";"))
    if parts.get("FREQ") in SUB_DAILY:
        msg = f"meetings recur daily at most, not {parts['FREQ']}"
        raise ValueError(msg)
    try:
        parsed = rrulestr(body, dtstart=_midnight(dtstart))
    except (TypeError, ValueError) as error:
        msg = "FREQ is missing" if "FREQ" not in parts else str(error)
        if "UNTIL" in msg:
            msg = "give UNTIL as a plain date such as 20271231, with no time zone"
        raise ValueError(msg) from error
    if not isinstance(parsed, rrule):  # pragma: no cover - a bare value never parses to a set
        msg = "give one RRULE value, not a set of rules"
        raise ValueError(msg)  # noqa: TRY004 - a bad rule is a bad value, reported like the others
    return parsed


def _midnight(day: date) -> datetime:
    """A naive datetime at the start of the day, as dateutil expects."""
    return datetime.combine(day, time())
