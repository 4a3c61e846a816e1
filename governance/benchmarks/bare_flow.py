"""P3's baseline: a bare Prefect flow that does a decision's work itself, with none of our wiring.

One flow run per decision, on the same Prefect server as the product: record the decision, open
the next stage, send its invitations to the same SMTP server. No web request, no dispatcher, no
outbox polling: what is left is the work, Prefect's own cost, and the mail server.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from governance.adapters.mail.smtp import SmtpSettings
from governance.benchmarks.population import Product, database_url, route_yaml
from governance.benchmarks.smtp_clock import SmtpClock, arrival_time, invitations_for
from governance.domain.london_time import utc_now
from governance.domain.rules import Verdict
from governance.services.delivery import deliver_due
from governance.services.signoffs import advance_signoff, decide_by_token

NEXT_STAGE = {"next0@icb.example.nhs.uk", "next1@icb.example.nhs.uk"}
TIMEOUT = 180.0


def bare_flow(product: Product, smtp: SmtpSettings) -> Callable[[str], Coroutine[Any, Any, str]]:
    """The flow: one decision's whole effect, as plain calls inside one flow run."""
    from prefect import flow

    @flow(name="bench-bare-decision")
    async def decide_open_send(token: str) -> str:
        now = utc_now()
        result = decide_by_token(
            product.db, token, verdict=Verdict.APPROVE, comment="", now=now, settings=product.settings
        )
        assert result is not None
        advance_signoff(product.db, product.settings, result.signoff_id, now=now)
        deliver_due(product.db, product.settings, smtp, signoff_id=result.signoff_id)
        return result.signoff_id

    return decide_open_send


def latencies(folder: Path, api_url: str, *, one_at_a_time: int, at_once: int) -> tuple[float, float]:
    """(median seconds one at a time, seconds for ``at_once`` together) for the bare flow; it has its
    own SMTP clock, so the product's mail cannot be mistaken for its own."""
    from prefect.settings import PREFECT_API_URL, temporary_settings

    clock = SmtpClock()
    port = clock.start()
    smtp = SmtpSettings("127.0.0.1", port, None, None, False, False, 10.0)
    with database_url("sqlite", folder) as url:
        try:
            product = Product.create(folder, url)
            ids = product.start(1 + one_at_a_time + at_once, route_yaml(1, approvals="any"), now=utc_now())
            deliver_due(product.db, product.settings, smtp)  # the first stage's invitations, untimed
            links = product.invitation_links("http://bench")
            tokens = {s: links[s][0][1].rsplit("/", 1)[1] for s in ids}
            flow = bare_flow(product, smtp)

            def run(token: str) -> str:
                # On this variant's own Prefect server, in whichever thread runs it (a setting of the
                # context, not of the process: each P3 variant starts a server of its own).
                with temporary_settings(updates={PREFECT_API_URL: api_url}):
                    return asyncio.run(flow(token))

            run(tokens[ids[0]])  # warm-up: the first flow run pays for imports
            one = [_timed(clock, run, s, tokens[s]) for s in ids[1 : one_at_a_time + 1]]
            many = _together(clock, run, {s: tokens[s] for s in ids[one_at_a_time + 1 :]})
            product.dispose()
        finally:
            clock.stop()
            drain_prefect_workers()
    return statistics.median(one), many


def _timed(clock: SmtpClock, run: Callable[[str], str], signoff: str, token: str) -> float:
    began = time.monotonic()
    run(token)
    arrivals = clock.wait_for(invitations_for(signoff, NEXT_STAGE), timeout=TIMEOUT, what="the bare flow")
    return arrival_time(arrivals, signoff, NEXT_STAGE) - began


def _together(clock: SmtpClock, run: Callable[[str], str], tokens: dict[str, str]) -> float:
    began = time.monotonic()
    with ThreadPoolExecutor(len(tokens)) as pool:
        list(pool.map(run, tokens.values()))
    arrivals = clock.wait_for(
        lambda seen: all(invitations_for(s, NEXT_STAGE)(seen) for s in tokens), timeout=TIMEOUT, what="bare"
    )
    return max(arrival_time(arrivals, s, NEXT_STAGE) for s in tokens) - began


def drain_prefect_workers(timeout: float = 30.0) -> None:
    """Send this process's queued Prefect events and logs to the variant's server while it is up, and
    stop their workers: the next variant's flows start new ones, on its own server."""
    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker

    EventsWorker.drain_all(timeout=timeout)
    APILogWorker.drain_all(timeout=timeout)
