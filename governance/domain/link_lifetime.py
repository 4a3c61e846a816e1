"""How long an emailed link may decide, and why a recognised link can no longer decide.

A link stops deciding a fixed number of working days after its stage's due date; a newer link
for the same reviewer and stage (a reminder's) replaces it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from governance.domain.workdays import WorkingDays

DEFAULT_LINK_WORKING_DAYS = 20


class LinkEnd(StrEnum):
    """Why a recognised link can no longer decide (besides its stage or sign-off having closed)."""

    USED = "used"
    EXPIRED = "expired"
    REPLACED = "replaced"


@dataclass(frozen=True)
class LinkLife:
    """The facts about one stored link that its lifetime depends on."""

    created_at: datetime
    used_at: datetime | None
    replaced_at: datetime | None
    stage_due: date | None


def last_deciding_day(stage_due: date, workdays: WorkingDays, *, working_days: int) -> date:
    """The last day a link of a stage due on ``stage_due`` may still decide."""
    return workdays.after(stage_due, working_days)


def link_end(life: LinkLife, *, today: date, workdays: WorkingDays, working_days: int) -> LinkEnd | None:
    """Why this link can no longer decide; None while its lifetime lets it.

    A stage without a due date (a meeting with no meeting found) keeps its links live until it closes.
    """
    if life.used_at is not None:
        return LinkEnd.USED
    if life.replaced_at is not None:
        return LinkEnd.REPLACED
    if life.stage_due is not None and today > last_deciding_day(
        life.stage_due, workdays, working_days=working_days
    ):
        return LinkEnd.EXPIRED
    return None
