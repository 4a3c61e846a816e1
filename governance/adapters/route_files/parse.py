"""Route files: read, check and turn into the domain's frozen ``Route``.

Every problem is reported as ``PATH:LINE: message`` and all of them are collected before
``RouteFileError`` is raised, so a governance officer can fix a file in one pass.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

from dateutil.rrule import rrulestr
from yaml import YAMLError
from yaml.nodes import Node

from governance.adapters.route_files.stages import (
    REMINDER_KEYS,
    STAGE_ID,
    StageContext,
    parse_reminders,
    parse_steps,
)
from governance.adapters.route_files.yaml_nodes import Fields, Problem, Reader, RouteFileError, peek_id
from governance.domain.route import Calendar, Reminders, Route

ROUTE_KEYS = ("id", "name", "organisation", "closures", "defaults", "channels", "calendars", "stages")
# More than one meeting a day: an hourly (or finer) FREQ, or several hours, minutes or seconds a day.
TOO_FREQUENT = re.compile(
    r"FREQ\s*=\s*(HOURLY|MINUTELY|SECONDLY)|(?P<several>\bBY(HOUR|MINUTE|SECOND)\s*=[^;\n]*,[^;\n]*)",
    re.IGNORECASE,
)
CALENDAR_KEYS = ("name", "meetings", "paper_deadline_working_days")
MEETING_KEYS = ("rrule", "dtstart", "dates", "cancelled", "time")
CLOCK = re.compile(r"([01][0-9]|2[0-3]):([0-5][0-9])")
CHANNEL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://\S+")
ROUTE_SUFFIXES = (".yaml", ".yml")
# Only to check an rrule's syntax when its dtstart is missing (that is reported separately).
SYNTAX_CHECK_START = datetime(2000, 1, 1)
TOP = "at the top level"


class UnknownRoute(LookupError):
    """A route reference that is neither a route file nor the id of one in the routes folder."""

    def __init__(self, ref: str, known_ids: Sequence[str], unreadable: Sequence[Path] = ()) -> None:
        self.ref = ref
        self.known_ids = list(known_ids)
        known = ", ".join(self.known_ids) or "none found"
        files = ", ".join(map(str, unreadable))
        bad = f"; unreadable route files (signoff routes validate says why): {files}" if files else ""
        super().__init__(f"no route file or route id '{ref}'; known route ids: {known}{bad}")


@dataclass(frozen=True)
class _Meetings:
    rrule: str | None = None
    dtstart: date | None = None
    dates: tuple[date, ...] = ()
    cancelled: tuple[date, ...] = ()
    time: time | None = None


def parse_route(text: str, *, path: str) -> Route:
    """The route a YAML text describes; raises RouteFileError listing every problem found."""
    reader = Reader(path)
    root = reader.parse(text)
    route = _route(reader, root) if root is not None else None
    if reader.problems or route is None:
        raise reader.error()
    return route


def load_route(path: Path) -> Route:
    """The route in a file; raises RouteFileError (also for a missing or unreadable file)."""
    return load_route_with_text(path)[0]


def load_route_with_text(path: Path) -> tuple[Route, str]:
    """The route in a file and the file's text, which is stored with each sign-off."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RouteFileError([Problem(str(path), 0, "no such route file")]) from None
    except UnicodeDecodeError as exc:
        message = f"not UTF-8 text (byte {exc.start}): save the route file as UTF-8"
        raise RouteFileError([Problem(str(path), 0, message)]) from None
    except OSError as exc:
        message = f"cannot read the route file: {exc.strerror or exc}"
        raise RouteFileError([Problem(str(path), 0, message)]) from None
    return parse_route(text, path=str(path)), text


def find_route(ref: str, *, routes_dir: Path) -> tuple[Route, Path]:
    """The route named by a file path or by the ``id`` written in a file under ``routes_dir``."""
    path = _route_path(ref, routes_dir=routes_dir)
    return load_route(path), path


