"""Sends what the outbox holds: claim, render, send, record. Never called from a request handler."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from governance.adapters.mail.smtp import Delivery, SmtpSettings, send_email
from governance.domain.london_time import utc_now
from governance.services import outbox
from governance.services.ports import UnitOfWork, UnitsOfWork
from governance.services.tokens import token_from_nonce
from governance.settings import Settings
from notifications.contexts import ChannelNotice, QueuedEmail
from notifications.message import OutgoingEmail, sender_with_name
from notifications.render import render_email


@dataclass
class DeliveryReport:
    sent: list[int] = field(default_factory=list)
    retrying: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)


def smtp_settings(settings: Settings, *, sink_port: int | None = None) -> SmtpSettings:
    """Where mail goes: the configured server, or the built-in sink on loopback."""
    if settings.uses_mail_sink:
        if sink_port is None:
            msg = "no SMTP server is configured and the built-in mail sink is not running"
            raise RuntimeError(msg)
        return SmtpSettings("127.0.0.1", sink_port, None, None, False, False, settings.smtp_timeout_seconds)
    return SmtpSettings(
        settings.smtp_host or "",
        settings.smtp_port,
        settings.smtp_user,
        settings.smtp_password.get_secret_value() if settings.smtp_password else None,
        settings.smtp_starttls,
        settings.smtp_ssl,
        settings.smtp_timeout_seconds,
    )


def deliver_due(
    uows: UnitsOfWork,
    settings: Settings,
    smtp: SmtpSettings,
    *,
    signoff_id: str | None = None,
    clock: Callable[[], datetime] = utc_now,
    limit: int = 200,
) -> DeliveryReport:
    """Send every notification that is due (for one sign-off, or all), recording each outcome."""
    report = DeliveryReport()
    lease = timedelta(seconds=settings.mail_lease_seconds)
    for _ in range(limit):
        # One claim per send: the lease then has to outlast one SMTP timeout, not a batch of them,
        # so another sender (the dispatcher, the scheduled flow) never takes over a row mid-send.
        with uows.write() as uow:
            claimed = uow.outbox.claim_due(now=clock(), lease=lease, signoff_id=signoff_id, limit=1)
        if not claimed:
            break
        notification = claimed[0]
        delivery = send_notification(notification, settings, smtp)
        with uows.write() as uow:
            _record(uow, notification, delivery, settings, now=clock())
        getattr(report, {"sent": "sent", "retry": "retrying", "failed": "failed"}[delivery.status]).append(
            notification.id
        )
    return report


def _record(
    uow: UnitOfWork,
    notification: outbox.Notification,
    delivery: Delivery,
    settings: Settings,
    *,
    now: datetime,
) -> None:
    if delivery.status == "sent":
        uow.outbox.mark_sent(notification.id, now=now, refused=delivery.refused)
    elif delivery.status == "failed":
        uow.outbox.mark_failed(notification.id, reply=delivery.reply, refused=delivery.refused)
    else:
        outbox.schedule_retry(
            uow,
            notification,
            reply=delivery.reply,
            now=now,
            first_delay=timedelta(seconds=settings.mail_retry_seconds),
            max_attempts=settings.mail_max_attempts,
            refused=delivery.refused,
        )


def send_notification(notification: outbox.Notification, settings: Settings, smtp: SmtpSettings) -> Delivery:
    """Render and send one notification by its channel."""
    if notification.channel == "apprise":
        return post_to_channel(notification)
    try:
        email = compose(notification, settings)
    except Exception as error:  # a broken template fails this notification, not the whole queue
        return Delivery("failed", f"could not render the email: {type(error).__name__}: {error}")
    return send_email(email, smtp)


def compose(notification: outbox.Notification, settings: Settings) -> OutgoingEmail:
    """The email for a queued notification, read back as its kind's typed context, with its
    personal link re-derived from the nonce."""
    email = QueuedEmail.from_data(notification.kind, notification.context)
    links: dict[str, str] = {}
    if notification.token_nonce:
        token = token_from_nonce(notification.token_nonce, settings.signing_key())
        links["action_url"] = f"{settings.base_url.rstrip('/')}/a/{token}"
        links["document_url"] = f"{links['action_url']}/document"
    rendered = render_email(email, links=links)
    contact = email.envelope.contact
    return OutgoingEmail(
        sender=sender_with_name(settings.mail_from_name, settings.mail_from),
        reply_to=str(contact) if contact else None,
        to=notification.recipient,
        subject=rendered.subject,
        html=rendered.html,
        text=rendered.text,
        message_id=notification.message_id,
        references=(email.envelope.thread,),
    )


def post_to_channel(notification: outbox.Notification) -> Delivery:
    """Post a short notice to a chat channel (Teams, Slack, a webhook) through apprise."""
    import apprise

    channel = apprise.Apprise()
    if not channel.add(notification.recipient):
        return Delivery("failed", f"not a channel URL apprise understands: {notification.recipient}", {})
    try:
        summary = ChannelNotice.from_data(notification.context).summary
    except ValueError as error:  # pydantic's ValidationError is a ValueError
        return Delivery("failed", f"not a channel notice: {error}", {})
    delivered = channel.notify(body=summary, title="signoff")
    return (
        Delivery("sent", "delivered", {})
        if delivered
        else Delivery("retry", "the channel did not accept it", {})
    )
