"""Send one email over SMTP with yagmail's connection and say exactly what happened.

yagmail's own `send()` is not used: it puts every string into both the HTML and the plain part,
attaches any string that names an existing file, derives the Message-ID from From/To/Subject, and
its retry loop resends after a timeout or a dropped connection (the server may already hold the
message) and returns `False` after sleeping 3 + 6 + 9 s. Measured here: 19.6 s to give up on a
server slower than a 0.5 s timeout, and three copies delivered by a server that hung up before
confirming. So we open the connection with yagmail (`login()`), build the MIME message ourselves
and hand it to smtplib exactly once. The outbox decides when to try again.
"""

from __future__ import annotations

import contextlib
import functools
import smtplib
import ssl
from dataclasses import dataclass, field
from email.utils import parseaddr
from typing import TYPE_CHECKING, Literal

import yagmail

from notifications.message import OutgoingEmail

if TYPE_CHECKING:
    from typing_extensions import Buffer

Status = Literal["sent", "retry", "failed"]


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how to connect; `user=None` means the relay needs no login."""

    host: str
    port: int
    user: str | None = None
    password: str | None = field(default=None, repr=False)  # never in a log line or a traceback
    starttls: bool = False
    ssl: bool = False
    timeout: float = 10.0


@dataclass(frozen=True)
class Delivery:
    """The outcome of one attempt: `reply` is the server's words (or the error), for people to read."""

    status: Status
    reply: str
    refused: dict[str, str] = field(default_factory=dict)


class _RecordingSMTP(smtplib.SMTP):
    """Keeps the server's answer to DATA (often a queue id) that `sendmail` throws away."""

    data_reply: tuple[int, bytes] | None = None

    def data(self, msg: Buffer | str) -> tuple[int, bytes]:
        self.data_reply = super().data(msg)
        return self.data_reply


class _RecordingSMTPSSL(smtplib.SMTP_SSL, _RecordingSMTP):
    pass


class _Client(yagmail.SMTP):  # type: ignore[misc]  # yagmail has no py.typed, so mypy sees Any
    @property
    def connection(self) -> type[smtplib.SMTP]:
        return _RecordingSMTPSSL if self.ssl else _RecordingSMTP


def send_email(email: OutgoingEmail, smtp: SmtpSettings) -> Delivery:
    """Hand `email` to the SMTP server once and classify the outcome as sent, retry or failed."""
    envelope_from = parseaddr(email.sender)[1] or email.sender
    yag = _client(smtp, envelope_from)
    try:
        yag.login()
        refused = yag.smtp.send_message(email.to_mime(), envelope_from, [email.to])
    except smtplib.SMTPRecipientsRefused as error:
        return _recipients_refused(error.recipients)
    except (smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as error:
        return _by_code(error.smtp_code, _reply_text(error.smtp_code, error.smtp_error))
    except smtplib.SMTPServerDisconnected as error:
        # Also raised on a timeout or a drop after DATA: the server may hold the message already.
        return Delivery("retry", f"connection lost, delivery unconfirmed: {error}")
    except (smtplib.SMTPException, OSError) as error:
        return Delivery("retry", _describe(error))
    finally:
        _close(yag)
    if refused:
        return _recipients_refused(refused)
    code, reply = getattr(yag.smtp, "data_reply", None) or (250, b"accepted")
    return Delivery("sent", _reply_text(code, reply))


def smtp_reachable(smtp: SmtpSettings, *, timeout: float = 2.0) -> bool:
    """Whether an SMTP server answers at host:port (connect, greeting, QUIT; no login)."""
    connection = smtplib.SMTP_SSL if smtp.ssl else smtplib.SMTP
    try:
        with connection(smtp.host, smtp.port, timeout=min(timeout, smtp.timeout)) as client:
            code, _ = client.noop()
    except (smtplib.SMTPException, OSError):
        return False
    return code == 250


def _client(smtp: SmtpSettings, envelope_from: str) -> _Client:
    """A yagmail client that verifies TLS certificates (smtplib's default context does not)."""
    tls = {"context": verifying_context()} if smtp.ssl or smtp.starttls else {}
    yag = _Client(
        smtp.user or envelope_from,
        smtp.password or "",  # never None: None makes yagmail try the keyring, then prompt on stdin
        host=smtp.host,
        port=smtp.port,
        smtp_ssl=smtp.ssl,
        smtp_starttls=tls if smtp.starttls else False,
        smtp_skip_login=smtp.user is None,
        soft_email_validation=False,
        timeout=smtp.timeout,
        **(tls if smtp.ssl else {}),
    )
    if smtp.user is not None:
        yag.user = smtp.user  # yagmail appends "@gmail.com" to a login name without "@"
    return yag


@functools.cache
def verifying_context() -> ssl.SSLContext:
    """One TLS context for every send: making one loads the system's certificates, about 20 ms a time.
    A context may be shared by connections in several threads."""
    return ssl.create_default_context()


def _close(yag: _Client) -> None:
    """QUIT politely if the server still listens, and always release the socket."""
    with contextlib.suppress(smtplib.SMTPException, OSError):  # the server may have hung up first
        yag.close()
    if yag.smtp is not None:
        yag.smtp.close()


def _by_code(code: int, reply: str) -> Delivery:
    """4xx is a temporary refusal (try later); 5xx is final; anything else is unexplained."""
    if 500 <= code < 600:
        return Delivery("failed", reply)
    return Delivery("retry", reply)


def _recipients_refused(refused: dict[str, tuple[int, bytes]]) -> Delivery:
    """We send to one recipient, so a refusal of it decides the whole delivery."""
    texts = {rcpt: _reply_text(code, message) for rcpt, (code, message) in refused.items()}
    temporary = any(not 500 <= code < 600 for code, _ in refused.values())
    status: Status = "retry" if temporary else "failed"
    return Delivery(status, "; ".join(f"{rcpt}: {text}" for rcpt, text in texts.items()), texts)


def _reply_text(code: int, message: bytes | str) -> str:
    text = message.decode("utf-8", "replace") if isinstance(message, bytes) else message
    return f"{code} {text}".strip()


def _describe(error: Exception) -> str:
    if isinstance(error, smtplib.SMTPResponseException):
        return _reply_text(error.smtp_code, error.smtp_error)
    if isinstance(error, TimeoutError):
        return f"timed out: {error}"
    return f"{type(error).__name__}: {error}"
