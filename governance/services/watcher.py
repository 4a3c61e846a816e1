"""The scheduled watcher's sweep: only the running sign-offs whose next check has come.

Each is handled in its own transaction that first claims its row (another watcher holding it, or one
that handled it a moment ago, makes the claim fail, so two watchers never nudge one sign-off at once);
it queues what is owed (reminders, escalations, stall notices), stores the RAG as the days move it,
and stores when the next look is due (``domain.watch_times``). What a sweep costs grows with the
sign-offs it finds due, never with the number in progress: it reads them in batches from an index.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from governance.domain.reminders import sending_window_open
from governance.domain.signoff import SignOff, StageState
from governance.domain.watch_times import NextCheck, RagLook, StageLook, next_check, phase_ends
from governance.services import reminder_history as records
from governance.services.key_dates import key_dates_of
from governance.services.ports import UnitOfWork, UnitsOfWork
from governance.services.rag_alerts import refresh_rag
from governance.services.reminders import Nudger, ReminderCounts, nudge_signoff
from governance.settings import Settings

log = logging.getLogger("signoff.watcher")
BATCH = 200  # sign-offs read per query; each is then handled in a transaction of its own
ONE_DAY = timedelta(days=1)


@dataclass
class WatchCounts:
    """What one sweep did: the nudges queued, and the RAG of each sign-off it looked at."""

    reminders: ReminderCounts = field(default_factory=ReminderCounts)
    rag: Counter[str] = field(default_factory=Counter)
    looked_at: list[str] = field(default_factory=list)  # the sign-offs this sweep claimed and checked


def watch_signoffs(
    uows: UnitsOfWork, settings: Settings, *, now: datetime, batch: int = BATCH
) -> WatchCounts:
    """Look at every running sign-off whose next check is at or before ``now``; safe to overlap."""
    counts = WatchCounts()
    after: tuple[datetime, str] | None = None
    seen: set[str] = set()
    while True:
        with uows.read() as uow:
            due = uow.watch.due(now, limit=batch, after=after)
        for _at, signoff_id in due:
            if signoff_id not in seen:
                seen.add(signoff_id)
                _look(uows, settings, signoff_id, now=now, counts=counts)
        if len(due) < batch:
            return counts
        after = due[-1]


def _look(
    uows: UnitsOfWork, settings: Settings, signoff_id: str, *, now: datetime, counts: WatchCounts
) -> None:
    try:
        with uows.write() as uow:
            if not uow.watch.claim(signoff_id, now=now):
                return  # another watcher holds it, or has just handled it
            signoff = uow.signoffs.get(signoff_id, for_update=True)
            counts.looked_at.append(signoff_id)
            nudge_signoff(uow, settings, signoff, now=now, counts=counts.reminders)
            counts.rag[_refresh_rag(uow, settings, signoff, now=now)] += 1
            planned = plan_next_check(uow, settings, signoff, now=now)
            uow.watch.plan(signoff_id, planned.at if planned else None)
    except Exception:
        counts.reminders.errors += 1
        counts.rag["errors"] += 1
        log.exception("watching sign-off %s failed; the next run tries again", signoff_id)


def _refresh_rag(uow: UnitOfWork, settings: Settings, signoff: SignOff, *, now: datetime) -> str:
    """Only in the reminders' sending hours, so a RAG that worsens overnight is emailed to the lead at
    09:00 on a working day, not at midnight."""
    nudger = Nudger(uow, settings, signoff, now=now)
    if not sending_window_open(now, nudger.workdays):
        return "waiting"
    return refresh_rag(uow, settings, signoff, now=now) or "none"


def plan_next_check(
    uow: UnitOfWork, settings: Settings, signoff: SignOff, *, now: datetime
) -> NextCheck | None:
    """When the watcher must next look at ``signoff``, from the nudges recorded so far and its RAG."""
    nudger = Nudger(uow, settings, signoff, now=now)
    watches = {watch.stage_id: watch for watch in nudger.watches()}
    past = records.by_stage(uow.reminders.of_signoff(signoff.id))
    channels = bool(signoff.route.channels)
    looks = []
    for stage_id, progress in signoff.stages.items():
        if progress.state is not StageState.OPEN or progress.opened_at is None:
            continue
        told = not channels or any(n.kind == records.STALLED for n in past.get(stage_id, []))
        ends = phase_ends(
            meeting=progress.meeting,
            paper_deadline=progress.paper_deadline,
            submitted=progress.paper_submitted_at is not None,
            today=nudger.today,
        )
        looks.append(StageLook(watches.get(stage_id), stall_told=told, phase_ends=ends))
    rag = rag_look(signoff, uow.signoffs.record(signoff.id).rag, today=nudger.today)
    return next_check(looks, rag=rag, now=now, workdays=nudger.workdays)


def rag_look(signoff: SignOff, stored: str | None, *, today: date) -> RagLook:
    """Whether the stored RAG is stale, and the first day it changes as days pass (found by halving
    the days up to the day after the target, by when anything undecided is red: a forecast only
    ever moves later as today does, so the RAG only ever worsens)."""
    if signoff.target is None:
        return RagLook()
    rag = key_dates_of(signoff, today=today).rag
    if rag is None:
        return RagLook()
    stale = rag != stored
    last = max(signoff.target, today) + ONE_DAY
    if rag == "red" or key_dates_of(signoff, today=last).rag == rag:
        return RagLook(stale=stale)
    same, changed = today, last
    while (changed - same).days > 1:
        middle = same + (changed - same) // 2
        if key_dates_of(signoff, today=middle).rag == rag:
            same = middle
        else:
            changed = middle
    return RagLook(stale=stale, changes=changed)
