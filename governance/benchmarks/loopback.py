"""Talking to the product on loopback, for the figures that run it: wait, fetch, post a decision."""

from __future__ import annotations

import time
import urllib.parse
import urllib.request
from collections.abc import Callable


def answers(url: str) -> bool:
    """True when ``url`` answers 200."""
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback URL
            return bool(response.status == 200)
    except OSError:
        return False


def wait_until(check: Callable[[], bool], *, timeout: float = 60, what: str = "the product") -> None:
    """Poll ``check`` until it holds; TimeoutError naming ``what`` after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            msg = f"gave up waiting for {what} after {timeout:.0f} s"
            raise TimeoutError(msg)
        time.sleep(0.02)


def post_decision(link: str, decision: str = "approve") -> int:
    """Post a reviewer's decision to an action link; returns the HTTP status."""
    body = urllib.parse.urlencode({"decision": decision, "comment": ""}).encode()
    with urllib.request.urlopen(link, data=body, timeout=60) as response:  # noqa: S310 - loopback URL
        response.read()
        return int(response.status)
