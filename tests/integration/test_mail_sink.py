"""The development mail sink: a real SMTP server on loopback that files each message for /mail."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from governance.adapters.mail.sink import MailSink, read_mail, read_mailbox, store
from governance.adapters.mail.smtp import SmtpSettings, send_email
from notifications.message import OutgoingEmail, new_message_id


def invitation(
    subject: str = "Action needed by 12 Jan 2027: ICB legal review of VCSE partnership agreement",
) -> OutgoingEmail:
    return OutgoingEmail(
        sender="NHS Example ICB sign-off <signoff@example.nhs.uk>",
        to="reviewer@example.nhs.uk",
        subject=subject,
        html='<p>Please <a href="http://127.0.0.1:8000/a/tok-123">review and decide</a>.</p>',
        text="Review and decide here:\nhttp://127.0.0.1:8000/a/tok-123\n\nQuestions? lead@example.nhs.uk\n",
        message_id=new_message_id(),
    )


def test_a_message_sent_to_the_sink_is_listed_with_its_subject_and_links(tmp_path: Path) -> None:
    email = invitation()
    with MailSink(tmp_path / "mail") as sink:
        assert sink.port is not None
        delivery = send_email(email, SmtpSettings(host="127.0.0.1", port=sink.port, timeout=2))
    assert delivery.status == "sent"
    [mail] = read_mailbox(tmp_path / "mail")
    assert mail.subject == email.subject
    assert mail.links == ["http://127.0.0.1:8000/a/tok-123"]
    assert 'href="http://127.0.0.1:8000/a/tok-123"' in mail.html
    assert mail.message_id == email.message_id
    assert (mail.sender, mail.to) == ("signoff@example.nhs.uk", ["reviewer@example.nhs.uk"])
    assert abs(datetime.now(UTC) - mail.received_at) < timedelta(seconds=10)


def test_start_returns_the_port_the_sink_listens_on(tmp_path: Path) -> None:
    sink = MailSink(tmp_path)
    port = sink.start()
    try:
        assert send_email(invitation(), SmtpSettings(host="127.0.0.1", port=port, timeout=2)).status == "sent"
    finally:
        sink.stop()
    assert len(list(tmp_path.glob("*.eml"))) == 1


def test_the_mailbox_lists_the_newest_message_first(tmp_path: Path) -> None:
    with MailSink(tmp_path) as sink:
        settings = SmtpSettings(host="127.0.0.1", port=sink.port or 0, timeout=2)
        for subject in ("first", "second", "third"):
            send_email(invitation(subject), settings)
    assert [mail.subject for mail in read_mailbox(tmp_path)] == ["third", "second", "first"]


def test_one_message_is_read_back_by_its_id(tmp_path: Path) -> None:
    with MailSink(tmp_path) as sink:
        send_email(invitation(), SmtpSettings(host="127.0.0.1", port=sink.port or 0, timeout=2))
    [listed] = read_mailbox(tmp_path)
    assert read_mail(tmp_path, listed.id) == listed


@pytest.mark.parametrize(
    "mail_id",
    [
        "../../etc/passwd",
        "",
        "..",
        "00000000000000000001-" + "0" * 31,
        "x" * 53,
        "00000000000000000001-" + "A" * 32,
    ],
)
def test_an_id_that_the_sink_could_not_have_made_reads_nothing(tmp_path: Path, mail_id: str) -> None:
    assert read_mail(tmp_path, mail_id) is None


def test_an_unknown_but_well_formed_id_reads_nothing(tmp_path: Path) -> None:
    assert read_mail(tmp_path, "00000000000000000001-" + "0" * 32) is None


def test_a_missing_mailbox_directory_is_an_empty_mailbox(tmp_path: Path) -> None:
    assert read_mailbox(tmp_path / "never-created") == []


def test_a_file_still_being_written_is_not_listed(tmp_path: Path) -> None:
    (tmp_path / ".incoming-abc.tmp").write_bytes(b"Subject: half\r\n")
    mail_id = store(tmp_path, b"Subject: whole\r\nTo: a@example.org\r\n\r\nhello\r\n")
    assert [(m.id, m.subject, m.text) for m in read_mailbox(tmp_path)] == [(mail_id, "whole", "hello\n")]
