"""A plan's key dates as an iCalendar file, one event per date (the edge: uses ``icalendar``).

Dates are all-day events; a committee meeting with a time of day is a timed event in
Europe/London, and the file then carries that VTIMEZONE. Each event says what is due, that its
date is the latest that still makes the target (or that the meeting is booked), the forecast, and
where the timeline is. Once a sign-off has ended its file keeps the same UIDs with every event
cancelled, so a calendar that imported or subscribed to it drops them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from governance.domain.london_time import human_date
from governance.domain.planning import Plan, StagePlan
from governance.domain.route import StageKind

PRODID = "-//signoff//key dates//EN"
LONDON = ZoneInfo("Europe/London")
MEETING_LENGTH = timedelta(hours=2)
# A meeting stage's booked meeting and paper deadline, by stage id, from the sign-off as it runs.
Booked = Mapping[str, tuple[date | None, date | None]]
UID_DOMAIN = "signoff"
LATEST_MEETING = "latest meeting that still makes the target"


@dataclass(frozen=True)
class CalendarNotes:
    """What every event of a sign-off's calendar also says: its timeline, and whether it has ended."""

    link: str | None = None  # the sign-off's timeline page
    ended: str | None = None  # the outcome in words ("approved", "cancelled") once the sign-off ended


@dataclass(frozen=True)
class KeyDate:
    what: str  # "decide by", "paper deadline", "meeting" or LATEST_MEETING (the key in the UID)
    day: date
    forecast: date | None


def key_dates_calendar(
    plan: Plan,
    *,
    title: str,
    stamp: datetime | None = None,
    booked: Booked | None = None,
    times: Mapping[str, time] | None = None,
    notes: CalendarNotes | None = None,
) -> bytes:
    """An .ics file with each stage's paper deadline, meeting and decide-by date; a stage booked
    on a meeting shows that meeting and its deadline, and ``times`` gives meetings a time of day."""
    notes = notes or CalendarNotes()
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", title)
    # Same title and route give the same UIDs, so a re-import updates events rather than doubling them.
    namespace = hashlib.sha256(f"{title}\n{plan.route_id}".encode()).hexdigest()[:16]
    for stage in plan.stages:
        at = (times or {}).get(stage.id)
        for key_date in _key_dates(stage, (booked or {}).get(stage.id)):
            uid_key = "meeting" if key_date.what == LATEST_MEETING else key_date.what
            uid = f"{namespace}-{stage.id}-{uid_key.replace(' ', '-')}@{UID_DOMAIN}"
            clock = at if uid_key == "meeting" else None
            event = _event(uid, f"{title}: {stage.name} – {key_date.what}", key_date.day, stamp, clock)
            event.add("description", describe(stage, key_date, plan=plan, notes=notes))
            _mark(event, notes)
            calendar.add_component(event)
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())


def _key_dates(stage: StagePlan, booked: tuple[date | None, date | None] | None) -> list[KeyDate]:
    """The stage's dates worth a calendar entry, with what each one is."""
    named: list[tuple[str, date | None, date | None]]
    if stage.kind is StageKind.MEETING:
        if booked and booked[0]:
            named = [("paper deadline", booked[1], None), ("meeting", booked[0], None)]
        else:
            named = [
                ("paper deadline", stage.paper_deadline, None),
                (LATEST_MEETING, stage.meeting, stage.forecast_decide),
            ]
    else:
        named = [("decide by", stage.decide_by, stage.forecast_decide)]
    return [KeyDate(what, day, forecast) for what, day, forecast in named if day is not None]


def describe(stage: StagePlan, key_date: KeyDate, *, plan: Plan, notes: CalendarNotes) -> str:
    """The event's description, in plain sentences with GOV.UK dates."""
    day, target = human_date(key_date.day), human_date(plan.target)
    lines = {
        "decide by": f"{stage.name}: the decision is due by {day}. "
        f"This is the latest date that still makes the target of {target}.",
        "paper deadline": f"{stage.name}: the paper is due with the secretary by {day}.",
        "meeting": f"{stage.name}: the paper is booked on the meeting of {day}.",
        LATEST_MEETING: f"{stage.name}: the meeting of {day} is the latest that still makes the target "
        f"of {target}.",
    }
    said = [lines[key_date.what]]
    if key_date.forecast is not None and key_date.forecast != key_date.day:
        said.append(f"Forecast: {human_date(key_date.forecast)}.")
    if notes.ended:
        said.insert(0, f"This sign-off has ended ({notes.ended}): nothing is due any more.")
    if notes.link:
        said.append(f"Timeline: {notes.link}")
    return "\n".join(said)


def _mark(event: Event, notes: CalendarNotes) -> None:
    if notes.link:
        event.add("url", notes.link)
    if notes.ended:
        event.add("status", "CANCELLED")
        event.add("sequence", 1)  # a later version of the same event, so calendars apply the change


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
