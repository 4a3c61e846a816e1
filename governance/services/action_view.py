"""Read model for an emailed action link: what the reviewer's page shows. Reading changes nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from functools import cached_property
from pathlib import Path

from governance.domain.links import LinkStanding
from governance.domain.london_time import london_date, utc_now
from governance.domain.route import ApprovalRule, RuleKind, Stage, members_of
from governance.domain.rules import Verdict
from governance.domain.signoff import Decision, SignOff, SignOffState, StageState
from governance.services.closed_reasons import closed_reason
from governance.services.committee_view import (
    DECIDE,
    PAPER,
    RATIFY,
    CommitteeFacts,
    committee_facts,
    paper_standing,
    ratification_standing,
    verdicts_offered,
)
from governance.services.handover_view import HandoverChoice, handed_on_reason, handover_choice
from governance.services.ports import UnitOfWork, UnitsOfWork
from governance.services.stored_records import SignOffRecord, StoredLink
from governance.services.tokens import LinkLifetime, find_token
from governance.services.tokens import standing as standing_of_link


class LinkState(StrEnum):
    OPEN = "open"  # the reviewer can decide now
    DECIDED = "decided"  # the reviewer has decided; the link shows that decision
    CLOSED = "closed"  # the stage or sign-off ended without this reviewer's decision


@dataclass(frozen=True)
class ActionView:
    """One reviewer's view of one stage of one sign-off, as their link shows it."""

    state: LinkState
    reviewer: str
    signoff: SignOff
    stage: Stage
    document_filename: str
    document_path: str
    closed_reason: str
    purpose: str = DECIDE  # decide, ratify (a chair's action) or paper (the lead's)
    committee: CommitteeFacts = field(default_factory=CommitteeFacts)
    verdicts: tuple[Verdict, ...] = ()
    standing: LinkStanding = LinkStanding.OPEN

    @property
    def before_meeting(self) -> bool:
        """The link is for a meeting still ahead: it will record the outcome from that day."""
        return self.standing is LinkStanding.BEFORE_MEETING

    @property
    def title(self) -> str:
        return self.signoff.title

    @property
    def organisation(self) -> str:
        return self.signoff.route.organisation

    @property
    def route_name(self) -> str:
        return self.signoff.route.name

    @property
    def lead(self) -> str:
        return self.signoff.lead

    @property
    def document_sha256(self) -> str:
        return self.signoff.document_sha256

    @property
    def document_version(self) -> int:
        return self.signoff.document_version

    @property
    def stage_name(self) -> str:
        return self.stage.name

    @property
    def stage_state(self) -> StageState:
        return self.signoff.stages[self.stage.id].state

    @property
    def due(self) -> date | None:
        return self.signoff.stages[self.stage.id].due

    @property
    def rule(self) -> str:
        words = rule_in_words(self.stage.approvals, len(self.stage.deciders))
        if self.stage.veto:
            words += f" A reject from {' or '.join(self.stage.veto)} rejects the stage on its own (a veto)."
        return words

    @property
    def other_reviewers(self) -> tuple[str, ...]:
        return tuple(r for r in self.stage.deciders if r != self.reviewer)

    @cached_property  # a page asks more than once; the view is of one moment
    def awaiting(self) -> tuple[str, ...]:
        """Reviewers of the stage who have not decided yet (none once it has closed)."""
        return self.signoff.outstanding(self.stage.id)

    @cached_property
    def decision(self) -> Decision | None:
        return self.signoff.stages[self.stage.id].decided_by(self.reviewer)

    @property
    def handover(self) -> HandoverChoice:
        """What the page says and offers about handing this review on (``handover_view``)."""
        return handover_choice(self.signoff, self.stage, self.reviewer, self.standing)

    @property
    def next_steps(self) -> str:
        """What happens after this reviewer's decision, in a sentence or two."""
        return next_steps(self)


def action_view(uows: UnitsOfWork, token: str, *, lifetime: LinkLifetime | None = None) -> ActionView | None:
    """What the link ``token`` shows; None when the link is malformed or unknown.

    ``lifetime``: judge whether the link has expired (the web page always does)."""
    with uows.read() as uow:
        link = find_token(uow, token)
        return view_of(uow, link, lifetime) if link is not None else None


def view_of(uow: UnitOfWork, link: StoredLink, lifetime: LinkLifetime | None = None) -> ActionView:
    """The view of one stored link, inside the caller's unit of work."""
    signoff, row = uow.signoffs.get_with_record(link.signoff_id)
    return view_from(signoff, row, link, lifetime)