def _route_path(ref: str, *, routes_dir: Path) -> Path:
    """The file a reference names: a path (also tried inside ``routes_dir``) or a route id."""
    given = Path(ref)
    if given.is_file() or given.suffix in ROUTE_SUFFIXES:
        in_dir = routes_dir / given
        return in_dir if not given.exists() and in_dir.is_file() else given
    by_id, unreadable = _route_ids(routes_dir)
    paths = by_id.get(ref)
    if not paths:
        raise UnknownRoute(ref, sorted(by_id), unreadable)
    if len(paths) > 1:
        message = f"route id '{ref}' is written in {len(paths)} files; each route id must be unique"
        raise RouteFileError([Problem(str(path), 0, message) for path in paths])
    return paths[0]


def routes_in(routes_dir: Path) -> list[Route]:
    """Every valid route in the folder (``signoff routes check`` reports the others)."""
    found = []
    for paths in _route_ids(routes_dir)[0].values():
        try:
            found.append(load_route(paths[0]))
        except (RouteFileError, OSError):
            continue
    return found


def _route_ids(routes_dir: Path) -> tuple[dict[str, list[Path]], list[Path]]:
    """Route ids written in the folder's files, read cheaply, and the files that cannot be read."""
    found: dict[str, list[Path]] = {}
    unreadable: list[Path] = []
    files = sorted(p for p in routes_dir.glob("*") if p.suffix in ROUTE_SUFFIXES and p.is_file())
    for path in files:
        try:
            route_id = peek_id(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, YAMLError):
            unreadable.append(path)
            continue
        if route_id:
            found.setdefault(route_id, []).append(path)
    return found, unreadable


def _route(reader: Reader, root: Node) -> Route | None:
    """The whole route, or None when the file is not a mapping at all."""
    fields = reader.fields(root, what="a route file")
    if fields is None:
        return None
    reader.unknown_keys(fields, known=ROUTE_KEYS, where=TOP)
    route_id = _route_id(reader, fields)
    name = reader.required_text(fields, "name", where=TOP) or ""
    organisation = reader.required_text(fields, "organisation", where=TOP) or ""
    closures = frozenset(_dates(reader, fields.get("closures"), what="closures"))
    channels = _channels(reader, fields.get("channels"))
    calendars = _calendars(reader, fields.get("calendars"))
    context = StageContext(_defaults(reader, fields.get("defaults")), frozenset(calendars))
    stages = reader.require(fields, "stages", where=TOP)
    steps = parse_steps(reader, stages, context=context) if stages is not None else ()
    return Route(
        id=route_id,
        name=name,
        organisation=organisation,
        steps=steps,
        calendars=calendars,
        closures=closures,
        channels=channels,
    )


def _route_id(reader: Reader, fields: Fields) -> str:
    """The route's id, which must be usable in URLs."""
    route_id = reader.required_text(fields, "id", where=TOP)
    node = fields.get("id")
    if route_id is not None and node is not None and not STAGE_ID.fullmatch(route_id):
        rule = "lower-case letters, digits and hyphens, starting with a letter or digit"
        reader.report(node, f"route id '{route_id}' should use only {rule} (ids appear in URLs)")
    return route_id or ""


def _defaults(reader: Reader, node: Node | None) -> Reminders:
    """Route-wide reminder settings, falling back to the built-in ones."""
    fields = reader.fields(node, what="defaults") if node is not None else None
    if fields is None:
        return Reminders()
    reader.unknown_keys(fields, known=REMINDER_KEYS, where="in defaults")
    return parse_reminders(reader, fields, base=Reminders(), where="in defaults")


def _calendars(reader: Reader, node: Node | None) -> dict[str, Calendar]:
    """Each committee calendar by its id."""
    fields = reader.fields(node, what="calendars") if node is not None else None
    if fields is None:
        return {}
    return {name: _calendar(reader, entry, calendar_id=name) for name, entry in fields.entries.items()}


def _calendar(reader: Reader, entry: tuple[Node, Node], *, calendar_id: str) -> Calendar:
    """One committee's calendar: its name, paper deadline and meetings."""
    where = f"in calendar '{calendar_id}'"
    fields = reader.fields(entry[1], what=f"calendar '{calendar_id}'", owner=entry[0])
    if fields is None:
        return Calendar(calendar_id, calendar_id, 0)
    reader.unknown_keys(fields, known=CALENDAR_KEYS, where=where)
    name = reader.required_text(fields, "name", where=where)
    deadline = reader.require(fields, "paper_deadline_working_days", where=where)
    what = f"paper_deadline_working_days {where}"
    days = reader.whole_number(deadline, what=what, minimum=0, maximum=260) if deadline is not None else None
    meetings_node = reader.require(fields, "meetings", where=where)
    meetings = _meetings(reader, fields, calendar_id=calendar_id) if meetings_node else _Meetings()
    return Calendar(
        id=calendar_id,
        name=name or calendar_id,
        paper_deadline_working_days=days or 0,
        rrule=meetings.rrule,
        dtstart=meetings.dtstart,
        dates=meetings.dates,
        cancelled=meetings.cancelled,
        time=meetings.time,
    )


