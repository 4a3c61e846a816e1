"""The document loop: a request for changes pauses the sign-off; a revised version resumes it.

The stage that asked for changes reopens for the new version, with any stage still open beside
it. Stages approved earlier stay approved unless they say ``reapprove_on_new_version``; those
reopen too, and the route is walked again in order, so they come round first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from governance.domain.errors import TransitionNotAllowed
from governance.domain.events import ChangesRequested, DocumentRevised, Event
from governance.domain.states import SignOffState, StageState

if TYPE_CHECKING:
    from governance.domain.route import Stage
    from governance.domain.signoff import SignOff, StageProgress


def announce_changes_requested(signoff: SignOff) -> list[Event]:
    """Tell the lead, once per request, that a stage asked for changes to this version."""
    events: list[Event] = []
    for progress in signoff.stages.values():
        if progress.state is StageState.CHANGES_REQUESTED and not progress.announced:
            progress.announced = True
            events.append(ChangesRequested(signoff.id, progress.stage_id, signoff.document_version))
    return events


def revise(signoff: SignOff, *, sha256: str) -> list[Event]:
    """Record the next version of the document and reopen the stages that must see it."""
    if signoff.state is not SignOffState.CHANGES_REQUESTED:
        msg = (
            f"sign-off {signoff.id} is {signoff.state.value.replace('_', ' ')}: a revised version is "
            "taken only after a stage has asked for changes"
        )
        raise TransitionNotAllowed(msg)
    if sha256 == signoff.document_sha256:
        msg = (
            f"this file is the same as version {signoff.document_version} (same SHA-256): "
            "nothing was recorded; send the revised document"
        )
        raise TransitionNotAllowed(msg)
    signoff.document_version += 1
    signoff.document_sha256 = sha256
    signoff.state = SignOffState.IN_PROGRESS
    reopened = tuple(s.id for s in signoff.route.stages if _reopens(s, signoff.stages[s.id]))
    for stage_id in reopened:
        _reset(signoff.stages[stage_id], version=signoff.document_version)
    return [DocumentRevised(signoff.id, signoff.document_version, reopened)]


def _reopens(stage: Stage, progress: StageProgress) -> bool:
    """Whether a stage goes round again for a new version."""
    if progress.state in (StageState.CHANGES_REQUESTED, StageState.OPEN):
        return True
    return progress.state is StageState.APPROVED and stage.reapprove_on_new_version


def _reset(progress: StageProgress, *, version: int) -> None:
    """Put a stage back to pending for ``version``; earlier decisions and deferrals stay as history."""
    progress.state, progress.version = StageState.PENDING, version
    progress.opened_at = progress.completed_at = progress.due = None
    progress.announced = False
    progress.meeting = progress.paper_deadline = None
    progress.paper_submitted_at = progress.late_paper = None
    progress.chairs_action = None
