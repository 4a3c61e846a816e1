"""send_email against a real SMTP server on loopback: each way a server can answer, and its class."""

from __future__ import annotations

import re
import time
from dataclasses import replace
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest

from governance.adapters.mail.sink import free_port
from governance.adapters.mail.smtp import SmtpSettings, send_email, smtp_reachable
from notifications.message import OutgoingEmail, new_message_id
from tests.integration.smtp_server import (
    Credentials,
    ScriptedHandler,
    scripted_server,
    self_signed_tls_context,
)

TAG = re.compile(r"</?[a-zA-Z][^>]*>")
EARLIER = ("<invitation-1@signoff.local>", "<reminder-1@signoff.local>")


def outgoing(**changes: Any) -> OutgoingEmail:
    email = OutgoingEmail(
        sender="NHS Example ICB sign-off <signoff@example.nhs.uk>",
        to="reviewer@example.nhs.uk",
        subject="Action needed by 12 Jan 2027: ICB legal review of VCSE partnership agreement",
        html='<p>Please <a href="https://signoff.example/a/tok">review</a> &amp; decide.</p>',
        text="Please review & decide:\nhttps://signoff.example/a/tok\n",
        message_id=new_message_id(),
        references=EARLIER,
    )
    return replace(email, **changes)


def assert_is_our_message(received: EmailMessage, email: OutgoingEmail) -> None:
    """Our Message-ID and threading headers, a plain part without tags and an HTML part."""
    assert received["Message-ID"] == email.message_id
    assert received["In-Reply-To"] == EARLIER[-1]
    assert received["References"].split() == list(EARLIER)
    assert received.get_content_type() == "multipart/alternative"
    text = received.get_body(preferencelist=("plain",))
    html = received.get_body(preferencelist=("html",))
    assert text is not None
    assert html is not None
    assert text.get_content().rstrip("\n") == email.text.rstrip("\n")
    assert TAG.search(text.get_content()) is None
    assert html.get_content().rstrip("\n") == email.html


def test_an_accepted_message_is_sent_with_our_headers_and_both_parts() -> None:
    email = outgoing()
    with scripted_server() as server:
        delivery = send_email(email, server.settings())
    assert (delivery.status, delivery.reply, delivery.refused) == ("sent", "250 OK", {})
    [received] = server.handler.received
    assert_is_our_message(received, email)
    assert server.handler.envelopes == [("signoff@example.nhs.uk", ["reviewer@example.nhs.uk"])]
    assert re.search(rb"(?<!\r)\n", server.handler.raw[0]) is None  # CRLF only, no bare LF


def test_two_emails_with_the_same_subject_get_different_message_ids() -> None:
    with scripted_server() as server:
        send_email(outgoing(), server.settings())
        send_email(outgoing(), server.settings())
    first, second = server.handler.received
    assert first["Message-ID"] != second["Message-ID"]
    assert "yagmail" not in first["Message-ID"]


def test_a_string_that_names_a_file_is_sent_as_text_and_never_attached() -> None:
    email = outgoing(text="/etc/hostname", html="/etc/hostname")
    with scripted_server() as server:
        assert send_email(email, server.settings()).status == "sent"
    [received] = server.handler.received
    assert [part.get_content_type() for part in received.walk()] == [
        "multipart/alternative",
        "text/plain",
        "text/html",
    ]
    assert received.get_body(preferencelist=("plain",)).get_content().strip() == "/etc/hostname"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "reply",
    [
        "421 4.3.2 Service shutting down",
        "450 4.2.0 Mailbox busy",
        "451 4.3.0 Try again later",
        "452 4.3.1 Insufficient storage",
    ],
)
def test_a_4xx_reply_to_data_is_retried_later(reply: str) -> None:
    with scripted_server(ScriptedHandler(data_reply=reply)) as server:
        delivery = send_email(outgoing(), server.settings())
    assert (delivery.status, delivery.reply) == ("retry", reply)


@pytest.mark.parametrize(
    "reply",
    ["550 5.7.1 Message rejected as spam", "552 5.3.4 Message too big", "554 5.6.0 Message content refused"],
)
def test_a_5xx_reply_to_data_fails_and_keeps_the_servers_words(reply: str) -> None:
    with scripted_server(ScriptedHandler(data_reply=reply)) as server:
        delivery = send_email(outgoing(), server.settings())
    assert (delivery.status, delivery.reply) == ("failed", reply)


