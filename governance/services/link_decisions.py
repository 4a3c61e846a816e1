"""A decision posted through an emailed link, in one transaction: the link's check, the decision with its
audit entry and emails, and the link's view for the page afterwards, all from one load of the sign-off."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

from governance.services.action_view import ActionView, LinkState, view_from
from governance.services.audit import Actor
from governance.services.committee_view import DECIDE
from governance.services.ports import UnitsOfWork
from governance.services.signoffs import Asked, record_decision
from governance.services.tokens import LinkLifetime, find_token, looks_like_token
from governance.settings import Settings

Ask = Callable[[ActionView], "Asked | None"]


@dataclass(frozen=True)
class LinkDecision:
    """What a form posted to a link came to: its view (after the decision, when one was recorded)."""

    view: ActionView
    recorded: bool


def decide_on_link(
    uows: UnitsOfWork,
    token: str,
    *,
    ask: Ask,
    settings: Settings,
    now: datetime,
    lifetime: LinkLifetime,
    actor: Actor | None = None,
) -> LinkDecision | None:
    """Record the decision ``ask`` reads from the form for the link's view; None for an unknown link.

    ``ask`` is asked only while the link may decide (an open link for a decision, not a committee's
    ratification or paper link); it answers None to record nothing yet (a problem with the form, or a
    reject still to be confirmed). The sign-off is held from the link's check to the commit, so two
    posts of one link record one decision."""
    if not looks_like_token(token):
        return None  # no transaction for a malformed link (floods of them)
    with uows.write() as uow:
        link = find_token(uow, token)
        if link is None:
            return None
        signoff, stored = uow.signoffs.get_with_record(link.signoff_id, for_update=True)
        view = view_from(signoff, stored, link, lifetime)
        asked = ask(view) if view.state is LinkState.OPEN and view.purpose == DECIDE else None
        if asked is None:
            return LinkDecision(view, recorded=False)
        record_decision(uow, settings, signoff, link, asked, now=now, actor=actor)
        return LinkDecision(view_from(signoff, stored, replace(link, used_at=now), lifetime), recorded=True)
