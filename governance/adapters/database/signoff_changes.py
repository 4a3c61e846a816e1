"""What saving a sign-off writes: only what changed since it was read, compared with how it was read.

A decision changes one stage at most and adds one decision, so its save is an update of the sign-off's
row, at most one stage's row and one insert, however many stages and reviewers the route has.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, insert, update

from governance.adapters.database.committee_rows import decision_values, stage_values
from governance.adapters.database.tables import decisions, deferrals, signoffs, stage_runs
from governance.adapters.database.watch_repository import watch_columns
from governance.domain.committee_stage import Deferral
from governance.domain.signoff import Decision, SignOff, StageProgress


@dataclass(frozen=True)
class AsRead:
    """A sign-off's stored columns and how many decisions and deferrals each stage had stored."""

    columns: dict[str, object]
    stages: dict[str, dict[str, object]]
    decisions: dict[str, int]
    deferrals: dict[str, int]


def as_read(signoff: SignOff, *, pending_advance: bool) -> AsRead:
    """The sign-off as just read (or just written), to compare with at its next save."""
    return AsRead(
        signoff_columns(signoff) | {"pending_advance": pending_advance},
        {stage_id: stage_columns(p) for stage_id, p in signoff.stages.items()},
        {stage_id: len(p.decisions) for stage_id, p in signoff.stages.items()},
        {stage_id: len(p.deferrals) for stage_id, p in signoff.stages.items()},
    )


def signoff_columns(signoff: SignOff) -> dict[str, object]:
    """The ``signoffs`` columns that the aggregate changes."""
    return {
        "state": signoff.state.value,
        "finished_announced": signoff.finished_announced,
        "document_version": signoff.document_version,
        "document_sha256": signoff.document_sha256,
    }


def stage_columns(progress: StageProgress) -> dict[str, object]:
    """The ``stage_runs`` columns that the aggregate changes."""
    return {
        "state": progress.state.value,
        "opened_at": progress.opened_at,
        "due": progress.due,
        "completed_at": progress.completed_at,
        "announced": progress.announced,
        "version": progress.version,
        **stage_values(progress),
    }


def write_changes(
    connection: Connection,
    signoff: SignOff,
    before: AsRead,
    *,
    pending_advance: bool,
    completed_at: datetime | None,
) -> AsRead:
    """Update the rows that differ from ``before`` and insert the new decisions and deferrals; returns
    the sign-off as now stored."""
    after = as_read(signoff, pending_advance=pending_advance)
    changed = {k: v for k, v in after.columns.items() if before.columns.get(k) != v}
    if completed_at is not None:
        changed["completed_at"] = completed_at
    if changed or after.stages != before.stages or _appended(signoff, before):
        changed |= watch_columns(signoff.state)  # a change re-plans the watcher's next look at it
    if changed:
        connection.execute(update(signoffs).where(signoffs.c.id == signoff.id).values(**changed))
    for stage_id, columns in after.stages.items():
        if columns != before.stages.get(stage_id):
            where = (stage_runs.c.signoff_id == signoff.id, stage_runs.c.stage_id == stage_id)
            connection.execute(update(stage_runs).where(*where).values(**columns))
    _insert_new(connection, signoff, before)
    return after


def _appended(signoff: SignOff, before: AsRead) -> bool:
    """Whether a decision or deferral was added since the sign-off was read."""
    return any(
        len(p.decisions) > before.decisions.get(stage_id, 0)
        or len(p.deferrals) > before.deferrals.get(stage_id, 0)
        for stage_id, p in signoff.stages.items()
    )


def _insert_new(connection: Connection, signoff: SignOff, before: AsRead) -> None:
    """Decisions and deferrals are only ever appended: the ones past the stored count are new."""
    new_decisions: list[dict[str, object]] = []
    new_deferrals: list[dict[str, object]] = []
    for stage_id, progress in signoff.stages.items():
        keys = {"signoff_id": signoff.id, "stage_id": stage_id}
        new_decisions += [
            keys | _decision_row(d) for d in progress.decisions[before.decisions.get(stage_id, 0) :]
        ]
        new_deferrals += [
            keys | _deferral_row(d) for d in progress.deferrals[before.deferrals.get(stage_id, 0) :]
        ]
    if new_decisions:
        connection.execute(insert(decisions), new_decisions)
    if new_deferrals:
        connection.execute(insert(deferrals), new_deferrals)


def _decision_row(decision: Decision) -> dict[str, object]:
    return {
        "reviewer": decision.reviewer,
        "decision": decision.verdict.value,
        "comment": decision.comment,
        "at": decision.at,
        "document_version": decision.document_version,
        "on_behalf_of": decision.on_behalf_of,
        **decision_values(decision),
    }


def _deferral_row(deferral: Deferral) -> dict[str, object]:
    return {
        "from_meeting": deferral.from_meeting,
        "to_meeting": deferral.to_meeting,
        "reason": deferral.reason,
        "minute_ref": deferral.minute_ref,
        "at": deferral.at,
    }
