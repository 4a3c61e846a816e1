"""Why an emailed link can no longer decide anything, in words for the reviewer's page."""

from __future__ import annotations

from governance.domain.links import LinkStanding
from governance.domain.route import Stage
from governance.domain.signoff import SignOff
from governance.services.committee_view import meeting_closed_reason

FIXED_REASONS = {
    LinkStanding.CANCELLED: "The sign-off was cancelled by its lead, so no decision is needed from you.",
    LinkStanding.WITHDRAWN: (
        "This link has been withdrawn: please use the link in the most recent email you received."
    ),
    LinkStanding.REPLACED: (
        "A newer link was sent to you in a later email (a reminder), and it replaces this one: "
        "please use the link in the most recent email you received."
    ),
}


def closed_reason(signoff: SignOff, stage: Stage, standing: LinkStanding, *, link_version: int) -> str:
    """Why this link can no longer decide anything, for the reviewer; empty while it still can."""
    progress = signoff.stages[stage.id]
    if standing in (LinkStanding.BEFORE_MEETING, LinkStanding.MOVED):
        return meeting_closed_reason(signoff, stage, standing)
    if standing is LinkStanding.SUPERSEDED:
        return (
            f"This link was for version {link_version} of the document. A newer version "
            "has been circulated: please use the link in the most recent email about it."
        )
    if standing in FIXED_REASONS:
        return FIXED_REASONS[standing]
    if standing is LinkStanding.AWAITING_REVISION:
        return (
            f"Changes to version {signoff.document_version} were asked for, so the lead is preparing a "
            "revised version. Nothing more is decided on this version: you will be emailed a new link "
            "if the revised version comes to you."
        )
    if standing is LinkStanding.ENDED:
        ended = signoff.state.value.replace("_", " ")
        return f"The sign-off has already ended ({ended}), so your decision is no longer needed."
    if standing is LinkStanding.NOT_OPEN_YET:
        return f"The {stage.name} stage has not opened yet."
    if standing is LinkStanding.SETTLED:
        outcome = progress.state.value.replace("_", " ")
        return (
            f"The {stage.name} stage was settled ({outcome}) before you responded, "
            "so your decision is not needed."
        )
    if standing is LinkStanding.EXPIRED:
        return (
            f"This link has expired: the {stage.name} stage was due some time ago. Nothing has been "
            "recorded. Please contact the lead if you still want to respond."
        )
    return ""
