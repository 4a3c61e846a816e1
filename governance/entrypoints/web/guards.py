"""What stands in front of every route: sign-in for private pages, same-site POSTs, link rate limits.

Private is the default: a route is reachable anonymously only if ``PUBLIC`` names it, so a new
page cannot be forgotten.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from anyio import to_thread
from limits import RateLimitItemPerMinute
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from governance.domain.access import Account, is_cross_site
from governance.entrypoints.web.rendering import SIGNED_IN

# Reachable without signing in: the health check, the site's icon, signing in, and reviewers' links.
PUBLIC = re.compile(r"^/(healthz|favicon\.(ico|svg)|login(/.*)?|logout|set-password/[^/]*|a/.*)$")
SESSION_EMAIL = "email"
AFTER_SIGN_IN = "after_sign_in"
LOCAL_PATH = re.compile(r"^/(?![/\\])[^\s\\]*$")


def is_public(path: str) -> bool:
    return bool(PUBLIC.match(path))


def local_path_or_none(path: object) -> str | None:
    """``path`` when it is a path on this site (never ``//host`` or a full URL), else None."""
    return path if isinstance(path, str) and LOCAL_PATH.match(path) else None


class SignInRequired:
    """Anonymous requests to private routes: 401 JSON under ``/api``, else a redirect to ``/login``.

    Runs inside the session middleware; puts the signed-in ``Account`` in ``scope["state"]``.
    """

    def __init__(self, app: ASGIApp, *, account_of: Callable[[str], Account | None]) -> None:
        self.app = app
        self.account_of = account_of

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if is_public(scope["path"]):  # no account look-up: /healthz must answer without one
            SIGNED_IN.set(None)
            await self.app(scope, receive, send)
            return
        session: dict[str, Any] = scope.get("session", {})
        email = session.get(SESSION_EMAIL)
        account = await to_thread.run_sync(self.account_of, email) if isinstance(email, str) else None
        if account is None:
            session.pop(SESSION_EMAIL, None)  # a removed account's session ends with it
            await refusal(scope, session)(scope, receive, send)
            return
        scope.setdefault("state", {})["account"] = account
        SIGNED_IN.set(account)
        await self.app(scope, receive, send)


def refusal(scope: Scope, session: dict[str, Any]) -> Response:
    if scope["path"].startswith("/api/"):
        return JSONResponse({"detail": "Sign in first: this needs a signed-in officer or lead."}, 401)
    accept = dict(scope["headers"]).get(b"accept", b"").decode("latin-1")
    if scope["method"] in {"GET", "HEAD"} and "text/html" in accept:  # a page, not a favicon
        session[AFTER_SIGN_IN] = local_path_or_none(scope["path"]) or "/signoffs"
    return RedirectResponse("/login", status_code=303)  # relative: never built from the Host header


class SameSiteOnly:
    """Refuses (403, nothing done) a POST whose ``Origin`` or ``Sec-Fetch-Site`` shows another site."""

    def __init__(self, app: ASGIApp, *, base_url: str) -> None:
        self.app = app
        parts = urlsplit(base_url)
        self.own_origins = {f"{parts.scheme}://{parts.netloc}"}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] not in {"GET", "HEAD", "OPTIONS"}:
            headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
            origin, fetch_site = headers.get("origin"), headers.get("sec-fetch-site")
            if is_cross_site(origin=origin, fetch_site=fetch_site, own_origins=self.own_origins):
                message = "This form was sent from another site, so it was refused. Nothing has been changed."
                await PlainTextResponse(message, status_code=403)(scope, receive, send)
                return
        await self.app(scope, receive, send)


class LinkRateLimit:
    """At most ``per_minute`` requests to ``/a/*`` per client address (a moving one-minute window)."""

    def __init__(self, app: ASGIApp, *, per_minute: int) -> None:
        self.app = app
        self.item = RateLimitItemPerMinute(per_minute)
        self.limiter = MovingWindowRateLimiter(MemoryStorage())

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].startswith("/a/"):
            client = (scope.get("client") or ("unknown", 0))[0]
            if not self.limiter.hit(self.item, "links", client):
                await self.too_many(client)(scope, receive, send)
                return
        await self.app(scope, receive, send)

    def too_many(self, client: str) -> Response:
        reset_at = self.limiter.get_window_stats(self.item, "links", client).reset_time
        wait = max(1, math.ceil(reset_at - time.time()))
        message = f"Too many requests from your address. Please wait {wait} seconds and try again."
        return PlainTextResponse(message, status_code=429, headers={"Retry-After": str(wait)})