def _meetings(reader: Reader, calendar: Fields, *, calendar_id: str) -> _Meetings:
    """When a committee meets: a recurrence, extra dates and cancelled dates."""
    where = f"in the meetings of calendar '{calendar_id}'"
    key, node = calendar.entries["meetings"]
    fields = reader.fields(node, what=f"meetings of calendar '{calendar_id}'", owner=key)
    if fields is None:
        return _Meetings()
    reader.unknown_keys(fields, known=MEETING_KEYS, where=where)
    if "rrule" not in fields and "dates" not in fields:
        hint = "give an rrule (with a dtstart) or a list of dates"
        reader.report(fields.line, f"calendar '{calendar_id}' has no meetings: {hint}")
    start = fields.get("dtstart")
    dtstart = reader.day(start, what=f"dtstart {where}") if start is not None else None
    return _Meetings(
        rrule=_rrule(reader, fields, dtstart=dtstart, where=where),
        dtstart=dtstart,
        dates=_dates(reader, fields.get("dates"), what=f"dates {where}"),
        cancelled=_dates(reader, fields.get("cancelled"), what=f"cancelled {where}"),
        time=_clock(reader, fields.get("time"), where=where),
    )


def _clock(reader: Reader, node: Node | None, *, where: str) -> time | None:
    """The meetings' time of day, 24-hour HH:MM in Europe/London (quoted, so YAML keeps it text)."""
    if node is None:
        return None
    text = reader.text(node, what=f"time {where}")
    found = CLOCK.fullmatch(text.strip()) if text is not None else None
    if found is None:
        reader.report(node, f'time {where} should be a 24-hour time in quotes, such as "14:00"')
        return None
    return time(int(found.group(1)), int(found.group(2)))


def _rrule(reader: Reader, fields: Fields, *, dtstart: date | None, where: str) -> str | None:
    """The recurrence rule as written, checked with dateutil."""
    node = fields.get("rrule")
    rule = reader.text(node, what=f"rrule {where}") if node is not None else None
    if node is None or rule is None:
        return None
    if "dtstart" not in fields:
        reader.report(node, f"rrule {where} needs a dtstart: the date the recurrence counts from")
    start = datetime.combine(dtstart, time()) if dtstart else SYNTAX_CHECK_START
    if found := TOO_FREQUENT.search(rule):
        several = found.group("several")
        detail = f" ({several.strip()} gives more than one meeting a day)" if several else ""
        reader.report(node, f"rrule {where} repeats more often than daily: committees meet on days{detail}")
        return None
    try:
        rrulestr(rule, dtstart=start)
    except TypeError:
        reader.report(node, f"invalid rrule '{rule}' {where}: FREQ is missing")
    except (ValueError, KeyError, IndexError, OverflowError) as exc:
        reader.report(node, f"invalid rrule '{rule}' {where}: {exc}")
    return rule


def _dates(reader: Reader, node: Node | None, *, what: str) -> tuple[date, ...]:
    """Dates written YYYY-MM-DD, in a list (or a single one)."""
    items = reader.items(node, what=what) if node is not None else None
    days = (reader.day(item, what=what) for item in items or ())
    return tuple(day for day in days if day is not None)


def _channels(reader: Reader, node: Node | None) -> tuple[str, ...]:
    """Notification URLs (scheme://...), in a list (or a single one)."""
    items = reader.items(node, what="channels") if node is not None else None
    urls: list[str] = []
    for item in items or ():
        url = reader.text(item, what="a channel")
        if url is not None and not CHANNEL.fullmatch(url):
            reader.report(item, f"channel '{url}' should be a notification URL such as 'json://host/path'")
        elif url is not None:
            urls.append(url)
    return tuple(urls)
