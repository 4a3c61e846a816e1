"""What a committee link's page shows: the secretary's meeting, the chair's action, a ratification,
the lead's paper. Reading changes nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from governance.domain.committee_stage import ChairsAction, may_record_outcome
from governance.domain.links import LinkStanding
from governance.domain.london_time import human_date
from governance.domain.route import Stage, StageKind
from governance.domain.rules import MEETING_VERDICTS, REVIEW_VERDICTS, Verdict
from governance.domain.signoff import SignOff, StageState
from governance.services.stored_records import StoredLink

# Purposes of a link (``action_tokens.purpose``).
DECIDE, RATIFY, PAPER = "decide", "ratify", "paper"
CHAIR_VERDICTS = (Verdict.APPROVE, Verdict.REJECT)  # approve by chair's action, or leave it to the meeting


@dataclass(frozen=True)
class CommitteeFacts:
    """A meeting stage as its pages show it (empty for a review)."""

    committee: str | None = None
    meeting: date | None = None
    meeting_time: time | None = None
    paper_deadline: date | None = None
    paper_submitted_at: datetime | None = None
    chairs_action: ChairsAction | None = None
    as_chair: bool = False


def committee_facts(signoff: SignOff, stage: Stage, reviewer: str) -> CommitteeFacts:
    if stage.kind is not StageKind.MEETING:
        return CommitteeFacts()
    progress = signoff.stages[stage.id]
    calendar = signoff.route.calendars.get(stage.calendar or "")
    return CommitteeFacts(
        committee=calendar.name if calendar else None,
        meeting=progress.meeting,
        meeting_time=calendar.time if calendar else None,
        paper_deadline=progress.paper_deadline,
        paper_submitted_at=progress.paper_submitted_at,
        chairs_action=progress.chairs_action,
        as_chair=reviewer in stage.chairs_action and reviewer not in stage.deciders,
    )


def verdicts_offered(stage: Stage, facts: CommitteeFacts) -> tuple[Verdict, ...]:
    """The buttons of the decision form: a review's three, a committee's five, a chair's two."""
    if facts.as_chair:
        return CHAIR_VERDICTS
    return MEETING_VERDICTS if stage.kind is StageKind.MEETING else REVIEW_VERDICTS


def ratification_standing(signoff: SignOff, link: StoredLink, *, today: date) -> tuple[LinkStanding, str]:
    """A secretary's ratification link: open at (or after) the meeting, decided once ratified."""
    progress = signoff.stages.get(link.stage_id)
    action = progress.chairs_action if progress else None
    if action is None or action.at is None:
        return LinkStanding.SETTLED, "There is no chair's action to ratify on this stage."
    if action.ratified_at is not None:
        return LinkStanding.DECIDED, ""
    if not may_record_outcome(action.ratify_at, today):
        day = human_date(action.ratify_at)
        return (
            LinkStanding.BEFORE_MEETING,
            f"The ratification can be recorded from {day}, the day of the meeting.",
        )
    return LinkStanding.OPEN, ""


def paper_standing(signoff: SignOff, link: StoredLink) -> tuple[LinkStanding, str]:
    """The lead's paper link: open while the stage is open and the paper not marked submitted."""
    progress = signoff.stages.get(link.stage_id)
    if progress is None or progress.state is not StageState.OPEN:
        return LinkStanding.SETTLED, "The committee stage is no longer open, so there is nothing to mark."
    if progress.paper_submitted_at is not None:
        return LinkStanding.DECIDED, ""
    return LinkStanding.OPEN, ""


def meeting_closed_reason(signoff: SignOff, stage: Stage, standing: LinkStanding) -> str:
    """Why a secretary's link records nothing now: the meeting is ahead, or the paper moved."""
    progress = signoff.stages[stage.id]
    if standing is LinkStanding.BEFORE_MEETING:
        day = human_date(progress.meeting)
        return (
            f"The outcome can be recorded from {day}, the day of the meeting. Nothing can be recorded "
            "before then: come back to this page after the meeting."
        )
    if standing is LinkStanding.MOVED:
        day = human_date(progress.meeting)
        return (
            f"The paper has moved to the meeting on {day}. A new link for that meeting was sent to you: "
            "please use the link in the most recent email."
        )
    return ""
