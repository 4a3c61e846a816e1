"""A real SMTP server on loopback whose misbehaviour each test chooses (aiosmtpd).

Imported by the SMTP tests as `tests.integration.smtp_server`: `with scripted_server() as server: ...`.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any, Literal

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from governance.adapters.mail.sink import free_port
from governance.adapters.mail.smtp import SmtpSettings

Drop = Literal["before_reply", "after_reply"]


@dataclass
class ScriptedHandler:
    """Accepts and records by default; set a field to make it refuse, stall or hang up."""

    data_reply: str | None = None  # e.g. "451 4.3.0 Try again later" instead of accepting
    rcpt_reply: str | None = None  # e.g. "550 5.1.1 No such user" at RCPT TO
    mail_reply: str | None = None  # e.g. "553 5.7.1 Sender not allowed" at MAIL FROM
    data_delay: float = 0.0  # seconds to sit on the message before answering DATA
    drop: Drop | None = None  # hang up after storing the message, before or after the 250
    received: list[EmailMessage] = field(default_factory=list)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)
    raw: list[bytes] = field(default_factory=list)

    async def handle_MAIL(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        if self.mail_reply:
            return self.mail_reply
        envelope.mail_from = address
        envelope.mail_options.extend(options)
        return "250 OK"

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        if self.rcpt_reply:
            return self.rcpt_reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        await asyncio.sleep(self.data_delay)
        if self.data_reply:
            return self.data_reply
        message = message_from_bytes(envelope.original_content.replace(b"\r\n", b"\n"), policy=policy.default)
        assert isinstance(message, EmailMessage)
        self.received.append(message)
        self.raw.append(envelope.original_content)
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        if self.drop == "after_reply":
            await server.push("250 OK")
        if self.drop:
            server.transport.close()
        return "250 OK"


@dataclass(frozen=True)
class Credentials:
    """An authenticator accepting exactly one login (aiosmtpd calls it for AUTH PLAIN/LOGIN)."""

    login: str
    password: str

    def __call__(self, server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
        ok = isinstance(data, LoginPassword) and (data.login, data.password) == (
            self.login.encode(),
            self.password.encode(),
        )
        return AuthResult(success=ok, handled=False)


@dataclass
class RunningServer:
    handler: ScriptedHandler
    port: int

    def settings(self, *, timeout: float = 1.0, **overrides: Any) -> SmtpSettings:
        return SmtpSettings(host="127.0.0.1", port=self.port, timeout=timeout, **overrides)


@contextmanager
def scripted_server(
    handler: ScriptedHandler | None = None, **controller_options: Any
) -> Iterator[RunningServer]:
    """Run `handler` on a free loopback port for the duration of the `with` block."""
    handler = handler or ScriptedHandler()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port, **controller_options)
    controller.start()
    try:
        yield RunningServer(handler, port)
    finally:
        controller.stop()


def self_signed_tls_context(directory: Path) -> ssl.SSLContext:
    """A server-side TLS context with a fresh self-signed certificate for 127.0.0.1."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=1))
        .not_valid_after(now + dt.timedelta(hours=1))
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert_path, key_path)
    return context
