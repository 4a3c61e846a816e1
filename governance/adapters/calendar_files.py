"""A plan's key dates as an iCalendar file, one all-day event per date (the edge: uses ``icalendar``)."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, timedelta

from icalendar import Calendar, Event

from governance.domain.planning import Plan, StagePlan
from governance.domain.route import StageKind

PRODID = "-//signoff//key dates//EN"
UID_DOMAIN = "signoff"


def key_dates_calendar(plan: Plan, *, title: str, stamp: datetime | None = None) -> bytes:
    """An .ics file with each stage's paper deadline, meeting and decide-by date."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", title)
    # Same title and route give the same UIDs, so a re-import updates events rather than doubling them.
    namespace = hashlib.sha256(f"{title}\n{plan.route_id}".encode()).hexdigest()[:16]
    for stage in plan.stages:
        for what, day in _key_dates(stage):
            uid = f"{namespace}-{stage.id}-{what.replace(' ', '-')}@{UID_DOMAIN}"
            calendar.add_component(_event(uid, f"{title}: {stage.name} – {what}", day, stamp))
    return bytes(calendar.to_ical())


def _key_dates(stage: StagePlan) -> list[tuple[str, date]]:
    """The stage's dates worth a calendar entry, with what each one is."""
    if stage.kind is StageKind.MEETING:
        named = [("paper deadline", stage.paper_deadline), ("meeting", stage.meeting)]
    else:
        named = [("decide by", stage.decide_by)]
    return [(what, day) for what, day in named if day is not None]


def _event(uid: str, summary: str, day: date, stamp: datetime | None) -> Event:
    """One all-day event."""
    event = Event()
    event.add("uid", uid)
    event.add("summary", summary)
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))
    event.add("dtstamp", stamp or datetime.now(UTC))
    event.add("transp", "TRANSPARENT")
    return event