def view_from(
    signoff: SignOff, row: SignOffRecord, link: StoredLink, lifetime: LinkLifetime | None = None
) -> ActionView:
    """The view of one stored link from its sign-off as loaded (or as just changed) and its record."""
    reviewer = link.reviewer
    stage = signoff.route.stage(link.stage_id)
    today = lifetime.today if lifetime else london_date(utc_now())
    if link.purpose == RATIFY:
        standing, reason = ratification_standing(signoff, link, today=today)
    elif link.purpose == PAPER:
        standing, reason = paper_standing(signoff, link)
    else:
        standing = standing_of_link(signoff, link, lifetime, today=today)
        reason = closed_reason(signoff, stage, standing, link_version=link.document_version)
        reason = handed_on_reason(signoff, stage, reviewer) if standing is LinkStanding.HANDED_ON else reason
    facts = committee_facts(signoff, stage, reviewer)
    return ActionView(
        LINK_STATES.get(standing, LinkState.CLOSED),
        reviewer,
        signoff,
        stage,
        row.document_filename,
        row.document_path,
        closed_reason=reason,
        purpose=link.purpose,
        committee=facts,
        verdicts=verdicts_offered(stage, facts),
        standing=standing,
    )


LINK_STATES = {LinkStanding.OPEN: LinkState.OPEN, LinkStanding.DECIDED: LinkState.DECIDED}


def rule_in_words(rule: ApprovalRule, reviewers: int) -> str:
    """The stage's approval rule as a reviewer would say it."""
    if reviewers == 1:
        return "You are the only reviewer: your decision settles this stage."
    if rule.kind is RuleKind.ALL:
        needed = f"All {reviewers} reviewers must approve"
    elif rule.kind is RuleKind.ANY:
        needed = f"One approval from any of the {reviewers} reviewers is enough"
    else:
        needed = f"{rule.quorum} of the {reviewers} reviewers must approve"
    return f"{needed}. A request for changes from any reviewer returns the document to its lead."


def next_steps(view: ActionView) -> str:
    """What happens after the reviewer's decision, judged from the stage and sign-off now."""
    lead = f"The lead, {view.lead},"
    if view.signoff.state is SignOffState.CANCELLED:
        return "The sign-off has since been cancelled by its lead; nothing more is needed from you."
    if view.stage_state is StageState.OPEN:
        waiting = ", ".join(view.awaiting)
        return (
            f"The {view.stage_name} stage stays open until enough reviewers have responded "
            f"(still to respond: {waiting}). {lead} will be told the outcome."
        )
    if view.stage_state is StageState.APPROVED:
        return f"That settles the {view.stage_name} stage as approved. {after_approval(view)}"
    if view.stage_state is StageState.CHANGES_REQUESTED:
        return (
            f"The {view.stage_name} stage asked for changes, so the sign-off waits for a revised "
            f"version. {lead} has been emailed every comment; the stage reopens for the new version, "
            "with what changed shown."
        )
    if view.stage_state is StageState.REJECTED:
        outcome = view.stage_state.value.replace("_", " ")
        return (
            f"The {view.stage_name} stage ended as {outcome}, so the sign-off stops here. "
            f"{lead} will be emailed to decide what to do next."
        )
    ended = view.signoff.state.value.replace("_", " ")
    return f"The sign-off has since ended ({ended}); nothing more is needed from you."


def after_approval(view: ActionView) -> str:
    """What follows a stage's approval: its parallel siblings, the next step, or the end."""
    open_alongside = still_open_alongside(view.signoff, view.stage)
    next_stages = next_step_of(view.signoff)
    if open_alongside:
        alongside = " and ".join(open_alongside)
        return f"The sign-off moves on once {alongside}, running alongside it, are settled too."
    if next_stages:
        return f"Next: {' and '.join(next_stages)}, whose reviewers will be emailed shortly."
    return "It was the last stage: the sign-off is complete, and everyone involved will be emailed."


def next_step_of(signoff: SignOff) -> tuple[str, ...]:
    """The names of the stages the sign-off opens next (none opened yet), if any."""
    for step in signoff.route.steps:
        members = members_of(step)
        if all(signoff.stages[s.id].state is StageState.PENDING for s in members):
            return tuple(s.name for s in members)
    return ()


def still_open_alongside(signoff: SignOff, stage: Stage) -> tuple[str, ...]:
    """Other stages of the same parallel group that are still open."""
    if stage.group is None:
        return ()
    return tuple(
        s.name
        for s in signoff.route.stages
        if s.group == stage.group and s.id != stage.id and signoff.stages[s.id].state is StageState.OPEN
    )


def document_of(view: ActionView) -> Path:
    """The stored file of the document the link is about."""
    return Path(view.document_path)
