"""An SMTP server on loopback that notes when each message was accepted, to time deliveries by."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aiosmtpd.controller import Controller

from governance.adapters.prefect_server import free_port


@dataclass(frozen=True)
class Arrival:
    at: float  # time.monotonic() when the server accepted the message
    recipients: tuple[str, ...]
    raw: bytes

    def mentions(self, fragment: str) -> bool:
        return fragment.encode() in self.raw


class SmtpClock:
    """``start()`` returns the port; ``wait_for(check)`` blocks until the arrivals satisfy it."""

    def __init__(self) -> None:
        self.arrivals: list[Arrival] = []
        self._changed = threading.Condition()
        self._controller: Controller | None = None

    async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd's hook
        arrival = Arrival(time.monotonic(), tuple(envelope.rcpt_tos), bytes(envelope.original_content))
        with self._changed:
            self.arrivals.append(arrival)
            self._changed.notify_all()
        return "250 accepted"

    def start(self) -> int:
        port = free_port()
        self._controller = Controller(self, hostname="127.0.0.1", port=port)
        self._controller.start()
        return port

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()

    def wait_for(self, check: Callable[[list[Arrival]], bool], *, timeout: float, what: str) -> list[Arrival]:
        """Wait until ``check(arrivals)`` holds and return the arrivals; TimeoutError naming ``what``."""
        with self._changed:
            if not self._changed.wait_for(lambda: check(self.arrivals), timeout=timeout):
                msg = f"gave up waiting for {what} after {timeout:.0f} s"
                raise TimeoutError(msg)
            return list(self.arrivals)


def invitations_for(signoff_id: str, recipients: set[str]) -> Callable[[list[Arrival]], bool]:
    """A check: every one of ``recipients`` has a message of sign-off ``signoff_id``."""

    def check(arrivals: list[Arrival]) -> bool:
        reached = {to for a in arrivals if a.mentions(f"signoff.{signoff_id}@") for to in a.recipients}
        return recipients <= reached

    return check


def arrival_time(arrivals: list[Arrival], signoff_id: str, recipients: set[str]) -> float:
    """When the last of ``recipients`` first got a message of ``signoff_id``."""
    first: dict[str, float] = {}
    for arrival in arrivals:
        if arrival.mentions(f"signoff.{signoff_id}@"):
            for to in arrival.recipients:
                first.setdefault(to, arrival.at)
    return max(first[to] for to in recipients)
