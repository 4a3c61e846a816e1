"""The ``stages:`` list of a route file: reviews, meetings and parallel groups.

A value that has a problem is replaced by a placeholder so that checking can go on and every
problem is reported in one go; ``parse_route`` raises before any placeholder can escape.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from yaml.nodes import Node, ScalarNode

from governance.adapters.route_files.loop_keys import LOOP_KEYS, loop_keys
from governance.adapters.route_files.people import people_list
from governance.adapters.route_files.yaml_nodes import Fields, Reader, line_of, shown, suggestion
from governance.domain.route import (
    ESCALATE_TO_LEAD,
    ApprovalRule,
    ParallelGroup,
    Reminders,
    RuleKind,
    Stage,
    StageKind,
    Step,
)

STAGE_ID = re.compile(r"[a-z0-9][a-z0-9-]*")
QUORUM = re.compile(r"[0-9]+")
REMINDER_KEYS = ("remind_every_working_days", "escalate_after_reminders", "escalate_to")
STAGE_KEYS = (
    "id",
    "name",
    "kind",
    "reviewers",
    "secretary",
    "calendar",
    "approvals",
    "due_working_days",
    "chairs_action",
    *REMINDER_KEYS,
    *LOOP_KEYS,
)
MOST_WORKING_DAYS = 260  # a year of working days: more is a typing mistake, not a plan
GROUP_KEYS = ("parallel", "id")


@dataclass(frozen=True)
class StageContext:
    """What stages are checked against; ``seen`` collects ids (with their lines) as they come."""

    defaults: Reminders
    calendar_ids: frozenset[str]
    seen: dict[str, int] = field(default_factory=dict)

    def claim(self, reader: Reader, node: Node, *, stage_id: str) -> None:
        """Record an id, reporting it (with both lines) when an earlier stage already has it."""
        if stage_id in self.seen:
            lines = f"lines {self.seen[stage_id]} and {line_of(node)}"
            reader.report(node, f"duplicate stage id '{stage_id}' ({lines})")
        else:
            self.seen[stage_id] = line_of(node)


@dataclass(frozen=True)
class _Deciders:
    """Who decides a stage, how many must approve, and by when (a meeting adds its calendar)."""

    people: tuple[str, ...]
    approvals: ApprovalRule
    due_working_days: int | None
    calendar: str | None = None
    chairs: tuple[str, ...] = ()


def parse_steps(reader: Reader, node: Node, *, context: StageContext) -> tuple[Step, ...]:
    """The route's steps in order: single stages and parallel groups."""
    items = reader.items(node, what="stages")
    if items is None:
        return ()
    if not items:
        reader.report(node, "stages is empty: a route needs at least one stage")
    steps = (_step(reader, item, position=n, context=context) for n, item in enumerate(items, 1))
    return tuple(step for step in steps if step is not None)


def parse_reminders(reader: Reader, fields: Fields, *, base: Reminders, where: str) -> Reminders:
    """Reminder settings from a stage or from ``defaults:``, each falling back to ``base``."""
    every = _days(reader, fields.get("remind_every_working_days"), what=f"{REMINDER_KEYS[0]} {where}")
    after_node = fields.get("escalate_after_reminders")
    after = _count(reader, after_node, what=f"escalate_after_reminders {where}", minimum=0)
    escalate_to = _escalate_to(reader, fields.get("escalate_to"), where=where)
    return Reminders(
        every_working_days=base.every_working_days if every is None else every,
        escalate_after=base.escalate_after if after is None else after,
        escalate_to=escalate_to or base.escalate_to,
    )


def _step(reader: Reader, node: Node, *, position: int, context: StageContext) -> Step | None:
    """One entry of ``stages:``: a parallel group when it has ``parallel``, else a stage."""
    fields = reader.fields(node, what=f"step {position} of stages")
    if fields is None:
        return None
    if "parallel" in fields:
        return _group(reader, fields, context=context)
    return _stage(reader, fields, context=context)


