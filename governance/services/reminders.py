"""Use cases for stalled stages: the scheduled reminder job, and ``signoff remind``.

Each sign-off is handled in its own transaction holding its row lock, so two runs at once queue
each nudge once: the second skips it, or finds the first one's records. The unique keys of the
records and of the outbox catch anything that slips past the lock.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from governance.adapters.bank_holidays import working_days_for
from governance.domain.audit_chain import AuditKind
from governance.domain.committee_stage import PAPER_PHASE, reminder_phase
from governance.domain.london_time import human_date, london_date
from governance.domain.reminders import (
    EscalationDue,
    ReminderDue,
    StageWatch,
    due_nudges,
    identity,
    manual_reminders,
)
from governance.domain.route import ESCALATE_TO_LEAD, Stage
from governance.domain.signoff import SignOff, SignOffState, StageState
from governance.domain.workdays import WorkingDays
from governance.services import reminder_history as records
from governance.services.audit import PRODUCT, record
from governance.services.committee_notices import CommitteeNotices
from governance.services.email_facts import stage_facts
from governance.services.forecast_effect import forecast_effect
from governance.services.handing_on import HandingOn
from governance.services.notify import Notifier
from governance.services.ports import UnitOfWork, UnitsOfWork
from governance.settings import Settings
from notifications.contexts import EscalationEmail, ReminderEmail, StageFacts, Waiting

log = logging.getLogger("signoff.reminders")
# What every escalation email of a stage shares: the stage, who is awaited, reminders sent, the effect.
EscalationParts = tuple[StageFacts, tuple[Waiting, ...], int, str | None]


class ReminderRefused(ValueError):
    """``signoff remind`` asked for something that cannot be reminded (ended sign-off, closed stage)."""


@dataclass
class ReminderCounts:
    """What one run of the job queued (emails and channel notices) and how many sign-offs it saw."""

    signoffs: int = 0
    reminders: int = 0
    escalations: int = 0
    stall_notices: int = 0
    errors: int = 0

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


@dataclass
class RemindResult:
    """(stage id, reviewer) pairs reminded now, and those already reminded by hand today."""

    queued: list[tuple[str, str]] = field(default_factory=list)
    already: list[tuple[str, str]] = field(default_factory=list)


def send_due_reminders(uows: UnitsOfWork, settings: Settings, *, now: datetime) -> ReminderCounts:
    """Queue every reminder, escalation and stall notice owed at ``now``; safe to run at any time.
    It is the watcher's sweep (``services.watcher``): only sign-offs whose next check has come."""
    from governance.services.watcher import watch_signoffs

    return watch_signoffs(uows, settings, now=now).reminders


def nudge_signoff(
    uow: UnitOfWork, settings: Settings, signoff: SignOff, *, now: datetime, counts: ReminderCounts
) -> None:
    """Queue what one running sign-off (read for update in ``uow``) is owed at ``now``."""
    if signoff.state is not SignOffState.IN_PROGRESS:
        return
    counts.signoffs += 1
    nudger = Nudger(uow, settings, signoff, now=now)
    for watch in nudger.watches():
        nudges = due_nudges(watch, now=now, workdays=nudger.workdays)
        counts.reminders += sum(nudger.remind(due) for due in nudges.reminders)
        if nudges.stalled:
            counts.stall_notices += nudger.announce_stall(watch)
        if nudges.escalation is not None:
            counts.escalations += nudger.escalate(nudges.escalation)


def remind_now(
    uows: UnitsOfWork, settings: Settings, signoff_id: str, *, stage_id: str | None = None, now: datetime
) -> RemindResult:
    """Remind everyone outstanding now (on one stage, or every open one) and restart the interval."""
    result = RemindResult()
    with uows.write() as uow:
        signoff = uow.signoffs.get(signoff_id, for_update=True)
        nudger = Nudger(uow, settings, signoff, now=now)
        for watch in _stages_to_remind(signoff, nudger, stage_id):
            for due in manual_reminders(watch, now=now, workdays=nudger.workdays):
                done = result.queued if nudger.remind(due) else result.already
                done.append((due.stage_id, due.reviewer))
    return result