@pytest.mark.parametrize(
    ("reply", "status"),
    [("550 5.1.1 No such user here", "failed"), ("450 4.2.1 Mailbox temporarily unavailable", "retry")],
)
def test_a_recipient_refused_at_rcpt_is_classified_by_its_code(reply: str, status: str) -> None:
    with scripted_server(ScriptedHandler(rcpt_reply=reply)) as server:
        delivery = send_email(outgoing(), server.settings())
    assert delivery.status == status
    assert delivery.refused == {"reviewer@example.nhs.uk": reply}
    assert reply in delivery.reply
    assert server.handler.received == []


def test_a_sender_refused_for_good_at_mail_from_fails() -> None:
    reply = "553 5.7.1 Sender address rejected: not owned by user"
    with scripted_server(ScriptedHandler(mail_reply=reply)) as server:
        delivery = send_email(outgoing(), server.settings())
    assert (delivery.status, delivery.reply) == ("failed", reply)


def test_a_server_slower_than_the_timeout_is_retried_after_one_timeout() -> None:
    with scripted_server(ScriptedHandler(data_delay=2.0)) as server:
        started = time.monotonic()
        delivery = send_email(outgoing(), server.settings(timeout=0.5))
        elapsed = time.monotonic() - started
    assert delivery.status == "retry"
    assert "timed out" in delivery.reply
    assert elapsed < 1.5  # one timeout, none of yagmail's resend-and-sleep loop


def test_a_server_that_hangs_up_after_its_250_has_the_message_sent() -> None:
    email = outgoing()
    with scripted_server(ScriptedHandler(drop="after_reply")) as server:
        delivery = send_email(email, server.settings())
    assert delivery.status == "sent"
    [received] = server.handler.received
    assert_is_our_message(received, email)


def test_a_server_that_hangs_up_before_confirming_is_retried_though_it_may_hold_the_message() -> None:
    # Without the 250 nobody can know: retry (at least once) beats a silent loss; the resend
    # carries the same Message-ID when the outbox reuses it, so a duplicate is recognisable.
    email = outgoing()
    with scripted_server(ScriptedHandler(drop="before_reply")) as server:
        delivery = send_email(email, server.settings())
    assert delivery.status == "retry"
    assert "unconfirmed" in delivery.reply
    assert len(server.handler.received) == 1  # sent once only: no hidden resend


def test_a_server_that_is_down_is_retried() -> None:
    delivery = send_email(outgoing(), SmtpSettings(host="127.0.0.1", port=free_port(), timeout=1))
    assert delivery.status == "retry"
    assert "ConnectionRefusedError" in delivery.reply


def test_a_login_name_without_an_at_sign_is_used_as_given() -> None:
    credentials = Credentials("signoff-svc", "s3cret")
    with scripted_server(authenticator=credentials, auth_require_tls=False) as server:
        delivery = send_email(outgoing(), server.settings(user="signoff-svc", password="s3cret"))
    assert delivery.status == "sent"
    assert len(server.handler.received) == 1


def test_a_refused_login_is_retried_because_the_message_was_never_judged() -> None:
    credentials = Credentials("signoff-svc", "s3cret")
    with scripted_server(authenticator=credentials, auth_require_tls=False) as server:
        delivery = send_email(outgoing(), server.settings(user="signoff-svc", password="wrong"))
    assert delivery.status == "retry"
    assert delivery.reply.startswith("535")


@pytest.mark.parametrize(("mode", "server_option"), [("starttls", "tls_context"), ("ssl", "ssl_context")])
def test_tls_refuses_a_certificate_nobody_vouches_for(tmp_path: Path, mode: str, server_option: str) -> None:
    tls = self_signed_tls_context(tmp_path)
    with scripted_server(**{server_option: tls}) as server:
        delivery = send_email(outgoing(), server.settings(**{mode: True}))
    assert delivery.status == "retry"
    assert "CERTIFICATE_VERIFY_FAILED" in delivery.reply
    assert server.handler.received == []


def test_smtp_reachable_tells_a_listening_server_from_a_closed_port() -> None:
    with scripted_server() as server:
        assert smtp_reachable(server.settings())
    assert not smtp_reachable(SmtpSettings(host="127.0.0.1", port=free_port()), timeout=0.5)
