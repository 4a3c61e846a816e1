"""The development mailbox: every email the built-in sink caught, so one person can play every role.

It exists only while no SMTP server is configured; with a real server, ``/mail`` is a 404.
"""

from __future__ import annotations

from fastapi import HTTPException, Request
from fastapi.responses import HTMLResponse

from governance.adapters.mail.sink import read_mail, read_mailbox
from governance.entrypoints.web.auth import signed_in_account
from governance.entrypoints.web.rendering import VIEW, Web, WebDep, page_router

router = page_router()
# Links in a captured email open in a new tab rather than inside the sandboxed frame.
OPEN_LINKS_OUTSIDE = '<base target="_blank">'


def require_sink(web: Web, request: Request) -> None:
    """The mailbox exists only with the built-in sink, and only for signed-in officers."""
    if not web.settings.uses_mail_sink:
        detail = "The mailbox is only there when no SMTP server is configured."
        raise HTTPException(status_code=404, detail=detail)
    account = signed_in_account(request)
    if account is None or not account.is_officer:
        raise HTTPException(status_code=403, detail="Only governance officers can open the mailbox.")


@router.api_route("/mail", methods=VIEW)
def mailbox(web: WebDep, request: Request) -> HTMLResponse:
    """Captured emails, newest first."""
    require_sink(web, request)
    return web.page("mailbox.html", mails=read_mailbox(web.settings.mailbox_dir))


@router.api_route("/mail/{mail_id}", methods=VIEW)
def mail(mail_id: str, web: WebDep, request: Request) -> HTMLResponse:
    """One captured email: its headers, its text with live links, its HTML in a sandboxed frame."""
    require_sink(web, request)
    found = read_mail(web.settings.mailbox_dir, mail_id)
    if found is None:
        raise HTTPException(status_code=404, detail="There is no message with that id in the mailbox.")
    srcdoc = OPEN_LINKS_OUTSIDE + found.html if found.html else ""
    return web.page("mail.html", mail=found, srcdoc=srcdoc)