def _stages_to_remind(signoff: SignOff, nudger: Nudger, stage_id: str | None) -> list[StageWatch]:
    if signoff.state is not SignOffState.IN_PROGRESS:
        msg = f"sign-off {signoff.id} has ended ({signoff.state.value}): there is no one to remind"
        raise ReminderRefused(msg)
    watches = nudger.watches()
    if stage_id is None:
        return watches
    if stage_id not in signoff.stages:
        msg = f"sign-off {signoff.id} has no stage {stage_id!r}"
        raise ReminderRefused(msg)
    chosen = [w for w in watches if w.stage_id == stage_id]
    if not chosen:
        state = signoff.stages[stage_id].state.value
        msg = f"stage {stage_id!r} of sign-off {signoff.id} is not open ({state}): there is no one to remind"
        raise ReminderRefused(msg)
    return chosen


class Nudger:
    """Queues one sign-off's nudges, each with its record, in the caller's unit of work."""

    def __init__(self, uow: UnitOfWork, settings: Settings, signoff: SignOff, *, now: datetime) -> None:
        self.uow = uow
        self.signoff = signoff
        self.now = now
        self.today = london_date(now)
        self.workdays: WorkingDays = working_days_for(signoff.route, around=self.today)
        self.notifier = Notifier(uow, settings, now=now)
        self._effect: list[str | None] = []
        self.phases: dict[str, str] = {}  # a meeting stage's reminder phase, from ``watches``

    def watches(self) -> list[StageWatch]:
        """What the rules need for each open stage, with the reminders recorded for it. A meeting
        stage nudges its lead about the paper before the deadline, its secretary after the meeting."""
        past = records.by_stage(self.uow.reminders.of_signoff(self.signoff.id))
        found = []
        for stage in self.signoff.route.stages:
            progress = self.signoff.stages[stage.id]
            if progress.state is not StageState.OPEN or progress.opened_at is None:
                continue
            phase = reminder_phase(
                meeting=progress.meeting,
                paper_deadline=progress.paper_deadline,
                submitted=progress.paper_submitted_at is not None,
                today=self.today,
            )
            if phase is None:
                continue
            self.phases[stage.id] = phase
            paper = phase == PAPER_PHASE
            opened = london_date(progress.opened_at)
            found.append(
                StageWatch(
                    signoff_id=self.signoff.id,
                    stage_id=stage.id,
                    opened=opened if paper or progress.meeting is None else max(opened, progress.meeting),
                    due=progress.paper_deadline if paper else progress.due,
                    settings=stage.reminders,
                    outstanding=(self.signoff.lead,) if paper else self.signoff.outstanding(stage.id),
                    sent=records.sent_reminders(past.get(stage.id, [])),
                    escalated=records.escalated(past.get(stage.id, [])),
                )
            )
        return found

    def remind(self, due: ReminderDue) -> bool:
        """Queue one reminder with a new personal link; False when it was queued before."""
        stage = self.signoff.route.stage(due.stage_id)
        if self.phases.get(stage.id) == PAPER_PHASE:
            return self._remind_paper(stage, due)
        recipient, seat = HandingOn(self.notifier, self.signoff).recipient(stage, due.reviewer)
        whose = f"You decide on behalf of {seat} for" if seat else "You are a reviewer for"
        body = ReminderEmail(
            role="reviewer",
            reason=f"{whose} the {stage.name} stage and we do not have your decision yet.",
            stage=stage_facts(self.signoff, stage),
            overdue_working_days=due.overdue_working_days,
            due=human_date(self.signoff.stages[stage.id].due) or "the meeting",
            forecast_effect=self.forecast_effect(),
            on_behalf_of=seat,
        )

        def queue() -> bool:
            queued = self.notifier.invite(self.signoff, stage, recipient, body, dedupe_key=due.dedupe_key)
            if queued:
                details = {"stage": stage.id, "reviewer": due.reviewer, "manual": due.manual}
                record(
                    self.uow, self.signoff, AuditKind.REMINDED, actor=PRODUCT, now=self.now, details=details
                )
            return queued

        row = records.nudge(
            stage.id, self.signoff.id, records.REMINDER, due.reviewer, due.slot, manual=due.manual
        )
        return self.uow.reminders.record_once(row, key=due.dedupe_key, now=self.now, queue=queue)

    def _remind_paper(self, stage: Stage, due: ReminderDue) -> bool:
        """Remind the lead that the paper is due (the email carries the link that marks it sent)."""
        notices = CommitteeNotices(self.notifier, self.signoff)

        def queue() -> bool:
            queued = notices.paper_due(stage, reminder=True, dedupe_key=due.dedupe_key)
            if queued:
                details = {"stage": stage.id, "reviewer": due.reviewer, "manual": due.manual, "paper": True}
                self.audit(AuditKind.REMINDED, details)
            return queued

        row = records.nudge(
            stage.id, self.signoff.id, records.REMINDER, due.reviewer, due.slot, manual=due.manual
        )
        return self.uow.reminders.record_once(row, key=due.dedupe_key, now=self.now, queue=queue)

    def escalate(self, due: EscalationDue) -> int:
        """Email the stage's escalation people and the lead, and tell the channels; returns emails queued."""
        stage = self.signoff.route.stage(due.stage_id)
        outstanding = tuple(Waiting(w.reviewer, w.working_days) for w in due.outstanding)
        parts = (stage_facts(self.signoff, stage), outstanding, due.reminders_sent, self.forecast_effect())
        queued = sum(
            self._escalate_to(stage, due, recipient, parts) for recipient in self.escalation_recipients(stage)
        )
        names = ", ".join(w.reviewer for w in due.outstanding)
        summary = f"Escalated: {stage.name} of {self.signoff.title} is overdue; still waiting for {names}."
        key = identity("escalation", self.signoff.id, stage.id, "channels")
        self._channels(stage, "escalation", summary, key=key, record=records.ESCALATION_POST)
        return queued

    def _escalate_to(self, stage: Stage, due: EscalationDue, recipient: str, parts: EscalationParts) -> bool:
        lead = recipient == self.signoff.lead
        reason = (
            "You lead this sign-off."
            if lead
            else (
                f"The sign-off route names you as the person to tell when the {stage.name} stage is overdue."
            )
        )
        body = EscalationEmail("lead" if lead else "escalation", reason, *parts)
        key = due.dedupe_key(recipient)

        def queue() -> bool:
            queued = self.notifier.queue(self.signoff, recipient, body, dedupe_key=key)
            if queued:
                details = {"stage": stage.id, "to": recipient}
                record(
                    self.uow, self.signoff, AuditKind.ESCALATED, actor=PRODUCT, now=self.now, details=details
                )
            return queued

        row = records.nudge(stage.id, self.signoff.id, records.ESCALATION, recipient, self.today)
        return self.uow.reminders.record_once(row, key=key, now=self.now, queue=queue)

    def audit(self, kind: AuditKind, details: dict[str, object]) -> None:
        record(self.uow, self.signoff, kind, actor=PRODUCT, now=self.now, details=details)

    def escalation_recipients(self, stage: Stage) -> list[str]:
        """The stage's ``escalate_to`` people ('lead' meaning the sign-off's lead), then the lead."""
        named = [self.signoff.lead if to == ESCALATE_TO_LEAD else to for to in stage.reminders.escalate_to]
        return list(dict.fromkeys([*named, self.signoff.lead]))

    def announce_stall(self, watch: StageWatch) -> int:
        """Tell the route's channels, once, that a stage has stalled; returns notices queued (0 or 1)."""
        stage = self.signoff.route.stage(watch.stage_id)
        due = human_date(watch.due)
        summary = f"Stalled: {stage.name} of {self.signoff.title} was due {due} and is still open."
        key = identity("stalled", self.signoff.id, stage.id)
        return int(self._channels(stage, "stalled", summary, key=key, record=records.STALLED))

    def _channels(self, stage: Stage, kind: str, summary: str, *, key: str, record: str) -> bool:
        if not self.signoff.route.channels:
            return False

        def queue() -> int:
            return self.notifier.post_to_channels(self.signoff, kind, summary, dedupe_key=key)

        row = records.nudge(stage.id, self.signoff.id, record, "channels", self.today)
        return self.uow.reminders.record_once(row, key=key, now=self.now, queue=queue)

    def forecast_effect(self) -> str | None:
        """One sentence on what the wait does to the target date (None without a target)."""
        if not self._effect:
            self._effect.append(forecast_effect(self.signoff, today=self.today))
        return self._effect[0]
