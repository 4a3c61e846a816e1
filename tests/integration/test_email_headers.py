"""What mail systems see on every email: automatic-reply suppression, a named sender, Reply-To the lead."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from governance.adapters.database.database import Database
from governance.services.delivery import deliver_due
from governance.settings import Settings
from tests.integration.signoffs_helpers import start_spine_signoff
from tests.integration.smtp_server import scripted_server

NOW = datetime(2026, 3, 20, 10, 0, tzinfo=UTC)


def test_every_email_suppresses_automatic_replies_names_its_sender_and_replies_to_the_lead(
    database: Database, settings: Settings, tmp_path: Path
) -> None:
    settings = settings.model_copy(update={"mail_from_name": "NHS Example ICB sign-off"})  # frozen: a copy
    signoff_id = start_spine_signoff(database, settings, now=NOW, tmp=tmp_path)
    with scripted_server() as server:
        report = deliver_due(database, settings, server.settings(), clock=lambda: NOW)
    received = server.handler.received
    assert len(received) == len(report.sent) >= 2
    for message in received:
        assert message["Auto-Submitted"] == "auto-generated"
        assert message["X-Auto-Response-Suppress"] == "All"
        assert message["From"] == "NHS Example ICB sign-off <signoff@icb.example.nhs.uk>"
        assert message["Reply-To"] == "lead@icb.example.nhs.uk"
        assert len(message.get_all("Message-ID")) == 1
    assert signoff_id


def test_a_document_titled_like_a_script_or_a_file_path_is_escaped_and_attaches_nothing(
    database: Database, settings: Settings, tmp_path: Path
) -> None:
    title = "<script>alert(1)</script> /etc/passwd"
    start_spine_signoff(database, settings, now=NOW, tmp=tmp_path, title=title)
    with scripted_server() as server:
        deliver_due(database, settings, server.settings(), clock=lambda: NOW)
    assert server.handler.received
    for message in server.handler.received:
        assert list(message.iter_attachments()) == []
        html = message.get_body(("html",)).get_content()
        assert "<script>alert(1)</script>" not in html
        assert "&lt;script&gt;" in html
        assert "root:x:0:0" not in message.as_string()
