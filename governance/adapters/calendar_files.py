"""A plan's key dates as an iCalendar file, one event per date (the edge: uses ``icalendar``).

Dates are all-day events; a committee meeting with a time of day is a timed event in
Europe/London, and the file then carries that VTIMEZONE.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from governance.domain.planning import Plan, StagePlan
from governance.domain.route import StageKind

PRODID = "-//signoff//key dates//EN"
LONDON = ZoneInfo("Europe/London")
MEETING_LENGTH = timedelta(hours=2)
# A meeting stage's booked meeting and paper deadline, by stage id, from the sign-off as it runs.
Booked = Mapping[str, tuple[date | None, date | None]]
UID_DOMAIN = "signoff"


def key_dates_calendar(
    plan: Plan,
    *,
    title: str,
    stamp: datetime | None = None,
    booked: Booked | None = None,
    times: Mapping[str, time] | None = None,
) -> bytes:
    """An .ics file with each stage's paper deadline, meeting and decide-by date; a stage booked
    on a meeting shows that meeting and its deadline, and ``times`` gives meetings a time of day."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", title)
    # Same title and route give the same UIDs, so a re-import updates events rather than doubling them.
    namespace = hashlib.sha256(f"{title}\n{plan.route_id}".encode()).hexdigest()[:16]
    for stage in plan.stages:
        at = (times or {}).get(stage.id)
        for what, day in _key_dates(stage, (booked or {}).get(stage.id)):
            uid = f"{namespace}-{stage.id}-{what.replace(' ', '-')}@{UID_DOMAIN}"
            clock = at if what == "meeting" else None
            calendar.add_component(_event(uid, f"{title}: {stage.name} – {what}", day, stamp, clock))
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())


def _key_dates(stage: StagePlan, booked: tuple[date | None, date | None] | None) -> list[tuple[str, date]]:
    """The stage's dates worth a calendar entry, with what each one is."""
    if stage.kind is StageKind.MEETING:
        meeting, deadline = booked if booked and booked[0] else (stage.meeting, stage.paper_deadline)
        named = [("paper deadline", deadline), ("meeting", meeting)]
    else:
        named = [("decide by", stage.decide_by)]
    return [(what, day) for what, day in named if day is not None]


def _event(uid: str, summary: str, day: date, stamp: datetime | None, at: time | None = None) -> Event:
    """One all-day event, or a timed one in London time when ``at`` is given."""
    event = Event()
    event.add("uid", uid)
    event.add("summary", summary)
    if at is None:
        event.add("dtstart", day)
        event.add("dtend", day + timedelta(days=1))
    else:
        start = datetime.combine(day, at, tzinfo=LONDON)
        event.add("dtstart", start)
        event.add("dtend", start + MEETING_LENGTH)
    event.add("dtstamp", stamp or datetime.now(UTC))
    event.add("transp", "TRANSPARENT")
    return event
