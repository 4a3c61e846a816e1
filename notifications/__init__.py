"""Notifications: render governance emails from templates, send them over SMTP, or keep them in a sink."""

from notifications.message import OutgoingEmail, new_message_id
from notifications.render import KINDS, RenderedEmail, render
from notifications.sink import MailSink, StoredMail, read_mail, read_mailbox
from notifications.smtp import Delivery, SmtpSettings, send_email, smtp_reachable

__all__ = [
    "KINDS",
    "Delivery",
    "MailSink",
    "OutgoingEmail",
    "RenderedEmail",
    "SmtpSettings",
    "StoredMail",
    "new_message_id",
    "read_mail",
    "read_mailbox",
    "render",
    "send_email",
    "smtp_reachable",
]
