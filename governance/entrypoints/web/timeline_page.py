"""The timeline page itself: the picture, who is awaited, what can be done, then the compact detail.

Shared by the page (``timeline``) and the actions on it (``timeline_actions`` and friends), which
show it again with an error summary (422) when a form has a problem, or send the browser back to
it (303) with a notice of what was done.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from fastapi import Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from governance.domain.london_time import london_date, utc_now
from governance.entrypoints.web.rendering import SIGNED_IN, Web
from governance.services.audit import entries_of, possibly_automated
from governance.services.timeline import Timeline
from governance.services.timeline_offers import offers_of, waiting_of
from governance.services.timeline_rows import timeline_rows
from governance.services.timeline_svg import NARROW, WIDE, render_timeline_svg
from governance.services.undelivered import notifications

NOTICE = "timeline_notice"  # the session key of the notice shown once after an action
AUDIT_WORDS = {
    "started": "Sign-off started",
    "stage_opened": "Stage opened",
    "link_viewed": "Link opened",
    "decided": "Decision recorded",
    "delegated": "Review handed on",
    "reminded": "Reminder sent",
    "escalated": "Escalated",
    "revised": "Revised version sent",
    "cancelled": "Sign-off cancelled",
    "exported": "Audit trail exported",
    "deferred": "Deferred",
    "late_paper": "Late paper agreed",
    "paper_submitted": "Paper marked as submitted",
    "chairs_action_requested": "Chair's action asked for",
    "ratified": "Chair's action ratified",
}


@dataclass(frozen=True)
class AuditLine:
    at: datetime
    what: str
    who: str
    stage: str


@dataclass(frozen=True)
class FormState:
    """A form that came back: its problems by field id (in page order), what was typed, which form."""

    errors: tuple[tuple[str, str], ...] = ()
    values: dict[str, str] | None = None
    form: str = ""


def show_timeline(
    web: Web, request: Request, view: Timeline, *, status_code: int = 200, state: FormState | None = None
) -> HTMLResponse:
    """The timeline page of ``view``, with a form's problems when ``state`` has any."""
    state = state or FormState()
    status = view.status
    today = london_date(utc_now())
    rows = timeline_rows(view, today=today)
    account = SIGNED_IN.get()
    return web.page(
        "timeline.html",
        status_code=status_code,
        status=status,
        steps=view.steps,
        awaiting=status.awaiting,
        waiting=waiting_of(view, today=today),
        attention=view.attention,
        failed=notifications(web.db, failed_only=True, signoff_id=status.id),
        automated=possibly_automated(web.db, status.id),
        organisation=status.organisation,
        svg_wide=Markup(render_timeline_svg(view, rows, layout=WIDE)),  # noqa: S704 - escaped as built
        svg_narrow=Markup(render_timeline_svg(view, rows, layout=NARROW)),  # noqa: S704 - escaped as built
        offers=offers_of(web.db, view),
        officer=account is not None and account.is_officer,
        audit=audit_lines(web, status.id),
        notice=pop_notice(request, status.id),
        ordered_errors=state.errors,
        errors=dict(state.errors),
        values=state.values or {},
        open_form=state.form,
    )


def audit_lines(web: Web, signoff_id: str) -> list[AuditLine]:
    """The audit trail in words, newest first."""
    lines = []
    for entry in reversed(entries_of(web.db, signoff_id)):
        facts = entry.facts
        what = AUDIT_WORDS.get(facts.kind, facts.kind.replace("_", " ").capitalize())
        decision = facts.details.get("decision")
        if decision:
            what = f"{what}: {str(decision).replace('_', ' ')}"
        lines.append(AuditLine(facts.at, what, facts.actor, str(facts.details.get("stage", ""))))
    return lines


def set_notice(request: Request, signoff_id: str, text: str) -> None:
    """Say ``text`` once, on the next view of this sign-off's timeline."""
    request.session[NOTICE] = {"signoff": signoff_id, "text": text}


def pop_notice(request: Request, signoff_id: str) -> str | None:
    notice = request.session.get(NOTICE)
    if not isinstance(notice, dict) or notice.get("signoff") != signoff_id:
        return None
    request.session.pop(NOTICE, None)
    return str(notice.get("text", ""))
