"""The record of nudges queued per stage: what the reminder rules read, and what the timeline lists.

Each row claims a nudge's deterministic key (unique), in the transaction that queues its outbox
row, so a nudge is recorded and queued together or not at all, and never twice.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update
from sqlalchemy.exc import IntegrityError

from governance.adapters.database.tables import outbox, reminders
from governance.domain.london_time import london_date, utc_now
from governance.domain.reminders import SentReminder, is_stalled
from governance.domain.signoff import SignOff, StageState

REMINDER, ESCALATION = "reminder", "escalation"
STALLED, ESCALATION_POST = "stalled", "escalation-post"  # notices to the route's channels


def history(connection: Connection, signoff_id: str) -> dict[str, list[Any]]:
    """Every nudge row of a sign-off by stage id, oldest first."""
    query = select(reminders).where(reminders.c.signoff_id == signoff_id).order_by(reminders.c.id)
    found: dict[str, list[Any]] = {}
    for row in connection.execute(query):
        found.setdefault(row.stage_id, []).append(row)
    return found


def sent_reminders(rows: list[Any]) -> tuple[SentReminder, ...]:
    """A stage's reminders as the rules see them: dated by the London day they were queued."""
    return tuple(SentReminder(r.recipient, london_date(r.at), r.manual) for r in rows if r.kind == REMINDER)


def escalated(rows: list[Any]) -> bool:
    return any(r.kind == ESCALATION for r in rows)


def queue_once(
    connection: Connection,
    queue: Callable[[], object],
    *,
    key: str,
    nudge: dict[str, Any],
    now: datetime,
) -> bool:
    """Record the nudge under ``key`` and run ``queue`` in one savepoint; False when already there.

    A concurrent run that got there first makes the insert fail on the unique key: that rolls
    back only this savepoint, so the job carries on with the next nudge.
    """
    try:
        with connection.begin_nested():
            connection.execute(insert(reminders).values(dedupe_key=key, at=now, **nudge))
            queue()
            outbox_id = connection.execute(select(outbox.c.id).where(outbox.c.dedupe_key == key)).scalar()
            if outbox_id is not None:
                connection.execute(
                    update(reminders).where(reminders.c.dedupe_key == key).values(outbox_id=outbox_id)
                )
    except IntegrityError:
        return False
    return True


def nudge(
    stage_id: str, signoff_id: str, kind: str, recipient: str, slot: date, *, manual: bool = False
) -> dict[str, Any]:
    """The columns of one nudge row besides its key and time."""
    return {
        "signoff_id": signoff_id,
        "stage_id": stage_id,
        "kind": kind,
        "recipient": recipient,
        "slot": slot,
        "manual": manual,
    }


def stage_nudges(connection: Connection, signoff_id: str) -> dict[str, dict[str, Any]]:
    """Per stage id: ``reminders`` [{to, at, state, manual}] and ``escalation`` ({to, at} or None).

    ``at`` is when the email was sent, or when it was queued while it waits (ISO, with offset).
    """
    query = (
        select(reminders, outbox.c.state, outbox.c.sent_at)
        .select_from(reminders.outerjoin(outbox, reminders.c.outbox_id == outbox.c.id))
        .where(reminders.c.signoff_id == signoff_id)
        .order_by(reminders.c.id)
    )
    found: dict[str, dict[str, Any]] = {}
    for row in connection.execute(query):
        stage = found.setdefault(row.stage_id, {"reminders": [], "escalation": None})
        at = (row.sent_at or row.at).isoformat()
        if row.kind == REMINDER:
            stage["reminders"].append(
                {"to": row.recipient, "at": at, "state": row.state, "manual": row.manual}
            )
        elif row.kind == ESCALATION:
            escalation = stage["escalation"] or {"to": [], "at": at}
            escalation["to"].append(row.recipient)
            stage["escalation"] = escalation
    return found


def with_nudges(
    connection: Connection, signoff: SignOff, stages: list[dict[str, Any]], *, now: datetime | None = None
) -> list[dict[str, Any]]:
    """Add ``stalled``, ``reminders`` and ``escalation`` to each stage of the status JSON."""
    today = london_date(now or utc_now())
    sent = stage_nudges(connection, signoff.id)
    for stage in stages:
        progress = signoff.stages[stage["id"]]
        found = sent.get(stage["id"], {"reminders": [], "escalation": None})
        stage["stalled"] = progress.state is StageState.OPEN and is_stalled(progress.due, today)
        stage["reminders"] = found["reminders"]
        stage["escalation"] = found["escalation"]
    return stages
