"""A new version as its reviewers meet it: the invitation says how many paragraphs changed, and the
page of a link to the old version says a newer one has been circulated. Real SQLite, real
services, the real web app."""

from __future__ import annotations

import json
from html import unescape
from pathlib import Path

from sqlalchemy import select

from governance.adapters.database.tables import outbox
from notifications.contexts import QueuedEmail
from notifications.render import render_email
from tests.integration.test_reviewer_changes_page import (
    F1,
    F2,
    V1_TEXT,
    V2_TEXT,
    Loop,
    changes_asked_and_revised,
    started,
    text_document,
)

LINKS = {"action_url": "http://testserver/a/tok", "document_url": "http://testserver/a/tok/document"}


def invitations_to(loop: Loop, reviewer: str) -> list[QueuedEmail]:
    """Every invitation queued for ``reviewer`` on the sign-off, oldest first."""
    query = select(outbox.c.kind, outbox.c.context).where(
        outbox.c.signoff_id == loop.signoff_id,
        outbox.c.recipient == reviewer,
        outbox.c.kind == "invitation",
        outbox.c.channel == "email",
    )
    with loop.db.transaction() as connection:
        rows = connection.execute(query.order_by(outbox.c.id)).all()
    return [QueuedEmail.from_data(row.kind, json.loads(row.context)) for row in rows]


def said(page: str) -> str:
    """A page's text as a reader sees it: entities decoded, whitespace run together."""
    return " ".join(unescape(page).split())


def test_the_invitation_to_a_new_version_counts_the_paragraphs_added_removed_and_changed(
    tmp_path: Path,
) -> None:
    with started(tmp_path, "agreement.txt", text_document(V1_TEXT)) as loop:
        changes_asked_and_revised(loop, "agreement.txt", text_document(V2_TEXT))
        first, latest = invitations_to(loop, F2)[0], invitations_to(loop, F2)[-1]
        rendered, original = render_email(latest, links=LINKS), render_email(first, links=LINKS)
    summary = "What changed: 1 paragraph added, 1 paragraph changed."
    assert summary in " ".join(rendered.text.split())
    assert summary in said(rendered.html)
    assert "This is version 2 of VCSE partnership agreement" in " ".join(rendered.text.split())
    assert "What changed" not in original.text


def test_the_page_of_a_link_to_an_older_version_says_a_newer_version_has_been_circulated(
    tmp_path: Path,
) -> None:
    with started(tmp_path, "agreement.txt", text_document(V1_TEXT)) as loop:
        old_link = loop.link(F1)
        changes_asked_and_revised(loop, "agreement.txt", text_document(V2_TEXT))
        assert loop.link(F1) != old_link
        response = loop.client.get(old_link)
    assert response.status_code == 200
    assert (
        "This link was for version 1 of the document. A newer version has been circulated: "
        "please use the link in the most recent email about it."
    ) in said(response.text)
