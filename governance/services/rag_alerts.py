"""A running sign-off's stored RAG, and the email to its lead when it worsens.

``refresh_rag`` runs after each advance; ``refresh_rags`` is the scheduled re-check as days pass.
"""

from __future__ import annotations

import logging
from datetime import datetime

from governance.domain.london_time import human_date, london_date
from governance.domain.signoff import SignOff, SignOffState
from governance.services.key_dates import KeyDates, key_dates_of
from governance.services.notify import Notifier
from governance.services.ports import UnitOfWork, UnitsOfWork
from governance.settings import Settings
from notifications.contexts import RagChangedEmail

log = logging.getLogger("signoff.rag")
RAG_ORDER = {"green": 0, "amber": 1, "red": 2}


def refresh_rag(uow: UnitOfWork, settings: Settings, signoff: SignOff, *, now: datetime) -> str | None:
    """Store a running sign-off's RAG; when it is worse than the stored one, email the lead once.

    Returns the RAG now (None for a sign-off without a target or no longer in progress, left as it is).
    Null counts as green, but a first stored RAG that is amber or red is emailed as where the sign-off
    is, not as a change. Cheap and idempotent: an unchanged RAG writes nothing, and the same change to
    the same forecast is never emailed twice. Call it in the unit of work holding the sign-off.
    """
    if signoff.target is None or signoff.state is not SignOffState.IN_PROGRESS:
        return None
    dates = key_dates_of(signoff, today=london_date(now))
    if dates.rag is None:
        return None
    stored = uow.signoffs.record(signoff.id).rag
    if dates.rag == stored:
        return dates.rag
    previous = stored if stored in RAG_ORDER else None
    if RAG_ORDER[dates.rag] > RAG_ORDER[previous or "green"]:
        _email_lead(Notifier(uow, settings, now=now), signoff, dates, rag_from=previous, rag_to=dates.rag)
    uow.signoffs.set_rag(signoff.id, dates.rag)
    return dates.rag


def _email_lead(
    notifier: Notifier, signoff: SignOff, dates: KeyDates, *, rag_from: str | None, rag_to: str
) -> None:
    """Queue the ``rag_changed`` email (``rag_from`` None: the first RAG stored), keyed so the same
    change is never queued twice (a first RAG keys as a change from green)."""
    forecast = dates.forecast.isoformat() if dates.forecast is not None else None
    body = RagChangedEmail(
        role="lead",
        reason="You lead this sign-off.",
        rag_from=rag_from,
        rag_to=rag_to,
        cause_stage=dates.cause_stage,
        next_meeting=human_date(dates.next_meeting),
        forecast=human_date(dates.forecast),
        slack_working_days=dates.slack_working_days,
        next_meeting_committee=_committee(signoff, dates.next_meeting_stage),
    )
    key = f"rag:{signoff.id}:{rag_from or 'green'}->{rag_to}:{forecast}"
    notifier.queue(signoff, signoff.lead, body, dedupe_key=key)


def _committee(signoff: SignOff, stage_id: str | None) -> str | None:
    """The committee whose meeting a meeting stage goes to (its stage name if it names none)."""
    if stage_id is None:
        return None
    stage = signoff.route.stage(stage_id)
    calendar = signoff.route.calendars.get(stage.calendar) if stage.calendar else None
    return calendar.name if calendar else stage.name


def refresh_rags(uows: UnitsOfWork, settings: Settings, *, now: datetime) -> dict[str, int]:
    """Store the RAG of each running sign-off whose next check has come; counts by RAG. Only in the
    reminders' sending hours, so a RAG that worsens overnight is emailed to the lead at 09:00 on a
    working day, not at midnight. It is the watcher's sweep (``services.watcher``), reminders and all."""
    from governance.services.watcher import watch_signoffs

    return dict(watch_signoffs(uows, settings, now=now).rag)
