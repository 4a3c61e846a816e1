"""The read models as JSON, for ``signoff status --json`` and the API: ISO dates, null when missing.

Keys and values are a contract: scripts read them. Flags the pages show (at risk, late) stay off
the JSON, as they always have; ``stalled`` is in it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from governance.services.reminder_history import NudgeLines
from governance.services.status import SignOffStatus, StageStatus
from governance.services.stored_records import SignOffLine


def iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def status_to_json(status: SignOffStatus) -> dict[str, Any]:
    """One sign-off, as ``signoff status ID --json`` prints it and ``/api/signoffs/ID`` returns it."""
    return {
        "id": status.id,
        "title": status.title,
        "state": status.state.value,
        "route": status.route,
        "route_name": status.route_name,
        "organisation": status.organisation,
        "lead": status.lead,
        "document": {"filename": status.document.filename, "version": status.document.version},
        "document_sha256": status.document_sha256,
        "document_version": status.document_version,
        "created_at": iso(status.created_at),
        "completed_at": iso(status.completed_at),
        "target": iso(status.target),
        "forecast": iso(status.forecast),
        "slack_working_days": status.slack_working_days,
        "rag": status.rag,
        "stages": [stage_to_json(stage) for stage in status.stages],
    }


def stage_to_json(stage: StageStatus) -> dict[str, Any]:
    return {
        "id": stage.id,
        "name": stage.name,
        "kind": stage.kind.value,
        "group": stage.group,
        "state": stage.state.value,
        "reviewers": list(stage.reviewers),
        "approvals": stage.approvals,
        "awaiting": list(stage.awaiting),
        "opened_at": iso(stage.opened_at),
        "due": iso(stage.due),
        "start_by": iso(stage.start_by),
        "decide_by": iso(stage.decide_by),
        "forecast_decide": iso(stage.forecast_decide),
        "completed_at": iso(stage.completed_at),
        "decisions": [
            {"reviewer": d.reviewer, "decision": d.decision, "comment": d.comment, "at": iso(d.at)}
            for d in stage.decisions
        ],
        "stalled": stage.risk.stalled,
        **nudges_to_json(stage.nudges),
    }


def nudges_to_json(nudges: NudgeLines) -> dict[str, Any]:
    escalation = nudges.escalation
    return {
        "reminders": [
            {"to": r.to, "at": iso(r.at), "state": r.state, "manual": r.manual} for r in nudges.reminders
        ],
        "escalation": None if escalation is None else {"to": list(escalation.to), "at": iso(escalation.at)},
    }


def lines_to_json(lines: Sequence[SignOffLine]) -> list[dict[str, Any]]:
    """A line per sign-off, as ``signoff status --json`` prints them and ``/api/signoffs`` returns them."""
    return [
        {
            "id": line.id,
            "title": line.title,
            "state": line.state,
            "route": line.route_id,
            "lead": line.lead,
            "created_at": iso(line.created_at),
            "target": iso(line.target),
            "rag": line.rag,
        }
        for line in lines
    ]
