"""Read models: a sign-off as the lead sees it (the JSON of ``signoff status --json`` and the API)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from governance.domain.access import Account
from governance.domain.london_time import london_date, utc_now
from governance.domain.signoff import SignOff
from governance.services.key_dates import KeyDates, key_dates_of
from governance.services.ports import UnitOfWork, UnitsOfWork
from governance.services.reminder_history import with_nudges


def iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def signoff_status(uows: UnitsOfWork, signoff_id: str, *, now: datetime | None = None) -> dict[str, Any]:
    """Everything about one sign-off (raises SignOffNotFound); key dates forecast as of ``now``."""
    with uows.read() as uow:
        return status_of(uow, uow.signoffs.get(signoff_id), now=now)


def status_of(uow: UnitOfWork, signoff: SignOff, *, now: datetime | None = None) -> dict[str, Any]:
    """The status of ``signoff``, read in the caller's unit of work."""
    row = uow.signoffs.record(signoff.id)
    now = now or utc_now()
    dates = key_dates_of(signoff, today=london_date(now))
    return {
        "id": signoff.id,
        "title": signoff.title,
        "state": signoff.state.value,
        "route": signoff.route.id,
        "route_name": signoff.route.name,
        "organisation": signoff.route.organisation,
        "lead": signoff.lead,
        "document": {"filename": row.document_filename, "version": signoff.document_version},
        "document_sha256": signoff.document_sha256,
        "document_version": signoff.document_version,
        "created_at": iso(signoff.created_at),
        "completed_at": iso(row.completed_at),
        "target": iso(signoff.target),
        "forecast": iso(dates.forecast),
        "slack_working_days": dates.slack_working_days,
        "rag": dates.rag,
        "stages": with_nudges(uow, signoff, stages_of(signoff, dates), now=now),
    }


def stages_of(signoff: SignOff, key_dates: KeyDates | None = None) -> list[dict[str, Any]]:
    """Stages in route order, members of a parallel group one by one with their group named.

    Each stage's ``due`` counts from the day it opened; its planned ``decide_by`` works back from the target.
    """
    planned = key_dates or key_dates_of(signoff, today=london_date(utc_now()))
    listed = []
    for stage in signoff.route.stages:
        progress = signoff.stages[stage.id]
        listed.append(
            {
                "id": stage.id,
                "name": stage.name,
                "kind": stage.kind.value,
                "group": stage.group,
                "state": progress.state.value,
                "reviewers": list(stage.deciders),
                "approvals": str(stage.approvals),
                "awaiting": list(signoff.outstanding(stage.id)),
                "opened_at": iso(progress.opened_at),
                "due": iso(progress.due),
                **planned.stage(stage.id),
                "completed_at": iso(progress.completed_at),
                "decisions": [
                    {
                        "reviewer": d.reviewer,
                        "decision": d.verdict.value,
                        "comment": d.comment,
                        "at": iso(d.at),
                    }
                    for d in progress.decisions
                ],
            }
        )
    return listed


def all_signoffs(uows: UnitsOfWork, *, seen_by: Account | None = None) -> list[dict[str, Any]]:
    """A line per sign-off, newest first, for the dashboard and ``signoff status``.

    ``seen_by``: only the sign-offs that this signed-in person may see."""
    with uows.read() as uow:
        lines = uow.signoffs.listing()
    if seen_by is not None:
        lines = [line for line in lines if seen_by.may_see(organisation=line.organisation, lead=line.lead)]
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
