"""The web app: reviewers' action links, the lead's timeline pages, the dev mailbox, a JSON API."""

from __future__ import annotations

import hashlib
import hmac
import logging
from collections.abc import Callable
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from governance.adapters.database.database import Database
from governance.entrypoints.web import (
    action_links,
    auth,
    committees_page,
    dashboard,
    mailbox,
    pages,
    timeline,
)
from governance.entrypoints.web.favicon import router as favicon_router
from governance.entrypoints.web.guards import LinkRateLimit, SameSiteOnly, SignInRequired
from governance.entrypoints.web.rendering import Web, make_environment, web_of
from governance.entrypoints.web.reports_page import pages as report_pages
from governance.entrypoints.web.routes_page import pages as route_pages
from governance.entrypoints.web.start_page import pages as start_pages
from governance.entrypoints.web.timeline_actions import actions as timeline_actions
from governance.entrypoints.web.timeline_revise import revise_pages
from governance.entrypoints.web.timeline_stage_actions import stage_actions
from governance.services.accounts import account_of
from governance.settings import Settings

log = logging.getLogger("signoff.web")

# Action links carry their secret in the URL: never cache, never pass it on, never index it.
PRIVATE_HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
}
SESSION_SECONDS = 8 * 60 * 60  # a working day; then sign in again
STATUS_TITLES = {404: "Page not found", 405: "Not allowed", 422: "Something in the request is wrong"}
# Said instead of Starlette's bare reason phrases ("Not Found") for errors raised without a message.
STATUS_MESSAGES = {
    404: "There is no page at this address. Check the address, or start from the list of sign-offs.",
    405: "This page cannot be used that way. Nothing has been changed.",
}


def create_app(settings: Settings, db: Database, *, on_change: Callable[[], None] | None = None) -> FastAPI:
    """The app over ``db``; ``on_change`` runs after a decision is recorded (to wake the orchestrator)."""
    app = FastAPI(title="Governance sign-off", docs_url=None, redoc_url=None, openapi_url="/api/openapi.json")
    app.router.redirect_slashes = False  # its redirect is built from the Host header
    app.state.web = Web(
        settings=settings, db=db, env=make_environment(), on_change=on_change, oauth=single_sign_on(settings)
    )
    routers = (
        favicon_router,
        pages.router,
        pages.pages,
        dashboard.pages,
        start_pages,  # before the timeline: /signoffs/new is not a sign-off's id
        report_pages,
        timeline.pages,
        timeline_actions,
        stage_actions,
        revise_pages,
        committees_page.pages,
        route_pages,
        action_links.router,
        mailbox.router,
        auth.router,
    )
    for router in routers:
        app.include_router(router)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(Exception, server_error)
    add_guards(app, settings, db)
    app.add_middleware(PrivateHeaders)
    return app


def add_guards(app: FastAPI, settings: Settings, db: Database) -> None:
    """Innermost first: who is signed in, the session cookie, same-site POSTs, the links' rate limit."""
    app.add_middleware(SignInRequired, account_of=lambda email: account_of(db, email))
    app.add_middleware(
        SessionMiddleware,
        secret_key=session_key(settings),
        session_cookie="signoff_session",
        max_age=SESSION_SECONDS,
        same_site="lax",
        https_only=settings.secure_cookies,
    )
    app.add_middleware(SameSiteOnly, base_url=settings.base_url)
    app.add_middleware(LinkRateLimit, per_minute=settings.link_rate_per_minute)


def session_key(settings: Settings) -> str:
    """A key for session cookies, derived from (and never equal to) the links' signing key."""
    return hmac.new(settings.signing_key(), b"session-cookie", hashlib.sha256).hexdigest()


def single_sign_on(settings: Settings) -> Any:
    """Authlib's OpenID Connect client for the configured issuer, or None without single sign-on."""
    if not settings.uses_single_sign_on:
        return None
    from authlib.integrations.starlette_client import OAuth

    issuer = str(settings.oidc_issuer).rstrip("/")
    secret = settings.oidc_client_secret.get_secret_value() if settings.oidc_client_secret else None
    oauth = OAuth()
    oauth.register(
        name="sso",
        client_id=settings.oidc_client_id,
        client_secret=secret,
        server_metadata_url=f"{issuer}/.well-known/openid-configuration",
        client_kwargs={"scope": "openid email profile"},
    )
    return oauth


class PrivateHeaders:
    """Adds ``PRIVATE_HEADERS`` to every response (pages, files, errors)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [
                    (name.lower().encode(), value.encode())
                    for name, value in PRIVATE_HEADERS.items()
                    if name.lower().encode() not in present
                ]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


async def http_error(request: Request, exc: Exception) -> Response:
    """404s and friends: JSON under ``/api``, a plain page everywhere else, never a traceback."""
    assert isinstance(exc, StarletteHTTPException)
    if wants_json(request):
        return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)
    web = web_of(request)
    if exc.status_code == 404 and request.url.path.startswith("/a/"):
        if exc.detail == action_links.NOT_RECOGNISED or exc.detail == "Not Found":
            return web.page("link_not_recognised.html", status_code=404, show_nav=False)
        return web.page(
            "message.html", status_code=404, heading="Not found", message=exc.detail, show_nav=False
        )
    title = STATUS_TITLES.get(exc.status_code, "Something went wrong")
    message = exc.detail
    if message == HTTPStatus(exc.status_code).phrase:
        message = STATUS_MESSAGES.get(exc.status_code, "Nothing has been changed.")
    return web.page("message.html", status_code=exc.status_code, heading=title, message=message)


async def validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    if wants_json(request):
        return JSONResponse({"detail": exc.errors()}, status_code=422)
    message = "The request could not be understood. Nothing has been changed."
    return web_of(request).page("message.html", status_code=422, heading=STATUS_TITLES[422], message=message)


async def server_error(request: Request, exc: Exception) -> Response:
    """An unexpected failure: logged in full, shown as a short apology (outside PrivateHeaders)."""
    log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    message = (
        "Something went wrong on our side. Please try again in a minute; "
        "if it keeps happening, tell the person who sent you here."
    )
    if wants_json(request):
        return JSONResponse({"detail": message}, status_code=500, headers=PRIVATE_HEADERS)
    response = web_of(request).page(
        "message.html",
        status_code=500,
        heading="Sorry, something went wrong",
        message=message,
        show_nav=False,
    )
    response.headers.update(PRIVATE_HEADERS)
    return response
