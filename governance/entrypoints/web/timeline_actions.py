"""Acting on a sign-off from its timeline: send reminders now, and cancel (after a confirmation).

What every timeline action shares is here too: only someone who may see the sign-off may act on
it (anyone else gets the same 404 as for an unknown id), a success goes back to the timeline (303)
with a notice, and a problem shows the timeline again with a GOV.UK error summary (422) and
nothing changed. Forms are same-site only, as every POST is (``guards.SameSiteOnly``); after a
change ``on_change`` wakes a running orchestrator, as a decision from an emailed link does.
"""

from __future__ import annotations

from fastapi import HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from governance.domain.errors import TransitionNotAllowed
from governance.domain.london_time import utc_now
from governance.entrypoints.web.action_links import actor_of, notify_change
from governance.entrypoints.web.rendering import SIGNED_IN, VIEW, Web, WebDep, page_router, web_of
from governance.entrypoints.web.timeline import timeline_or_404
from governance.entrypoints.web.timeline_page import FormState, set_notice, show_timeline
from governance.services.audit import Actor
from governance.services.reminders import ReminderRefused, remind_now
from governance.services.signoffs import cancel_signoff
from governance.services.timeline import Timeline

actions = page_router()
NOTHING_CHANGED = "Nothing has been changed."
OFFICERS_ONLY = "Only governance officers can do this. Nothing has been changed."


def acting_on(web: Web, signoff_id: str, *, officers_only: bool = False) -> Timeline:
    """The sign-off's timeline, for someone who may act on it (404 for anyone who may not see it)."""
    view = timeline_or_404(web, signoff_id)
    account = SIGNED_IN.get()
    if officers_only and (account is None or not account.is_officer):
        raise HTTPException(status_code=403, detail=OFFICERS_ONLY)
    return view


def actor(request: Request) -> Actor:
    """The signed-in person, with the address and browser the form came from (for the audit trail)."""
    account = SIGNED_IN.get()
    return actor_of(request, account.email if account else "")


def done(web: Web, request: Request, signoff_id: str, notice: str) -> RedirectResponse:
    """Back to the timeline, saying what was done; the orchestrator is woken first."""
    notify_change(web)
    set_notice(request, signoff_id, notice)
    return RedirectResponse(f"/signoffs/{signoff_id}", status_code=303)


def problem(
    web: Web,
    request: Request,
    view: Timeline,
    errors: tuple[tuple[str, str], ...],
    *,
    form: str = "",
    values: dict[str, str] | None = None,
) -> HTMLResponse:
    """The timeline again with an error summary: (field id, message) for each problem."""
    state = FormState(errors, values or {}, form)
    return show_timeline(web, request, view, status_code=422, state=state)


def sentence(message: str) -> str:
    """A service's refusal ('stage 'x' is not open ...') as a sentence for a person."""
    message = message.strip().rstrip(".")
    return f"{message[:1].upper()}{message[1:]}."


@actions.post("/signoffs/{signoff_id}/remind", response_model=None)
def remind(signoff_id: str, web: WebDep, request: Request) -> Response:
    """Remind everyone still awaited now, as ``signoff remind`` does."""
    view = acting_on(web, signoff_id)
    try:
        result = remind_now(web.db, web.settings, signoff_id, now=utc_now())
    except ReminderRefused as error:
        return problem(web, request, view, (("remind", f"{sentence(str(error))} {NOTHING_CHANGED}"),))
    sent = sorted({person for _stage, person in result.queued})
    already = sorted({person for _stage, person in result.already} - set(sent))
    said = [f"Reminders are on their way to {', '.join(sent)}." if sent else "No reminder was sent."]
    if already:
        said.append(f"Already reminded by hand today: {', '.join(already)}.")
    return done(web, request, signoff_id, " ".join(said))


@actions.api_route("/signoffs/{signoff_id}/cancel", methods=VIEW)
def cancel_form(signoff_id: str, web: WebDep) -> HTMLResponse:
    """The confirmation step before a sign-off is cancelled."""
    return confirm_page(web, acting_on(web, signoff_id))


def confirm_page(web: Web, view: Timeline, *, problem_text: str = "") -> HTMLResponse:
    errors = (("confirm", problem_text),) if problem_text else ()
    return web.page(
        "timeline_cancel.html",
        status_code=422 if problem_text else 200,
        status=view.status,
        organisation=view.status.organisation,
        ordered_errors=errors,
        errors=dict(errors),
    )


@actions.post("/signoffs/{signoff_id}/cancel", response_model=None)
async def cancel(signoff_id: str, request: Request) -> Response:
    """Cancel the sign-off once the person has ticked that they understand; else ask again (422)."""
    form = await request.form(max_files=0, max_fields=4)
    confirmed = form.get("confirm") == "yes"
    return await run_in_threadpool(
        cancel_confirmed, web_of(request), request, signoff_id, confirmed=confirmed
    )


def cancel_confirmed(web: Web, request: Request, signoff_id: str, *, confirmed: bool) -> Response:
    view = acting_on(web, signoff_id)
    if not confirmed:
        return confirm_page(
            web, view, problem_text=f"Tick the box to confirm the cancellation. {NOTHING_CHANGED}"
        )
    try:
        cancel_signoff(web.db, web.settings, signoff_id, now=utc_now(), actor=actor(request))
    except TransitionNotAllowed as error:
        return problem(web, request, view, (("main", f"{sentence(str(error))} {NOTHING_CHANGED}"),))
    return done(
        web, request, signoff_id, "The sign-off is cancelled. Reviewers still awaited have been told."
    )
