"""The forward plan as JSON: an object keyed by ``ROUTE_ID/CALENDAR_ID`` (a contract scripts read)."""

from __future__ import annotations

from typing import Any

from governance.entrypoints.status_json import iso
from governance.services.forward_plan import CommitteePlan, Meeting


def forward_plan_to_json(plans: list[CommitteePlan]) -> dict[str, Any]:
    return {
        plan.key: {
            "name": plan.name,
            "route": plan.route_id,
            "calendar": plan.calendar_id,
            "meetings": [meeting_to_json(m) for m in plan.meetings.values()],
            "cancelled": [iso(day) for day in plan.cancelled],
        }
        for plan in plans
    }


def meeting_to_json(meeting: Meeting) -> dict[str, Any]:
    return {
        "date": iso(meeting.day),
        "time": meeting.at.strftime("%H:%M") if meeting.at else None,
        "paper_deadline": iso(meeting.paper_deadline),
        "papers": [
            {
                "signoff": p.signoff,
                "title": p.title,
                "stage": p.stage,
                "status": p.status,
                "lead": p.lead,
                "paper_deadline": iso(p.paper_deadline),
                "submitted": p.submitted,
                "late_paper": p.late_paper,
                "deferred_from": iso(p.deferred_from),
            }
            for p in meeting.papers
        ],
        "ratifications": [
            {
                "signoff": r.signoff,
                "title": r.title,
                "stage": r.stage,
                "chair": r.chair,
                "chairs_action_at": iso(r.chairs_action_at),
            }
            for r in meeting.ratifications
        ],
    }
