"""Talking to the product on loopback, for the figures that run it: wait, fetch, post a decision."""

from __future__ import annotations

import http.cookiejar
import json
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


def signed_in(base_url: str, sign_in_token: str) -> urllib.request.OpenerDirector:
    """An opener holding the session a one-time sign-in link gives (as a person's browser would)."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    link = f"{base_url.rstrip('/')}/login/link/{sign_in_token}"
    request = urllib.request.Request(link, data=b"", method="POST")  # noqa: S310 - loopback URL
    with opener.open(request, timeout=60) as response:
        response.read()
    return opener


STEP_FLOWS = ("advance-signoff", "send-notifications")
WATCHER_FLOW = "watch-stalls"
UNFINISHED = ("SCHEDULED", "PENDING", "RUNNING")


def runs_counted(api_url: str, flows: tuple[str, ...], states: tuple[str, ...]) -> int:
    """How many runs of ``flows`` a Prefect server holds in ``states`` (state types)."""
    body = {
        "flows": {"name": {"any_": list(flows)}},
        "flow_runs": {"state": {"type": {"any_": list(states)}}},
    }
    request = urllib.request.Request(  # noqa: S310 - loopback URL
        f"{api_url.rstrip('/')}/flow_runs/count",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - loopback URL
        return int(json.loads(response.read()))


def steps_in_flight(api_url: str) -> int:
    """How many of the product's step runs (advances, deliveries) a Prefect server has not finished."""
    return runs_counted(api_url, STEP_FLOWS, UNFINISHED)


def wait_until_quiet(api_url: str, *, timeout: float, what: str) -> None:
    """Wait until the product has finished every step run it started (``steps_in_flight``)."""
    wait_until(lambda: steps_in_flight(api_url) == 0, timeout=timeout, what=what)


def watcher_running(api_url: str) -> bool:
    """Whether a run of the scheduled watcher is under way (its own process, while it runs)."""
    return runs_counted(api_url, (WATCHER_FLOW,), ("PENDING", "RUNNING")) > 0


def watcher_finished_runs(api_url: str) -> int:
    return runs_counted(api_url, (WATCHER_FLOW,), ("COMPLETED",))
