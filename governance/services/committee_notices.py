"""The emails of a committee stage: the paper due, the secretary's link for the booked meeting, a
deferral or late paper, chair's action and its ratification."""

from __future__ import annotations

from typing import TYPE_CHECKING

from governance.domain.events import ChairsActionRequested, MeetingChanged, RatificationBooked
from governance.domain.london_time import human_date, human_time, london_date
from governance.domain.route import Stage
from governance.domain.signoff import SignOff
from governance.services.email_facts import stage_facts
from governance.services.forecast_effect import forecast_effect
from notifications.contexts import InvitationEmail, MeetingChangedEmail, PaperDueEmail, RatificationEmail

if TYPE_CHECKING:
    from governance.services.notify import Notifier

LEAD = "You lead this sign-off."


class CommitteeNotices:
    """Queues one sign-off's committee emails through the notifier's unit of work."""

    def __init__(self, notifier: Notifier, signoff: SignOff) -> None:
        self.notifier = notifier
        self.signoff = signoff

    def meeting_opened(self, stage: Stage) -> None:
        """The lead is told the paper's deadline; the secretary gets the paper and the meeting."""
        self.paper_due(stage)
        self.secretary_link(stage)

    def paper_due(self, stage: Stage, *, reminder: bool = False, dedupe_key: str | None = None) -> bool:
        """The lead's email (and link) for the paper: which committee, which meeting, due by when."""
        facts = stage_facts(self.signoff, stage)
        body = PaperDueEmail("lead", LEAD, facts, reminder=reminder)
        return self.notifier.invite(
            self.signoff, stage, self.signoff.lead, body, purpose="paper", dedupe_key=dedupe_key
        )

    def secretary_link(self, stage: Stage) -> None:
        for secretary in stage.deciders:
            reason = f"You are the secretary who records the {stage.name} decision for this sign-off."
            facts = stage_facts(self.signoff, stage)
            self.notifier.invite(self.signoff, stage, secretary, InvitationEmail("reviewer", reason, facts))

    def meeting_changed(self, event: MeetingChanged) -> None:
        """The lead hears of the new meeting and its effect; the secretary gets a link for it."""
        stage = self.signoff.route.stage(event.stage_id)
        progress = self.signoff.stages[stage.id]
        if event.reason == "deferred":
            note = progress.deferrals[-1].reason if progress.deferrals else ""
        else:
            note = progress.late_paper or ""
        body = MeetingChangedEmail(
            role="lead",
            reason=LEAD,
            stage=stage_facts(self.signoff, stage),
            why="deferred" if event.reason == "deferred" else "late_paper",
            from_meeting=human_date(event.from_meeting),
            note=note,
            forecast_effect=forecast_effect(self.signoff, today=london_date(self.notifier.now)),
        )
        self.notifier.queue(self.signoff, self.signoff.lead, body)
        self.secretary_link(stage)

    def chairs_action_requested(self, event: ChairsActionRequested) -> None:
        stage = self.signoff.route.stage(event.stage_id)
        action = self.signoff.stages[stage.id].chairs_action
        why = action.reason if action else ""
        for chair in event.chairs:
            reason = f"The route names you as a chair who may act for the {stage.name} between meetings."
            body = InvitationEmail("reviewer", reason, stage_facts(self.signoff, stage), chairs_action=why)
            self.notifier.invite(self.signoff, stage, chair, body, meeting=None)

    def ratification_booked(self, event: RatificationBooked) -> None:
        """Each secretary of the committee is asked to record the ratification at its meeting."""
        stage = self.signoff.route.stage(event.stage_id)
        action = self.signoff.stages[stage.id].chairs_action
        acted = human_time(action.at) if action and action.at else ""
        for secretary in stage.deciders:
            reason = f"You are the secretary of the {stage.name}, which ratifies chair's actions."
            body = RatificationEmail(
                role="reviewer",
                reason=reason,
                stage=stage_facts(self.signoff, stage),
                chair=event.chair,
                acted_on=acted or "",
                ratify_at=human_date(event.ratify_at),
            )
            self.notifier.invite(
                self.signoff, stage, secretary, body, purpose="ratify", meeting=event.ratify_at
            )
