"""The email as the notifications package sends it: rendered parts plus threading headers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid, parseaddr

# A web address in an email's plain text (ends at whitespace, a quote or an angle bracket).
LINK_IN_TEXT = re.compile(r"https?://[^\s<>\"']+")


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
    reply_to: str | None = None  # the sign-off's lead: replies reach a person, not the product

    def to_mime(self) -> EmailMessage:
        """Build a multipart/alternative message: the text part first, the HTML part preferred."""
        msg = EmailMessage(policy=policy.SMTP)  # CRLF line ends: some servers refuse bare LF
        msg["From"] = self.sender
        msg["To"] = self.to
        msg["Subject"] = self.subject
        msg["Date"] = formatdate(localtime=False, usegmt=True)
        msg["Message-ID"] = self.message_id
        # Out-of-office and other automatic replies must not flood the sender (RFC 3834; Exchange).
        msg["Auto-Submitted"] = "auto-generated"
        msg["X-Auto-Response-Suppress"] = "All"
        if self.reply_to:
            msg["Reply-To"] = self.reply_to
        if self.references:
            msg["In-Reply-To"] = self.references[-1]
            msg["References"] = " ".join(self.references)
        msg.set_content(self.text, subtype="plain", charset="utf-8")
        msg.add_alternative(self.html, subtype="html", charset="utf-8")
        return msg


def new_message_id(domain: str = "signoff.local") -> str:
    """A globally unique Message-ID such as `<171...@signoff.local>`, never derived from content."""
    return make_msgid(domain=domain)


def sender_with_name(name: str, address: str) -> str:
    """``Name <address>``, unless ``address`` already carries a display name."""
    shown, bare = parseaddr(address)
    if shown or not name:
        return address
    return formataddr((name, bare or address))
