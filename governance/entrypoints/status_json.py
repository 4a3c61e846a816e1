"""The read models as JSON, for ``signoff status --json`` and the API: ISO dates, null when missing.

Keys and values are a contract: scripts read them. Flags the pages show (at risk, late) stay off
the JSON, as they always have; ``stalled`` is in it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from governance.services.reminder_history import NudgeLines
from governance.services.status import BookedMeeting, DecisionLine, SignOffStatus, StageStatus, VersionLine
from governance.services.stored_records import SignOffLine

if TYPE_CHECKING:
    from governance.entrypoints.prefect_links import PrefectAddresses


def iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def status_to_json(status: SignOffStatus, *, prefect: PrefectAddresses | None = None) -> dict[str, Any]:
    """One sign-off, as ``signoff status ID --json`` prints it and ``/api/signoffs/ID`` returns it.

    ``prefect``: where the Prefect API and UI are, for the ``prefect`` key (nulls when unknown)."""
    return {
        "id": status.id,
        "title": status.title,
        "state": status.state.value,
        "route": status.route,
        "route_name": status.route_name,
        "route_sha256": status.route_sha256,
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
        "versions": [version_to_json(version) for version in status.versions],
        "prefect": prefect_to_json(status, prefect),
    }


def prefect_to_json(status: SignOffStatus, prefect: PrefectAddresses | None) -> dict[str, Any]:
    """The Prefect API root, the sign-off's flow run, and its page in the Prefect UI."""
    flow_run_id = status.prefect_flow_run_id
    return {
        "api_url": prefect.api_url if prefect else None,
        "ui_url": prefect.flow_run_page(flow_run_id) if prefect else None,
        "flow_run_id": flow_run_id,
    }


def version_to_json(version: VersionLine) -> dict[str, Any]:
    """One document version; ``at`` in UTC."""
    return {
        "version": version.version,
        "filename": version.filename,
        "sha256": version.sha256,
        "note": version.note,
        "change_summary": version.change_summary,
        "by": version.by,
        "at": iso(version.at.astimezone(UTC)),
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
        "decisions": [decision_to_json(d) for d in stage.decisions],
        "stalled": stage.risk.stalled,
        **nudges_to_json(stage.nudges),
        **({} if stage.booked is None else booked_to_json(stage.booked)),
        **({} if stage.skipped_reason is None else {"skipped_reason": stage.skipped_reason}),
        **({} if not stage.handed_over else {"handed_over": handed_over_to_json(stage)}),
    }


def handed_over_to_json(stage: StageStatus) -> list[dict[str, str]]:
    """Each outstanding review awaited from someone else: the route's reviewer, who has it, and how."""
    return [{"from": h.reviewer, "to": h.holder, "how": h.how} for h in stage.handed_over]


def decision_to_json(decision: DecisionLine) -> dict[str, Any]:
    found: dict[str, Any] = {
        "reviewer": decision.reviewer,
        "decision": decision.decision,
        "comment": decision.comment,
        "at": iso(decision.at),
        "version": decision.version,
        "on_behalf_of": decision.on_behalf_of,
    }
    if decision.meeting is not None or decision.minutes is not None:
        minutes = decision.minutes
        found |= {
            "meeting": iso(decision.meeting),
            "minute_ref": minutes.minute_ref if minutes else None,
            "amendments": minutes.amendments if minutes else "",
            "quorate": minutes.quorate if minutes else None,
            "interests": minutes.interests if minutes else "",
        }
    return found


def booked_to_json(booked: BookedMeeting) -> dict[str, Any]:
    """A meeting stage's ``meeting``, ``paper_deadline``, ``deferrals`` and ``chairs_action``."""
    action = booked.chairs_action
    return {
        "meeting": iso(booked.meeting),
        "paper_deadline": iso(booked.paper_deadline),
        "deferrals": [
            {
                "from": iso(d.from_meeting),
                "to": iso(d.to_meeting),
                "reason": d.reason,
                "at": iso(d.at),
                "minute_ref": d.minute_ref,
            }
            for d in booked.deferrals
        ],
        "paper_submitted_at": iso(booked.paper_submitted_at),
        "late_paper": None if booked.late_paper is None else {"reason": booked.late_paper},
        "chairs_action": None
        if action is None
        else {
            "by": action.by,
            "at": iso(action.at),
            "reason": action.reason,
            "requested_at": iso(action.requested_at),
            "ratify_at": iso(action.ratify_at),
            "ratified_at": iso(action.ratified_at),
            "minute_ref": action.minute_ref,
        },
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
