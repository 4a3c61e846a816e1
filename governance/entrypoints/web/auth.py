"""Signing in and out: the ``/login`` form, single sign-on (OpenID Connect), one-time links."""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from governance.domain.access import Account
from governance.domain.london_time import utc_now
from governance.entrypoints.web.guards import AFTER_SIGN_IN, SESSION_EMAIL, local_path_or_none
from governance.entrypoints.web.rendering import Web, WebDep, page_router, web_of
from governance.services.accounts import (
    AccountProblem,
    Client,
    LinkPurpose,
    SignIn,
    link_is_live,
    set_password_by_link,
    sign_in_by_link,
    sign_in_with_password,
    signed_in_by_sso,
)

log = logging.getLogger("signoff.web")
router = page_router()
SSO_CALLBACK = "/login/sso/callback"
LINK_NOT_WORKING = "This link does not work: it may have been used already, or it has expired."


def client_of(request: Request) -> Client:
    address = request.client.host if request.client else ""
    return Client(address=address, user_agent=request.headers.get("user-agent", "")[:500])


def signed_in_account(request: Request) -> Account | None:
    account = request.scope.get("state", {}).get("account")
    return account if isinstance(account, Account) else None


def start_session(request: Request, account: Account) -> RedirectResponse:
    """Begin a fresh session for ``account`` and go where the person was heading (on this site)."""
    heading = local_path_or_none(request.session.get(AFTER_SIGN_IN)) or "/signoffs"
    request.session.clear()
    request.session[SESSION_EMAIL] = account.email
    return RedirectResponse(heading, status_code=303)


def login_page(
    web: Web, *, email: str = "", error: str | None = None, status_code: int = 200
) -> HTMLResponse:
    return web.page(
        "login.html",
        status_code=status_code,
        email=email,
        error=error,
        single_sign_on=web.settings.uses_single_sign_on,
        show_nav=False,
    )


@router.get("/login")
def login_form(web: WebDep) -> HTMLResponse:
    return login_page(web)


@router.post("/login", response_model=None)
def login(
    request: Request, web: WebDep, email: Annotated[str, Form()] = "", password: Annotated[str, Form()] = ""
) -> Response:
    """Check the password; the same words for an unknown address and a wrong password."""
    email = email.strip()
    result = sign_in_with_password(web.db, email, password, now=utc_now(), client=client_of(request))
    if result.outcome is SignIn.LOCKED:
        error = "Too many failed attempts: this account is locked for 15 minutes. Try again later."
        return login_page(web, email=email, error=error, status_code=429)
    if result.account is None:
        error = "The email address or the password is not right."
        return login_page(web, email=email, error=error, status_code=401)
    return start_session(request, result.account)


@router.post("/logout")
def logout(request: Request) -> RedirectResponse:
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


@router.get("/login/link/{token}")
def sign_in_link_page(token: str, web: WebDep) -> HTMLResponse:
    """A one-time sign-in link asks for a press of a button: a mail scanner's GET spends nothing."""
    if not link_is_live(web.db, token, LinkPurpose.SIGN_IN, now=utc_now()):
        return web.page("message.html", status_code=404, heading="Link not working", message=LINK_NOT_WORKING)
    return web.page(
        "sign_in_link.html",
        heading="Sign in",
        message="This link signs you in once. Press the button to continue.",
        button="Sign in",
        set_password=False,
        error=None,
        show_nav=False,
    )


@router.post("/login/link/{token}", response_model=None)
def sign_in_with_link(token: str, request: Request, web: WebDep) -> Response:
    account = sign_in_by_link(web.db, token, now=utc_now(), client=client_of(request))
    if account is None:
        return web.page("message.html", status_code=404, heading="Link not working", message=LINK_NOT_WORKING)
    return start_session(request, account)


def set_password_page(web: Web, *, error: str | None = None, status_code: int = 200) -> HTMLResponse:
    return web.page(
        "sign_in_link.html",
        status_code=status_code,
        heading="Set your password",
        message="Choose the password you will sign in with.",
        button="Set password",
        set_password=True,
        error=error,
        show_nav=False,
    )


@router.get("/set-password/{token}")
def set_password_form(token: str, web: WebDep) -> HTMLResponse:
    if not link_is_live(web.db, token, LinkPurpose.SET_PASSWORD, now=utc_now()):
        return web.page("message.html", status_code=404, heading="Link not working", message=LINK_NOT_WORKING)
    return set_password_page(web)


@router.post("/set-password/{token}", response_model=None)
def set_password(token: str, web: WebDep, password: Annotated[str, Form()] = "") -> Response:
    try:
        email = set_password_by_link(web.db, token, password, now=utc_now())
    except AccountProblem as problem:
        return set_password_page(web, error=str(problem), status_code=422)
    if email is None:
        return web.page("message.html", status_code=404, heading="Link not working", message=LINK_NOT_WORKING)
    return RedirectResponse("/login", status_code=303)


@router.get("/login/sso", response_model=None)
async def sso_start(request: Request) -> Response:
    """Off to the organisation's identity provider; it comes back to the base URL, never the Host."""
    web = web_of(request)
    if web.oauth is None:
        raise HTTPException(status_code=404, detail="Single sign-on is not set up for this installation.")
    callback = web.settings.base_url.rstrip("/") + SSO_CALLBACK
    response: Response = await web.oauth.sso.authorize_redirect(request, callback)
    return response


@router.get(SSO_CALLBACK, response_model=None)
async def sso_callback(request: Request) -> Response:
    web = web_of(request)
    if web.oauth is None:
        raise HTTPException(status_code=404, detail="Single sign-on is not set up for this installation.")
    try:
        token = await web.oauth.sso.authorize_access_token(request)
    except Exception as error:  # Authlib raises its own OAuthError and httpx errors alike
        log.warning("single sign-on failed: %s", error)
        message = "Signing in with your organisation's account did not work. Please try again."
        return web.page("message.html", status_code=401, heading="Sign-in failed", message=message)
    email = str((token.get("userinfo") or {}).get("email") or "")
    account = await run_in_threadpool(
        lambda: signed_in_by_sso(web.db, email, now=utc_now(), client=client_of(request))
    )
    if account is None:
        message = f"There is no account for {email or 'this sign-in'}. Ask a governance officer to add you."
        return web.page("message.html", status_code=403, heading="No account", message=message)
    return start_session(request, account)
