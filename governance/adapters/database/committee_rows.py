"""A meeting stage's committee facts as table rows: the booking, the paper, chair's action, minutes."""

from __future__ import annotations

from sqlalchemy import Connection, RowMapping, select

from governance.adapters.database.tables import deferrals
from governance.domain.committee_stage import ChairsAction, Deferral, Minutes
from governance.domain.signoff import Decision, SignOff, StageProgress


def stage_values(progress: StageProgress) -> dict[str, object]:
    """The committee columns of a ``stage_runs`` row."""
    action = progress.chairs_action
    return {
        "meeting": progress.meeting,
        "paper_deadline": progress.paper_deadline,
        "paper_submitted_at": progress.paper_submitted_at,
        "late_paper": progress.late_paper,
        "chairs_requested_at": action.requested_at if action else None,
        "chairs_requested_by": action.requested_by if action else None,
        "chairs_reason": action.reason if action else None,
        "chairs_by": action.by if action else None,
        "chairs_at": action.at if action else None,
        "ratify_at": action.ratify_at if action else None,
        "ratified_at": action.ratified_at if action else None,
        "ratify_minute_ref": action.minute_ref if action else None,
    }


def load_stage(progress: StageProgress, row: RowMapping) -> None:
    """Fill the committee facts of ``progress`` from its ``stage_runs`` row."""
    progress.meeting, progress.paper_deadline = row["meeting"], row["paper_deadline"]
    progress.paper_submitted_at, progress.late_paper = row["paper_submitted_at"], row["late_paper"]
    if row["chairs_requested_at"] is not None:
        progress.chairs_action = ChairsAction(
            requested_at=row["chairs_requested_at"],
            reason=row["chairs_reason"] or "",
            requested_by=row["chairs_requested_by"] or "",
            by=row["chairs_by"],
            at=row["chairs_at"],
            ratify_at=row["ratify_at"],
            ratified_at=row["ratified_at"],
            minute_ref=row["ratify_minute_ref"],
        )


def decision_values(decision: Decision) -> dict[str, object]:
    """The committee columns of a ``decisions`` row."""
    minutes = decision.minutes
    return {
        "meeting_key": decision.meeting.isoformat() if decision.meeting else "",
        "minute_ref": minutes.minute_ref if minutes else None,
        "amendments": minutes.amendments if minutes else None,
        "quorate": minutes.quorate if minutes else None,
        "interests": minutes.interests if minutes else None,
    }


def minutes_of(row: RowMapping) -> Minutes | None:
    """The minutes recorded with a decision row, if any."""
    if row["minute_ref"] is None:
        return None
    return Minutes(row["minute_ref"], row["amendments"] or "", bool(row["quorate"]), row["interests"] or "")


def load_deferrals(connection: Connection, signoff: SignOff) -> None:
    query = select(deferrals).where(deferrals.c.signoff_id == signoff.id).order_by(deferrals.c.id)
    for row in connection.execute(query):
        signoff.stages[row.stage_id].deferrals.append(
            Deferral(row.from_meeting, row.to_meeting, row.reason, row.at, row.minute_ref)
        )