def _group(reader: Reader, fields: Fields, *, context: StageContext) -> ParallelGroup | None:
    """Stages that open together, each member marked with the group's id."""
    label = f"parallel group '{fields.raw('id')}'" if "id" in fields else "parallel group"
    reader.unknown_keys(fields, known=GROUP_KEYS, where=f"in the {label} at line {line_of(fields.node)}")
    parallel = fields.entries["parallel"][1]
    items = reader.items(parallel, what=f"parallel in the {label}")
    if items is None:
        return None
    if not items:
        reader.report(parallel, "empty parallel group: list the stages that run side by side")
        return None
    members = [member for item in items if (member := _member(reader, item, context=context))]
    group_id = _group_id(reader, fields, members=members, context=context)
    return ParallelGroup(group_id, tuple(replace(member, group=group_id) for member in members))


def _member(reader: Reader, node: Node, *, context: StageContext) -> Stage | None:
    """One stage of a parallel group (groups inside groups are refused)."""
    fields = reader.fields(node, what="a stage in a parallel group")
    if fields is None:
        return None
    if "parallel" in fields:
        key = fields.entries["parallel"][0]
        reader.report(key, "parallel groups cannot be nested: list the stages of both groups in one group")
        return None
    return _stage(reader, fields, context=context)


def _group_id(reader: Reader, fields: Fields, *, members: list[Stage], context: StageContext) -> str:
    """The group's own ``id``, or its members' ids joined with '+'."""
    node = fields.get("id")
    if node is None:
        return "+".join(member.id for member in members)
    return _identifier(reader, node, what="parallel group id", context=context)


def _stage(reader: Reader, fields: Fields, *, context: StageContext) -> Stage:
    """A review or meeting stage, with placeholders where a value has a problem."""
    raw_id = fields.raw("id")
    label = f"stage '{raw_id}'" if raw_id else f"the stage at line {line_of(fields.node)}"
    where = f"in {label}"
    reader.unknown_keys(fields, known=STAGE_KEYS, where=where)
    id_node = reader.require(fields, "id", where=where)
    stage_id = _identifier(reader, id_node, what="stage id", context=context) if id_node else ""
    name = reader.required_text(fields, "name", where=where) or ""
    kind = _kind(reader, fields, where=where)
    if kind is StageKind.MEETING:
        deciders = _meeting(reader, fields, label=label, context=context)
    elif kind is StageKind.REVIEW:
        deciders = _review(reader, fields, label=label)
    else:  # the kind is missing or unknown, already reported: who decides cannot be checked
        deciders = _Deciders((), ApprovalRule(RuleKind.ALL), None)
    reminders = parse_reminders(reader, fields, base=context.defaults, where=where)
    return Stage(
        id=stage_id,
        name=name,
        kind=kind or StageKind.REVIEW,
        reviewers=deciders.people,
        approvals=deciders.approvals,
        due_working_days=deciders.due_working_days,
        calendar=deciders.calendar,
        reminders=reminders,
        chairs_action=deciders.chairs,
        **loop_keys(reader, fields, label=label, deciders=deciders.people),
    )


def _identifier(reader: Reader, node: Node, *, what: str, context: StageContext) -> str:
    """A stage or group id, usable in URLs and Prefect tags and unique in the route."""
    value = reader.text(node, what=what)
    if value is None:
        return ""
    if not STAGE_ID.fullmatch(value):
        rule = "lower-case letters, digits and hyphens, starting with a letter or digit"
        reader.report(node, f"{what} '{value}' should use only {rule} (ids appear in URLs and Prefect tags)")
    context.claim(reader, node, stage_id=value)
    return value


def _kind(reader: Reader, fields: Fields, *, where: str) -> StageKind | None:
    """review or meeting; None after reporting a missing or unknown kind."""
    node = reader.require(fields, "kind", where=where)
    raw = reader.text(node, what=f"kind {where}") if node is not None else None
    if node is None or raw is None:
        return None
    try:
        return StageKind(raw.lower())
    except ValueError:
        reader.report(node, f"unknown kind '{raw}' {where}{suggestion(raw, list(StageKind))}")
        return None


def _review(reader: Reader, fields: Fields, *, label: str) -> _Deciders:
    """A review's reviewers, approval rule (default all) and due days (required)."""
    where = f"in {label}"
    for key in ("secretary", "calendar", "chairs_action"):
        if key in fields:
            reader.report(fields.entries[key][0], f"'{key}' is only for meetings; {label} is a review")
    reviewers = people_list(reader, fields, key="reviewers", label=label)
    due_node = reader.require(fields, "due_working_days", where=where)
    due = _days(reader, due_node, what=f"due_working_days {where}")
    rule = _approvals(reader, fields.get("approvals"), default=RuleKind.ALL, people=reviewers, label=label)
    return _Deciders(reviewers or (), rule or ApprovalRule(RuleKind.ALL), due)


