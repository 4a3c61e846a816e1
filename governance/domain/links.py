"""May this link decide? One rule for every way a reviewer's decision reaches the sign-off.

A personal link stands for one reviewer of one stage of one version of the document. Whether it
can record a decision now depends on the sign-off's state, the stage's state, the reviewer, the
version and whether the link was withdrawn. The web page, the decision use case and the state
machine all ask ``standing_of``; each says the answer in its own words.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING

from governance.domain.committee_stage import may_record_outcome
from governance.domain.states import SignOffState, StageState

if TYPE_CHECKING:
    from governance.domain.signoff import SignOff


class LinkStanding(StrEnum):
    """What a link can do now; the first that applies, in this order, wins."""

    UNKNOWN_STAGE = "unknown_stage"  # the stage is not on the sign-off's route
    NOT_A_REVIEWER = "not_a_reviewer"  # the person is not a reviewer of the stage
    DECIDED = "decided"  # the reviewer has decided on the stage already
    SUPERSEDED = "superseded"  # the link is for an earlier version of the document
    HANDED_ON = "handed_on"  # the review went to someone else (a deputy, a reassignment, an absence)
    CANCELLED = "cancelled"  # the sign-off was cancelled
    AWAITING_REVISION = "awaiting_revision"  # changes were asked for: a revised version is awaited
    ENDED = "ended"  # the sign-off ended otherwise (approved or rejected)
    NOT_OPEN_YET = "not_open_yet"  # the stage has not opened
    SETTLED = "settled"  # the stage closed without this reviewer's decision
    MOVED = "moved"  # the paper moved to another meeting (deferred, or a late paper); a new link went out
    WITHDRAWN = "withdrawn"  # the link itself was withdrawn while its stage is open
    REPLACED = "replaced"  # a newer link (a reminder's) took its place
    EXPIRED = "expired"  # its lifetime (working days after the stage's due date) is over
    BEFORE_MEETING = "before_meeting"  # a committee's outcome is recorded on or after its meeting
    OPEN = "open"  # the link can record a decision now

    @property
    def may_decide(self) -> bool:
        return self is LinkStanding.OPEN


@dataclass(frozen=True)
class ActionLink:
    """What a personal link stands for: a reviewer of a stage, for one version of the document."""

    stage_id: str
    reviewer: str
    document_version: int
    withdrawn: bool = False
    replaced: bool = False
    decides_until: date | None = None  # the last day it may decide; None: until its stage closes
    meeting: date | None = None  # a secretary's link: the meeting it records the outcome of


def standing_of(signoff: SignOff, link: ActionLink, *, today: date | None = None) -> LinkStanding:
    """Whether ``link`` may decide on ``signoff`` now, and if not, the first reason why not.

    ``today`` (London) is needed for the link's lifetime; without it the lifetime is not checked."""
    if link.stage_id not in signoff.stages:
        return LinkStanding.UNKNOWN_STAGE
    progress = signoff.stages[link.stage_id]
    if link.reviewer not in signoff.deciders_of(link.stage_id) and not progress.ever_deputy(link.reviewer):
        return LinkStanding.NOT_A_REVIEWER
    decision = progress.decided_by(link.reviewer)
    if decision is not None and decision.reviewer == link.reviewer:
        return LinkStanding.DECIDED
    if link.document_version != signoff.document_version:
        return LinkStanding.SUPERSEDED
    if progress.handed_on(link.reviewer) is not None:
        return LinkStanding.HANDED_ON
    if progress.seat_for(link.reviewer, signoff.deciders_of(link.stage_id)) is None:
        return LinkStanding.NOT_A_REVIEWER  # a deputy of an earlier version only
    return (
        _standing_of_the_sign_off(signoff, progress.state)
        or _standing_of_the_meeting(signoff, link, today=today)
        or _standing_of_the_link(link, today=today)
    )


def _standing_of_the_sign_off(signoff: SignOff, stage_state: StageState) -> LinkStanding | None:
    """Why the sign-off or its stage no longer takes decisions, or None while they both do."""
    if signoff.state is SignOffState.CANCELLED:
        return LinkStanding.CANCELLED
    if signoff.state is SignOffState.CHANGES_REQUESTED:
        return LinkStanding.AWAITING_REVISION
    if signoff.state is not SignOffState.IN_PROGRESS:
        return LinkStanding.ENDED
    if stage_state is StageState.PENDING:
        return LinkStanding.NOT_OPEN_YET
    if stage_state is not StageState.OPEN:
        return LinkStanding.SETTLED
    return None


def _standing_of_the_meeting(
    signoff: SignOff, link: ActionLink, *, today: date | None
) -> LinkStanding | None:
    """A secretary's link: for the meeting the paper is booked on, and not before that meeting."""
    progress = signoff.stages[link.stage_id]
    if progress.meeting is None or link.reviewer in signoff.route.stage(link.stage_id).chairs_action:
        return None
    if link.meeting is not None and link.meeting != progress.meeting:
        return LinkStanding.MOVED
    if today is not None and not may_record_outcome(progress.meeting, today):
        return LinkStanding.BEFORE_MEETING
    return None


def _standing_of_the_link(link: ActionLink, *, today: date | None) -> LinkStanding:
    """Whether the link itself still decides: not withdrawn, replaced or past its lifetime."""
    if link.withdrawn:
        return LinkStanding.WITHDRAWN
    if link.replaced:
        return LinkStanding.REPLACED
    if today is not None and link.decides_until is not None and today > link.decides_until:
        return LinkStanding.EXPIRED
    return LinkStanding.OPEN
