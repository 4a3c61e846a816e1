"""A sign-off's story as Prefect tells it: which stage task runs, states, log lines and events.

Pure: worked out from the stored sign-off (its status read model) and the record of what Prefect
was already told, so a step tells only what is new and a repeated step tells nothing. Each stage
opening is one segment (a task run): a stage reopened for a new version, or deferred to another
meeting, starts a new one. ``flows.story`` makes the calls; nothing here imports Prefect.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from governance.domain.london_time import human_date
from governance.domain.states import SignOffState, StageState
from governance.services.status import SignOffStatus, StageStatus
from governance.services.story_ports import StoryRecord


@dataclass(frozen=True)
class Ending:
    """How a run ended, as Prefect shows it: a state type and the state name people read."""

    type: str  # COMPLETED, FAILED or CANCELLED
    name: str


APPROVED = Ending("COMPLETED", "Approved")
REJECTED = Ending("FAILED", "Rejected")
CHANGES_REQUESTED = Ending("FAILED", "Changes requested")
DEFERRED = Ending("COMPLETED", "Deferred")
SKIPPED = Ending("COMPLETED", "Skipped")
CANCELLED = Ending("CANCELLED", "Cancelled")
SUPERSEDED = Ending("CANCELLED", "Superseded")
STAGE_ENDINGS = {
    StageState.APPROVED: APPROVED,
    StageState.REJECTED: REJECTED,
    StageState.CHANGES_REQUESTED: CHANGES_REQUESTED,
    StageState.SKIPPED: SKIPPED,
}
SIGNOFF_ENDINGS = {
    SignOffState.APPROVED: APPROVED,
    SignOffState.REJECTED: REJECTED,
    SignOffState.CANCELLED: CANCELLED,
}
# What a log line says a stage did, by its ending.
VERBS = {
    "Approved": "approved",
    "Rejected": "rejected",
    "Changes requested": "sent back for changes",
    "Deferred": "deferred",
    "Skipped": "skipped",
    "Cancelled": "stopped: the sign-off was cancelled",
    "Superseded": "superseded by a new version",
}
# The verdicts that make each ending, for naming who decided.
DECIDING_VERDICTS = {
    "Approved": ("approve", "approve_with_amendments"),
    "Rejected": ("reject",),
    "Changes requested": ("changes",),
}


@dataclass(frozen=True)
class Segment:
    """A stretch of one stage that the run graph shows as one task run: one version, one meeting."""

    key: str  # the task run's dynamic key, e.g. "legal-v1", "board-v1-m2"
    stage_id: str
    name: str
    opened_at: datetime | None  # None: a stage that never opened (skipped)
    ended_at: datetime | None
    ending: Ending | None  # None while open
    stalled: bool = False
    summary: str = ""  # what ended it, e.g. "approved by legal@icb.example.nhs.uk"


@dataclass(frozen=True)
class Transition:
    """One thing to tell Prefect: a stage opened, completed or stalled, or the sign-off ended."""

    key: str  # as the story record keeps it, e.g. "opened:legal-v1", "finished"
    event: str  # the Prefect event, e.g. "signoff.stage.opened"
    at: datetime
    line: str  # the log line, e.g. "Legal review approved by legal@icb.example.nhs.uk"
    segment: Segment | None = None  # None: the sign-off's end
    ending: Ending | None = None  # a segment's or the sign-off's end state


def slug(text: str) -> str:
    """Lowercase letters, digits and dashes, as Prefect keys and tags want ('NHS North' -> 'nhs-north')."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "none"


def run_tags(status: SignOffStatus) -> tuple[str, ...]:
    """The story flow run's tags: the sign-off, its route and its organisation."""
    return (f"signoff:{status.id}", f"route:{status.route}", f"org:{slug(status.organisation)}")


def segments_of(status: SignOffStatus) -> list[Segment]:
    """Every segment the stored sign-off accounts for, in route order (stages not reached: none)."""
    found: list[Segment] = []
    for index, stage in enumerate(status.stages):
        if stage.opened_at is not None:
            found.extend(_opened_segments(status, stage))
        elif stage.state is StageState.SKIPPED:
            reached = _reached_at(status, index)
            if reached is not None:
                reason = f": {stage.skipped_reason}" if stage.skipped_reason else ""
                key = f"{stage.id}-v{stage.version}"
                found.append(
                    Segment(key, stage.id, stage.name, None, reached, SKIPPED, summary=f"skipped{reason}")
                )
    return found


