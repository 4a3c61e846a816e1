"""The lead's emails from real sign-offs: a sign-off that starts red says it is red, its next meeting names
the committee, and the lead is never told to contact themself.

Spine route started Tue 1 December 2026 (see test_key_dates_status): the ICB Executive Committee is forecast
for Tue 9 February 2027, so a 15 Jan 2027 target is red from the start.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import select

from governance.adapters.database.database import Database
from governance.adapters.database.tables import outbox
from governance.settings import Settings
from notifications.contexts import QueuedEmail
from notifications.render import RenderedEmail, render_email
from tests.integration.signoffs_helpers import start_spine_signoff

NOW = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
LEAD = "lead@icb.example.nhs.uk"
GOVERNANCE = "governance@icb.example.nhs.uk"
LINKS = {"action_url": "http://signoff.test/a/tok", "document_url": "http://signoff.test/a/tok/document"}


def emails(db: Database, signoff_id: str) -> list[tuple[str, QueuedEmail]]:
    """(recipient, typed email) of every queued email of a sign-off, in order."""
    query = select(outbox.c.recipient, outbox.c.kind, outbox.c.context).where(
        outbox.c.signoff_id == signoff_id, outbox.c.channel == "email"
    )
    with db.transaction() as connection:
        rows = connection.execute(query.order_by(outbox.c.id)).all()
    return [(row.recipient, QueuedEmail.from_data(row.kind, json.loads(row.context))) for row in rows]


def started_red(db: Database, settings: Settings, tmp: Path) -> str:
    return start_spine_signoff(db, settings, now=NOW, tmp=tmp, target=date(2027, 1, 15))


def rendered_to_lead(db: Database, signoff_id: str) -> list[RenderedEmail]:
    return [render_email(email, links=LINKS) for to, email in emails(db, signoff_id) if to == LEAD]


def test_a_signoff_that_starts_red_is_emailed_as_red_and_never_as_changed_from(
    database: Database, settings: Settings, tmp_path: Path
) -> None:
    signoff_id = started_red(database, settings, tmp_path)
    (rag,) = [email for _, email in emails(database, signoff_id) if email.kind == "rag_changed"]
    rendered = render_email(rag)
    assert rendered.subject.startswith("Red from the start:")
    for part in (rendered.text, rendered.html):
        assert "is Red: likely to miss the target date" in part
        assert "changed from" not in part
        assert "Next meeting: ICB Executive Committee, Tue 9 February 2027" in part


def test_the_lead_is_pointed_to_the_governance_contact_and_reviewers_to_the_lead(
    database: Database, settings: Settings, tmp_path: Path
) -> None:
    settings = settings.model_copy(update={"governance_contact": GOVERNANCE})  # frozen: a copy
    signoff_id = started_red(database, settings, tmp_path)
    queued = emails(database, signoff_id)
    assert {to for to, _ in queued} > {LEAD}
    for to, email in queued:
        assert email.envelope.contact == (GOVERNANCE if to == LEAD else LEAD)
    for rendered in rendered_to_lead(database, signoff_id):
        for part in (rendered.text, rendered.html):
            assert f"Contact {GOVERNANCE}" in part or f">{GOVERNANCE}</a>" in part
            assert f"mailto:{LEAD}" not in part
            assert f"Contact {LEAD}" not in part


def test_without_a_governance_contact_the_leads_email_names_no_one_to_ask(
    database: Database, settings: Settings, tmp_path: Path
) -> None:
    signoff_id = started_red(database, settings, tmp_path)
    lead_emails = rendered_to_lead(database, signoff_id)
    assert lead_emails
    for rendered in lead_emails:
        for part in (rendered.text, rendered.html):
            assert "Questions?" not in part
            assert f"mailto:{LEAD}" not in part
            assert f"tell {LEAD}" not in part.lower()
