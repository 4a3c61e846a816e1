"""Notifications: the email templates, and rendering them into a message ready to send."""

from notifications.message import OutgoingEmail, new_message_id
from notifications.render import KINDS, RenderedEmail, render

__all__ = ["KINDS", "OutgoingEmail", "RenderedEmail", "new_message_id", "render"]
