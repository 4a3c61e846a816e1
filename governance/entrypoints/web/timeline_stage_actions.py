"""Acting on one stage from the timeline: a committee paper submitted, chair's action asked for,
and (officers only) a review reassigned. The same use cases as ``signoff paper-submitted``,
``signoff chairs-action`` and ``signoff reassign``; what they share is in ``timeline_actions``."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from governance.domain.errors import TransitionNotAllowed
from governance.domain.london_time import utc_now
from governance.entrypoints.web.rendering import Web, page_router, web_of
from governance.entrypoints.web.timeline_actions import (
    NOTHING_CHANGED,
    acting_on,
    actor,
    done,
    problem,
    sentence,
)
from governance.services.committees import CommitteeActionRefused, chairs_action, paper_submitted
from governance.services.delegation import reassign_review

stage_actions = page_router()
MAX_REASON = 2000
# Refusals about the review chosen rather than the person named (``handovers.handover_problem``).
REVIEW_PROBLEMS = ("has no stage", "committee meeting", "not open", "no outstanding review")


async def fields_of(request: Request, *names: str) -> dict[str, str]:
    """The form's text fields ``names``, trimmed ('' for a missing one)."""
    form = await request.form(max_files=0, max_fields=len(names) + 2)
    return {name: str(form.get(name) or "").strip() for name in names}


@stage_actions.post("/signoffs/{signoff_id}/paper-submitted", response_model=None)
async def paper(signoff_id: str, request: Request) -> Response:
    """Mark a meeting stage's paper as having reached the committee secretary."""
    fields = await fields_of(request, "stage")
    return await run_in_threadpool(mark_paper, web_of(request), request, signoff_id, fields["stage"])


def mark_paper(web: Web, request: Request, signoff_id: str, stage_id: str) -> Response:
    view = acting_on(web, signoff_id)
    try:
        newly = paper_submitted(web.db, signoff_id, stage_id=stage_id, now=utc_now(), actor=actor(request))
    except CommitteeActionRefused as error:
        return problem(
            web, request, view, ((f"paper-{stage_id}", f"{sentence(str(error))} {NOTHING_CHANGED}"),)
        )
    name = next((s.name for s in view.status.stages if s.id == stage_id), stage_id)
    said = "is marked as submitted; reminders about it stop" if newly else "was already marked as submitted"
    return done(web, request, signoff_id, f"The paper for {name} {said}.")


@stage_actions.post("/signoffs/{signoff_id}/chairs-action", response_model=None)
async def chairs(signoff_id: str, request: Request) -> Response:
    """Ask a meeting stage's chair to act between meetings (they are emailed a link)."""
    fields = await fields_of(request, "stage", "reason")
    return await run_in_threadpool(ask_chair, web_of(request), request, signoff_id, fields)


def ask_chair(web: Web, request: Request, signoff_id: str, fields: dict[str, str]) -> Response:
    view = acting_on(web, signoff_id)
    reason = fields["reason"]
    if not reason or len(reason) > MAX_REASON:
        message = (
            f"Enter why the decision cannot wait for the meeting. {NOTHING_CHANGED}"
            if not reason
            else f"Keep the reason under {MAX_REASON:,} characters. {NOTHING_CHANGED}"
        )
        return problem(web, request, view, (("chairs-reason", message),), form="chairs-action", values=fields)
    try:
        asked = chairs_action(
            web.db,
            web.settings,
            signoff_id,
            stage_id=fields["stage"],
            reason=reason,
            now=utc_now(),
            actor=actor(request),
        )
    except CommitteeActionRefused as error:
        errors = (("chairs-stage", f"{sentence(str(error))} {NOTHING_CHANGED}"),)
        return problem(web, request, view, errors, form="chairs-action", values=fields)
    return done(
        web, request, signoff_id, f"Chair's action asked of {', '.join(asked)}: they are emailed a link."
    )


@stage_actions.post("/signoffs/{signoff_id}/reassign", response_model=None)
async def reassign(signoff_id: str, request: Request) -> Response:
    """Move an outstanding review to someone else (officers only), as ``signoff reassign`` does."""
    fields = await fields_of(request, "review", "to")
    return await run_in_threadpool(move_review, web_of(request), request, signoff_id, fields)


def move_review(web: Web, request: Request, signoff_id: str, fields: dict[str, str]) -> Response:
    view = acting_on(web, signoff_id, officers_only=True)
    stage_id, _, from_whom = fields["review"].partition(" ")
    to_whom = fields["to"]
    if not to_whom:
        errors = (("reassign-to", f"Enter the email address of who reviews instead. {NOTHING_CHANGED}"),)
        return problem(web, request, view, errors, form="reassign", values=fields)
    try:
        reassign_review(
            web.db,
            web.settings,
            signoff_id,
            stage_id,
            from_whom=from_whom,
            to_whom=to_whom,
            now=utc_now(),
            actor=actor(request),
        )
    except TransitionNotAllowed as error:
        said = str(error).removesuffix("; nothing was reassigned")
        field = "reassign-review" if any(words in said for words in REVIEW_PROBLEMS) else "reassign-to"
        errors = ((field, f"{sentence(said)} {NOTHING_CHANGED}"),)
        return problem(web, request, view, errors, form="reassign", values=fields)
    return done(
        web,
        request,
        signoff_id,
        f"The review moved from {from_whom} to {to_whom.lower()}; they are emailed a link.",
    )
