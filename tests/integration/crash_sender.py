"""Test helper, run as a subprocess: send what the outbox holds, then hang before recording it.

Settings come from ``SIGNOFF_*`` variables. After the first successful send it prints
``SENT <Message-ID>`` and blocks for good, so the test can SIGKILL it between the send and the
transaction that would mark the notification sent. Only this script does that: not product code.
"""

from __future__ import annotations

import sys
import threading
from typing import Any

from governance.adapters.database.database import Database
from governance.services import delivery
from governance.settings import Settings

real_send = delivery.send_notification


def send_then_hang(notification: Any, settings: Settings, smtp: Any) -> Any:
    result = real_send(notification, settings, smtp)
    sys.stdout.write(f"SENT {result.status} {notification.message_id}\n")
    sys.stdout.flush()
    threading.Event().wait()  # killed here
    return result


def main() -> None:
    settings = Settings()
    db = Database(settings.sqlalchemy_url)
    delivery.send_notification = send_then_hang  # type: ignore[assignment]
    delivery.deliver_due(db, settings, delivery.smtp_settings(settings))


if __name__ == "__main__":
    main()