def _reached_at(status: SignOffStatus, index: int) -> datetime | None:
    """When the route got past a stage that never opened: a later stage (or a member of its group)
    opened, or the sign-off ended; None while it has not."""
    stage = status.stages[index]
    later = [
        s.opened_at
        for i, s in enumerate(status.stages)
        if s.opened_at is not None and (i > index or (stage.group is not None and s.group == stage.group))
    ]
    if later:
        return min(later)
    return stage.completed_at or status.completed_at


def _opened_segments(status: SignOffStatus, stage: StageStatus) -> list[Segment]:
    """One segment per meeting the stage was open for at its version: each deferral starts another."""
    assert stage.opened_at is not None
    opened = stage.opened_at
    deferrals = [d for d in (stage.booked.deferrals if stage.booked else ()) if d.at >= opened]
    starts = [opened, *(d.at for d in deferrals)]
    found = []
    for n, start in enumerate(starts):
        key = f"{stage.id}-v{stage.version}" + (f"-m{n + 1}" if n else "")
        name = stage.name + (f" (version {stage.version})" if stage.version > 1 else "")
        name += f" (meeting {n + 1})" if n else ""
        if n < len(deferrals):
            to = human_date(deferrals[n].to_meeting)
            summary = (
                f"deferred to {to}: {deferrals[n].reason}" if deferrals[n].reason else f"deferred to {to}"
            )
            found.append(Segment(key, stage.id, name, start, deferrals[n].at, DEFERRED, summary=summary))
            continue
        ending = _final_ending(status, stage)
        summary = _summary(stage, ending, since=start) if ending else ""
        found.append(Segment(key, stage.id, name, start, stage.completed_at, ending, stage.stalled, summary))
    return found


def _final_ending(status: SignOffStatus, stage: StageStatus) -> Ending | None:
    if stage.completed_at is None:
        return None
    if stage.state is StageState.SKIPPED and status.state is SignOffState.CANCELLED:
        return CANCELLED
    return STAGE_ENDINGS.get(stage.state)


def _summary(stage: StageStatus, ending: Ending, *, since: datetime) -> str:
    """'approved by a@x, b@y': the verb, and who made the decisions that ended the segment."""
    verdicts = DECIDING_VERDICTS.get(ending.name, ())
    deciders = [
        d.reviewer
        for d in stage.decisions
        if d.version == stage.version and d.at >= since and d.decision in verdicts
    ]
    by = f" by {', '.join(dict.fromkeys(deciders))}" if deciders else ""
    return VERBS[ending.name] + by


def transitions(status: SignOffStatus, record: StoryRecord, *, now: datetime) -> list[Transition]:
    """What Prefect has not been told yet, in the order it happened; the sign-off's end comes last."""
    told = record.told
    found: list[Transition] = []
    segments = segments_of(status)
    for segment in segments:
        found.extend(t for t in _segment_transitions(segment, now=now) if t.key not in told)
    current = {segment.key for segment in segments}
    for key in sorted(set(record.task_runs) - current):
        if f"completed:{key}" not in told:  # opened for a version that has since been replaced
            stale = Segment(key, key.split("-v")[0], key, None, now, SUPERSEDED)
            line = f"{key} {VERBS[SUPERSEDED.name]}"
            found.append(
                Transition(f"completed:{key}", "signoff.stage.completed", now, line, stale, SUPERSEDED)
            )
    found.sort(key=lambda t: t.at)
    ending = SIGNOFF_ENDINGS.get(status.state)
    if ending is not None and "finished" not in told:
        line = f"{status.title}: sign-off {ending.name.lower()}"
        found.append(
            Transition("finished", "signoff.finished", status.completed_at or now, line, None, ending)
        )
    return found


def _segment_transitions(segment: Segment, *, now: datetime) -> list[Transition]:
    found = []
    if segment.opened_at is not None:
        line = f"{segment.name} opened"
        found.append(
            Transition(f"opened:{segment.key}", "signoff.stage.opened", segment.opened_at, line, segment)
        )
    if segment.ending is None and segment.stalled:
        line = f"{segment.name} has stalled: its due date has passed"
        found.append(Transition(f"stalled:{segment.key}", "signoff.stage.stalled", now, line, segment))
    if segment.ending is not None and segment.ended_at is not None:
        line = f"{segment.name} {segment.summary}"
        found.append(
            Transition(
                f"completed:{segment.key}",
                "signoff.stage.completed",
                segment.ended_at,
                line,
                segment,
                segment.ending,
            )
        )
    return found


def told(
    record: StoryRecord, done: list[Transition], *, flow_run_id: str, task_runs: dict[str, str]
) -> StoryRecord:
    """The record after telling ``done``: its keys, the flow run and the task runs created."""
    return StoryRecord(
        flow_run_id=flow_run_id,
        task_runs={**record.task_runs, **task_runs},
        told=record.told | {t.key for t in done},
    )
