"""The development mail sink: a real SMTP server on loopback that files every message as .eml.

The product uses it when no SMTP server is configured; the /mail page lists what it received.
Each message is written atomically (temporary file, then `os.replace`) as
`<20-digit time_ns>-<uuid hex>.eml`, so names sort by arrival and a reader never sees half a file.
"""

from __future__ import annotations

import os
import re
import tempfile
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import getaddresses
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller

from governance.adapters.loopback import free_port
from notifications.message import LINK_IN_TEXT

__all__ = ["MailSink", "StoredMail", "free_port", "read_mail", "read_mailbox", "store"]

_MAIL_ID = re.compile(r"[0-9]{20}-[0-9a-f]{32}")


@dataclass(frozen=True)
class StoredMail:
    id: str
    received_at: datetime
    sender: str
    to: list[str]
    subject: str
    message_id: str
    text: str
    html: str

    @property
    def links(self) -> list[str]:
        """The web links in the plain-text part, in order (what a reader would click)."""
        return LINK_IN_TEXT.findall(self.text)


class _StoreHandler:
    """aiosmtpd handler: accept every message and file it, with its envelope, in `directory`."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd's hook name
        trace = [f"Return-Path: <{envelope.mail_from}>"] + [
            f"Delivered-To: {rcpt}" for rcpt in envelope.rcpt_tos
        ]
        store(self.directory, "\r\n".join(trace).encode() + b"\r\n" + envelope.original_content)
        return "250 Message accepted for delivery"


class MailSink:
    """Start with `start()` (returns the port), stop with `stop()`; messages land in `directory`."""

    def __init__(self, directory: Path, *, host: str = "127.0.0.1", port: int | None = None) -> None:
        self.directory = directory
        self.host = host
        self.port = port
        self._controller: Controller | None = None

    def start(self) -> int:
        self.directory.mkdir(parents=True, exist_ok=True)
        port = self.port or free_port(self.host)
        controller = Controller(_StoreHandler(self.directory), hostname=self.host, port=port)
        controller.start()
        self._controller, self.port = controller, port
        return port

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def __enter__(self) -> MailSink:
        self.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()


def store(directory: Path, raw: bytes) -> str:
    """Write one message atomically and return its id (the file name without `.eml`)."""
    mail_id = f"{time.time_ns():020d}-{uuid.uuid4().hex}"
    fd, temporary = tempfile.mkstemp(dir=directory, prefix=".incoming-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(raw)
        Path(temporary).replace(directory / f"{mail_id}.eml")  # atomic on one filesystem
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return mail_id


def read_mailbox(directory: Path) -> list[StoredMail]:
    """Every stored message, newest first; an absent directory is an empty mailbox."""
    if not directory.is_dir():
        return []
    paths = sorted((p for p in directory.glob("*.eml") if _MAIL_ID.fullmatch(p.stem)), reverse=True)
    return [_parse(path) for path in paths]


def read_mail(directory: Path, mail_id: str) -> StoredMail | None:
    """One message by id, or None; the id is checked strictly because it reaches the filesystem."""
    if not _MAIL_ID.fullmatch(mail_id):
        return None
    path = directory / f"{mail_id}.eml"
    return _parse(path) if path.is_file() else None


def _parse(path: Path) -> StoredMail:
    msg = message_from_bytes(path.read_bytes().replace(b"\r\n", b"\n"), policy=policy.default)
    assert isinstance(msg, EmailMessage)  # policy.default always builds EmailMessage
    sender = str(msg.get("Return-Path", "")).strip("<>") or str(msg.get("From", ""))
    to = [str(rcpt) for rcpt in msg.get_all("Delivered-To", [])]
    return StoredMail(
        id=path.stem,
        received_at=datetime.fromtimestamp(int(path.stem[:20]) / 1e9, tz=UTC),
        sender=sender,
        to=to or [addr for _, addr in getaddresses([str(v) for v in msg.get_all("To", [])])],
        subject=str(msg.get("Subject", "")).strip(),
        message_id=str(msg.get("Message-ID", "")).strip(),
        text=_body(msg, "plain"),
        html=_body(msg, "html"),
    )


def _body(msg: EmailMessage, subtype: str) -> str:
    part = msg.get_body(preferencelist=(subtype,))
    if part is None or part.get_content_subtype() != subtype:
        return ""
    content: str = part.get_content()
    return content
