"""The email as the notifications package sends it: rendered parts plus threading headers."""

from __future__ import annotations

from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.utils import formatdate, make_msgid


@dataclass(frozen=True)
class OutgoingEmail:
    """One email to one recipient, already rendered; `references` threads it (oldest first)."""

    sender: str
    to: str
    subject: str
    html: str
    text: str
    message_id: str
    references: tuple[str, ...] = ()

    def to_mime(self) -> EmailMessage:
        """Build a multipart/alternative message: the text part first, the HTML part preferred."""
        msg = EmailMessage(policy=policy.SMTP)  # CRLF line ends: some servers refuse bare LF
        msg["From"] = self.sender
        msg["To"] = self.to
        msg["Subject"] = self.subject
        msg["Date"] = formatdate(localtime=False, usegmt=True)
        msg["Message-ID"] = self.message_id
        if self.references:
            msg["In-Reply-To"] = self.references[-1]
            msg["References"] = " ".join(self.references)
        msg.set_content(self.text, subtype="plain", charset="utf-8")
        msg.add_alternative(self.html, subtype="html", charset="utf-8")
        return msg


def new_message_id(domain: str = "signoff.local") -> str:
    """A globally unique Message-ID such as `<171...@signoff.local>`, never derived from content."""
    return make_msgid(domain=domain)
