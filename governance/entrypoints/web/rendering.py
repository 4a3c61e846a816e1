"""What every page needs: the app's wiring, the jinja2 environment and its filters."""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any, cast

import jinja2
from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup, escape

from governance.adapters.database.database import Database
from governance.domain.access import Account
from governance.domain.london_time import human_clock, human_date, human_time
from governance.entrypoints.web.key_dates_view import rag_label, slack_words
from governance.settings import Settings
from notifications.message import LINK_IN_TEXT

# The account of the request being served (set by the sign-in guard), for the navigation bar.
SIGNED_IN: ContextVar[Account | None] = ContextVar("signed_in", default=None)
TEMPLATES = Path(__file__).parent / "templates"
SHORT_HASH = 12
# Pages answer HEAD as well as GET (link checkers and mail scanners send it); neither changes anything.
VIEW = ["GET", "HEAD"]
VERDICT_NOUNS = {
    "approve": "approval",
    "reject": "rejection",
    "changes": "request for changes",
    "approve_with_amendments": "approval with amendments",
    "defer": "deferral",
}
VERDICT_LABELS = {
    "approve": "Approved",
    "reject": "Rejected",
    "changes": "Changes requested",
    "approve_with_amendments": "Approved with amendments",
    "defer": "Deferred",
}


@dataclass(frozen=True)
class Web:
    """The app's wiring, reached from a route through the ``WebDep`` dependency."""

    settings: Settings
    db: Database
    env: jinja2.Environment
    on_change: Callable[[], None] | None
    oauth: Any = None  # Authlib's OpenID Connect client when single sign-on is set up

    def page(self, template: str, *, status_code: int = 200, **context: Any) -> HTMLResponse:
        """Render ``template`` (autoescaped) as an HTML response."""
        account = SIGNED_IN.get()
        defaults = {
            "organisation": None,
            "show_nav": True,
            "account": account,
            "mail_sink": self.settings.uses_mail_sink and account is not None and account.is_officer,
        }
        html = self.env.get_template(template).render(defaults | context)
        return HTMLResponse(html, status_code=status_code)


def web_of(request: Request) -> Web:
    return cast(Web, request.app.state.web)


WebDep = Annotated[Web, Depends(web_of)]


def no_such_signoff(signoff_id: str) -> HTTPException:
    """The 404 for a sign-off id that is not in the database."""
    return HTTPException(status_code=404, detail=f"There is no sign-off with id {signoff_id!r}.")


def visible_or_404(signoff_id: str, *, organisation: str, lead: str) -> None:
    """A sign-off the signed-in person may not see answers as if it did not exist."""
    account = SIGNED_IN.get()
    if account is None or not account.may_see(organisation=organisation, lead=lead):
        raise no_such_signoff(signoff_id)


def page_router() -> APIRouter:
    """A router for HTML pages: they answer with HTML and stay out of the API schema."""
    return APIRouter(include_in_schema=False, default_response_class=HTMLResponse)


def make_environment() -> jinja2.Environment:
    """Autoescaped templates; a missing variable is an error, never a silent blank."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        day=show_date,
        long_day=lambda value: human_date(value) or "–",
        when=show_time,
        words=words,
        short_hash=short_hash,
        linkify=linkify,
        rag_label=rag_label,
        slack=slack_words,
        clock=human_clock,
        verdict_noun=lambda v: VERDICT_NOUNS.get(str(v), str(v)),
        verdict_label=lambda v: VERDICT_LABELS.get(str(v), words(v)),
    )
    return env


def show_date(value: date | str | None) -> str:
    """A date (or its ISO text) as people read it; a dash when there is none."""
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    return human_date(value) or "–"


def show_time(value: datetime | str | None) -> str:
    """A moment (or its ISO text) in London time; a dash when there is none."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return human_time(value) or "–"


def words(value: object) -> str:
    """A state such as ``changes_requested`` as words: 'Changes requested'."""
    return str(value).replace("_", " ").capitalize()


def short_hash(value: str) -> str:
    return value[:SHORT_HASH]


def linkify(text: str) -> Markup:
    """Escape plain text and turn the web addresses in it into links."""
    pieces: list[str] = []
    position = 0
    for found in LINK_IN_TEXT.finditer(text):
        url = escape(found.group())
        pieces += [str(escape(text[position : found.start()])), f'<a href="{url}">{url}</a>']
        position = found.end()
    pieces.append(str(escape(text[position:])))
    return Markup("".join(pieces))  # noqa: S704 - every piece was escaped above
