"""What emails show of a sign-off, its stages and its decisions: typed parts of notification contexts."""

from __future__ import annotations

from governance.domain.london_time import human_date, human_meeting, human_time
from governance.domain.route import Stage
from governance.domain.rules import Verdict
from governance.domain.signoff import SignOff
from governance.settings import Settings
from notifications.contexts import DecisionFacts, EndedBy, Envelope, Links, SignOffFacts, StageFacts

MAIL_DOMAIN = "signoff.local"


def thread_root(signoff_id: str) -> str:
    """The Message-ID every email of a sign-off refers to, so clients keep one conversation."""
    return f"<signoff.{signoff_id}@{MAIL_DOMAIN}>"


def envelope_of(signoff: SignOff, settings: Settings, *, recipient: str) -> Envelope:
    """What every email of a sign-off shows: the document, the route, who to contact, the links."""
    base = settings.base_url.rstrip("/")
    facts = SignOffFacts(
        id=signoff.id,
        title=signoff.title,
        route_name=signoff.route.name,
        organisation=signoff.route.organisation,
        document_sha256=signoff.document_sha256,
        document_version=signoff.document_version,
        target=human_date(signoff.target),
        lead=signoff.lead,
    )
    links = Links(timeline=f"{base}/signoffs/{signoff.id}", prefect_runs=f"{base}/signoffs/{signoff.id}/runs")
    return Envelope(
        facts, recipient, contact_for(signoff, settings, recipient), links, thread_root(signoff.id)
    )


def contact_for(signoff: SignOff, settings: Settings, recipient: str) -> str | None:
    """Whom an email tells the recipient to ask: the lead, but never the lead themself; they are
    pointed to the governance contact when one is set, and to no one otherwise."""
    if recipient.strip().casefold() != signoff.lead.strip().casefold():
        return signoff.lead
    contact = settings.governance_contact
    if contact and contact.strip().casefold() != recipient.strip().casefold():
        return contact
    return None


def stage_facts(signoff: SignOff, stage: Stage) -> StageFacts:
    """A stage as emails show it: its due date in words and its approval rule as 'N of M'; a
    meeting stage adds its committee, the meeting it is booked on and that meeting's paper deadline."""
    progress = signoff.stages[stage.id]
    calendar = signoff.route.calendars.get(stage.calendar) if stage.calendar else None
    return StageFacts(
        id=stage.id,
        name=stage.name,
        kind=stage.kind.value,
        due=human_date(progress.due),
        approvals=f"{stage.approvals} of {len(stage.deciders)}",
        reviewers=stage.deciders,
        committee=calendar.name if calendar else None,
        meeting=human_meeting(progress.meeting, calendar.time if calendar else None),
        paper_deadline=human_date(progress.paper_deadline),
    )


def decision_facts(signoff: SignOff, stage_id: str | None) -> tuple[DecisionFacts, ...]:
    """The decisions on one stage, or on every stage, in order."""
    stages = [signoff.stages[stage_id]] if stage_id else list(signoff.stages.values())
    return tuple(
        DecisionFacts(
            stage=signoff.route.stage(p.stage_id).name,
            reviewer=d.reviewer,
            decision=d.verdict.value,
            comment=d.comment,
            at=human_time(d.at),
            minute_ref=d.minutes.minute_ref if d.minutes else None,
            amendments=(d.minutes.amendments or None) if d.minutes else None,
            version=d.document_version,
            on_behalf_of=d.on_behalf_of,
        )
        for p in stages
        for d in p.decisions
    )


def ended_by_facts(signoff: SignOff, stage_id: str | None) -> EndedBy | None:
    """The stage that ended the sign-off, and the last reviewer there who did not approve."""
    if stage_id is None:
        return None
    deciding = [d for d in signoff.stages[stage_id].decisions if d.verdict is not Verdict.APPROVE]
    last = deciding[-1] if deciding else None
    return EndedBy(
        stage=signoff.route.stage(stage_id).name,
        reviewer=last.reviewer if last else None,
        comment=last.comment if last else "",
    )