def _meeting(reader: Reader, fields: Fields, *, label: str, context: StageContext) -> _Deciders:
    """A meeting's secretary, calendar, approval rule (default any) and optional due days."""
    where = f"in {label}"
    if "reviewers" in fields:
        key = fields.entries["reviewers"][0]
        reader.report(key, f"a meeting's deciders go under 'secretary', not 'reviewers' ({label})")
    secretary = people_list(reader, fields, key="secretary", label=label)
    calendar = _calendar_ref(reader, fields, where=where, context=context)
    due = _days(reader, fields.get("due_working_days"), what=f"due_working_days {where}")
    rule = _approvals(reader, fields.get("approvals"), default=RuleKind.ANY, people=secretary, label=label)
    chairs = (
        people_list(reader, fields, key="chairs_action", label=label) if "chairs_action" in fields else ()
    )
    return _Deciders(secretary or (), rule or ApprovalRule(RuleKind.ANY), due, calendar, chairs or ())


def _calendar_ref(reader: Reader, fields: Fields, *, where: str, context: StageContext) -> str | None:
    """The calendar a meeting uses, which must be defined under ``calendars``."""
    node = reader.require(fields, "calendar", where=where)
    calendar = reader.text(node, what=f"calendar {where}") if node is not None else None
    if node is not None and calendar is not None and calendar not in context.calendar_ids:
        known = sorted(context.calendar_ids)
        hint = suggestion(calendar, known) if known else " (no calendars are defined)"
        reader.report(node, f"calendar '{calendar}' {where} is not defined under 'calendars'{hint}")
    return calendar


def _approvals(
    reader: Reader, node: Node | None, *, default: RuleKind, people: tuple[str, ...] | None, label: str
) -> ApprovalRule | None:
    """The approval rule as written, ``default`` when absent; None after reporting a problem."""
    if node is None:
        return ApprovalRule(default)
    raw = str(node.value).strip().lower() if isinstance(node, ScalarNode) else ""
    if raw in (RuleKind.ALL, RuleKind.ANY):
        return ApprovalRule(RuleKind(raw))
    if not QUORUM.fullmatch(raw) or int(raw) < 1:
        rule = "use all, any, or a number of approvals such as 2"
        reader.report(node, f"unknown approval rule {shown(node)} in {label}: {rule}")
        return None
    if people is not None and int(raw) > len(people):
        reader.report(node, f"quorum of {raw} in {label} is larger than the {len(people)} people listed")
        return None
    return ApprovalRule(RuleKind.QUORUM, int(raw))


def _escalate_to(reader: Reader, node: Node | None, *, where: str) -> tuple[str, ...] | None:
    """Who a stalled stage is escalated to: 'lead' and/or email addresses."""
    items = reader.items(node, what=f"escalate_to {where}") if node is not None else None
    if node is None or items is None:
        return None
    if not items:
        reader.report(node, f"escalate_to {where} is empty: use 'lead' or a list of email addresses")
    targets = [_escalation_target(reader, item, where=where) for item in items]
    return tuple(dict.fromkeys(target for target in targets if target))


def _escalation_target(reader: Reader, node: Node, *, where: str) -> str | None:
    """'lead' or an email address, lower-cased."""
    value = reader.text(node, what=f"escalate_to {where}")
    if value is None:
        return None
    if value.lower() == ESCALATE_TO_LEAD or reader.is_email(value):
        return value.lower()
    reader.report(node, f"escalate_to {where}: '{value}' is neither 'lead' nor an email address")
    return None


def _days(reader: Reader, node: Node | None, *, what: str) -> int | None:
    """A count of working days from 1 to a year's worth, when given."""
    if node is None:
        return None
    return reader.whole_number(node, what=what, minimum=1, maximum=MOST_WORKING_DAYS)


def _count(reader: Reader, node: Node | None, *, what: str, minimum: int) -> int | None:
    """A whole number of at least ``minimum``, when given."""
    return reader.whole_number(node, what=what, minimum=minimum) if node is not None else None
