"""Time at the edge: stored in UTC, shown to people as Europe/London dates."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def utc_now() -> datetime:
    """The current time in UTC (the only place the product reads the clock)."""
    return datetime.now(UTC)


def london_date(moment: datetime) -> date:
    """The calendar date in England at ``moment``."""
    return moment.astimezone(LONDON).date()


def human_date(day: date | None) -> str | None:
    """A date as people read it in emails and pages: 'Wed 31 Mar 2027'."""
    return day.strftime("%a %-d %b %Y") if day else None


def human_time(moment: datetime | None) -> str | None:
    """A timestamp in London time: 'Wed 31 Mar 2027, 14:05'."""
    return moment.astimezone(LONDON).strftime("%a %-d %b %Y, %H:%M") if moment else None
