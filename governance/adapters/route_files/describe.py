"""Routes shown to people: numbered stage lines for a terminal, and a JSON-ready dict."""

from __future__ import annotations

import re
import string

from governance.domain.route import Calendar, ParallelGroup, Route, Stage, Step, members_of

# Notification URLs may carry a password or token before the host; never print it.
USER_INFO = re.compile(r"(?<=://)[^/@\s]+@")


def describe_route(route: Route) -> list[str]:
    """One line per stage in route order; a parallel group's members are indented under it."""
    lines: list[str] = []
    for position, step in enumerate(route.steps, 1):
        if isinstance(step, ParallelGroup):
            lines.append(f"{position}. parallel group {step.id}:")
            lines.extend(
                f"   {position}{_letter(index)}. {_stage_line(stage, route)}"
                for index, stage in enumerate(step.members)
            )
        else:
            lines.append(f"{position}. {_stage_line(step, route)}")
    return lines


def route_to_json(route: Route) -> dict[str, object]:
    """The route as plain JSON values, steps in order, for ``--json`` output."""
    return {
        "id": route.id,
        "name": route.name,
        "organisation": route.organisation,
        "closures": [day.isoformat() for day in sorted(route.closures)],
        "channels": [redact_channel(url) for url in route.channels],
        "calendars": {key: _calendar_json(calendar) for key, calendar in route.calendars.items()},
        "steps": [_step_json(position, step) for position, step in enumerate(route.steps, 1)],
    }


def redact_channel(url: str) -> str:
    """A notification URL with any credentials before the host replaced by ``***``."""
    return USER_INFO.sub("***@", url)


def _letter(index: int) -> str:
    """The letter of a parallel group's member: a, b, c, ..."""
    letters = string.ascii_lowercase
    return letters[index] if index < len(letters) else f"-{index + 1}"


def _stage_line(stage: Stage, route: Route) -> str:
    """One stage on one line: id, name, kind, calendar, approvals and due days."""
    parts = [stage.id, stage.name, stage.kind.value]
    calendar = route.calendars.get(stage.calendar) if stage.calendar else None
    if calendar is not None:
        parts.append(f"calendar: {calendar.name}")
        days = calendar.paper_deadline_working_days
        parts.append(f"papers: {_days(days)} before the meeting" if days else "papers: on the meeting day")
        if calendar.time is not None:
            parts.append(f"at {calendar.time.strftime('%H:%M')}")
    if stage.chairs_action:
        parts.append(f"chair's action: {', '.join(stage.chairs_action)}")
    parts.append(f"approvals: {stage.approvals} of {len(stage.reviewers)}")
    due = stage.due_working_days
    parts.append(f"due: {_days(due)}" if due else "due: at the meeting")
    if stage.when_tag:
        parts.append(f"only with --tag {stage.when_tag}")
    return "  ".join(parts)


def _days(count: int) -> str:
    """'1 working day' or 'N working days'."""
    return f"{count} working day" if count == 1 else f"{count} working days"


def _step_json(position: int, step: Step) -> dict[str, object]:
    """A step as JSON: its position, its group id (or null) and its stages."""
    return {
        "position": position,
        "parallel_group": step.id if isinstance(step, ParallelGroup) else None,
        "stages": [_stage_json(stage) for stage in members_of(step)],
    }


def _stage_json(stage: Stage) -> dict[str, object]:
    """A stage as JSON, with the number of approvals it needs."""
    rule = stage.approvals
    return {
        "id": stage.id,
        "name": stage.name,
        "kind": stage.kind.value,
        "reviewers": list(stage.reviewers),
        "approvals": {
            "rule": rule.kind.value,
            "quorum": rule.quorum or None,
            "required": rule.required(len(stage.reviewers)),
        },
        "due_working_days": stage.due_working_days,
        "calendar": stage.calendar,
        "chairs_action": list(stage.chairs_action),
        "group": stage.group,
        "reminders": {
            "every_working_days": stage.reminders.every_working_days,
            "escalate_after": stage.reminders.escalate_after,
            "escalate_to": list(stage.reminders.escalate_to),
        },
    }


def _calendar_json(calendar: Calendar) -> dict[str, object]:
    """A committee calendar as JSON, dates in ISO format."""
    return {
        "name": calendar.name,
        "paper_deadline_working_days": calendar.paper_deadline_working_days,
        "rrule": calendar.rrule,
        "dtstart": calendar.dtstart.isoformat() if calendar.dtstart else None,
        "dates": [day.isoformat() for day in calendar.dates],
        "cancelled": [day.isoformat() for day in calendar.cancelled],
        "time": calendar.time.strftime("%H:%M") if calendar.time else None,
    }
