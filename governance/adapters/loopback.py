"""Small helpers for the servers the product starts on loopback: a free port, waiting until ready."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable

POLL_SECONDS = 0.25


def free_port(host: str = "127.0.0.1") -> int:
    """A port nobody listens on right now (aiosmtpd cannot bind port 0 itself)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        port: int = probe.getsockname()[1]
        return port


class NotReady(RuntimeError):
    """What was awaited did not happen in time, or what would make it happen has stopped."""


def wait_until(
    ready: Callable[[], bool],
    *,
    timeout: float,
    timeout_message: str,
    gave_up: Callable[[], str | None] = lambda: None,
) -> None:
    """Poll ``ready`` until it holds; raise ``NotReady`` after ``timeout`` seconds, or at once when
    ``gave_up`` explains why it never will (say, the server process has exited)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        reason = gave_up()
        if reason:
            raise NotReady(reason)
        if ready():
            return
        time.sleep(POLL_SECONDS)  # the next look at the thing itself, not a wait standing in for it
    raise NotReady(timeout_message)
