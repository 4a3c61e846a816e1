"""How long an emailed link may decide: until a fixed number of working days after its stage's
due date. (A newer link for the same reviewer and stage replaces it sooner: see ``links``.)"""

from __future__ import annotations

from datetime import date

from governance.domain.workdays import WorkingDays

DEFAULT_LINK_WORKING_DAYS = 20


def last_deciding_day(stage_due: date | None, workdays: WorkingDays, *, working_days: int) -> date | None:
    """The last day a link of a stage due on ``stage_due`` may decide; None (no limit) without a due date.

    A stage without a due date (a meeting with no meeting found) keeps its links until it closes."""
    if stage_due is None:
        return None
    return workdays.after(stage_due, working_days)
