"""Time at the edge: stored in UTC, shown to people as Europe/London dates."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")
_offset = [timedelta(0)]  # a rehearsal's shift of the clock, set once at start-up


def utc_now() -> datetime:
    """The current time in UTC (the only place the product reads the clock), shifted by a
    rehearsal's offset when start-up set one."""
    return datetime.now(UTC) + _offset[0]


def shift_clock(days: int) -> None:
    """Run as if ``days`` days later: for rehearsing a route past its meetings, never in production."""
    _offset[0] = timedelta(days=days)


def london_date(moment: datetime) -> date:
    """The calendar date in England at ``moment``."""
    return moment.astimezone(LONDON).date()


def human_date(day: date | None) -> str | None:
    """A date the GOV.UK way, as people read it in emails and pages: 'Wed 31 March 2027'."""
    return day.strftime("%a %-d %B %Y") if day else None


def human_time(moment: datetime | None) -> str | None:
    """A timestamp in London time, the GOV.UK way: 'Wed 31 March 2027 at 2:05pm'."""
    if moment is None:
        return None
    local = moment.astimezone(LONDON)
    return f"{human_date(local.date())} at {human_clock(local.time().replace(second=0, microsecond=0))}"


def human_clock(moment: time | None) -> str | None:
    """A time of day the GOV.UK way: '2pm', '9:30am', 'midday', 'midnight'."""
    if moment is None:
        return None
    if moment.hour == 12 and moment.minute == 0:
        return "midday"
    if moment.hour == 0 and moment.minute == 0:
        return "midnight"
    hour = moment.hour % 12 or 12
    minutes = f":{moment.minute:02d}" if moment.minute else ""
    return f"{hour}{minutes}{'am' if moment.hour < 12 else 'pm'}"


def human_meeting(day: date | None, at: time | None = None) -> str | None:
    """A meeting as people read it: 'Tue 12 January 2027' or 'Tue 12 January 2027 at 2pm'."""
    if day is None:
        return None
    clock = human_clock(at)
    return f"{human_date(day)} at {clock}" if clock else human_date(day)
