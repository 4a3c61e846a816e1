"""Re-check every running sign-off's RAG as days pass (the scheduled watcher calls this)."""

from __future__ import annotations

import logging
from collections import Counter
from datetime import datetime

from governance.adapters.bank_holidays import working_days_for
from governance.adapters.database.database import Database
from governance.adapters.database.repository import SignOffRepository
from governance.domain.london_time import london_date
from governance.domain.reminders import sending_window_open
from governance.services.key_dates import refresh_rag
from governance.services.reminders import in_progress_ids
from governance.settings import Settings

log = logging.getLogger("signoff.rag")


def refresh_rags(db: Database, settings: Settings, *, now: datetime) -> dict[str, int]:
    """Store each running sign-off's RAG now; counts by RAG. Only in the reminders' sending hours,
    so a RAG that worsens overnight is emailed to the lead at 09:00 on a working day, not at midnight."""
    counts: Counter[str] = Counter()
    for signoff_id in in_progress_ids(db):
        try:
            with db.transaction() as connection:
                signoff = SignOffRepository(connection).get(signoff_id, for_update=True)
                if not sending_window_open(now, working_days_for(signoff.route, around=london_date(now))):
                    counts["waiting"] += 1
                    continue
                counts[refresh_rag(connection, settings, signoff, now=now) or "none"] += 1
        except Exception:
            counts["errors"] += 1
            log.exception("refreshing the RAG of sign-off %s failed; the next run tries again", signoff_id)
    return dict(counts)
