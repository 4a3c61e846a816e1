"""Runs the steps the database says are owed, as Prefect flow runs, every few seconds or when nudged.

The database is the queue: a decision recorded by the web app sets ``pending_advance``; queued
notifications wait in the outbox. After a crash, the first pass picks up whatever was left.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from flows.runtime import Runtime, running
from flows.signoff import run_advance, run_delivery
from governance.domain.london_time import utc_now
from governance.services.signoffs import Work, work_waiting

log = logging.getLogger("signoff.dispatcher")
MAX_BACKOFF_SECONDS = 300.0


class FailureBackoff:
    """Waits longer after each failure of the same step, so one broken sign-off cannot hog the loop."""

    def __init__(self) -> None:
        self.failures: dict[tuple[str | None, str], tuple[int, float]] = {}

    def ready(self, work: Work) -> bool:
        count, since = self.failures.get((work.signoff_id, work.step), (0, 0.0))
        return not count or time.monotonic() - since >= min(2.0**count, MAX_BACKOFF_SECONDS)

    def failed(self, work: Work) -> None:
        count, _ = self.failures.get((work.signoff_id, work.step), (0, 0.0))
        self.failures[work.signoff_id, work.step] = (count + 1, time.monotonic())

    def succeeded(self, work: Work) -> None:
        self.failures.pop((work.signoff_id, work.step), None)


async def run_owed_work(runtime: Runtime, backoff: FailureBackoff | None = None) -> int:
    """One pass: run every owed step once, as flow runs on ``runtime``; returns how many it made.

    Steps of different sign-offs run side by side (``step_concurrency`` at once); one sign-off's
    steps run one after another, so they never overlap."""
    backoff = backoff or FailureBackoff()
    by_signoff: dict[str | None, list[Work]] = {}
    for work in work_waiting(runtime.db, now=utc_now()):
        by_signoff.setdefault(work.signoff_id, []).append(work)
    room = asyncio.Semaphore(runtime.settings.step_concurrency)

    async def in_turn(works: list[Work]) -> int:
        async with room:
            return await _run_in_order(runtime, works, backoff)

    return sum(await asyncio.gather(*(in_turn(works) for works in by_signoff.values())))


async def _run_in_order(runtime: Runtime, works: list[Work], backoff: FailureBackoff) -> int:
    """One sign-off's owed steps, in order; its delivery is skipped after an advance that sent its mail."""
    runs, delivered = 0, False
    for work in works:
        if work.step == "send email" and (runtime.smtp is None or delivered):
            continue
        if not backoff.ready(work):
            continue
        try:
            with running(runtime):
                await _run(work)
        except Exception:
            log.exception("%s for sign-off %s failed; it is tried again later", work.step, work.signoff_id)
            backoff.failed(work)
        else:
            backoff.succeeded(work)
            delivered = delivered or (work.step != "send email" and not runtime.settings.runs_on_workers)
        runs += 1
    return runs


async def _run(work: Work) -> None:
    if work.step == "send email":
        await run_delivery(work.signoff_id, document=work.title)
    elif work.signoff_id is not None:
        await run_advance(work.signoff_id, document=work.title, step=work.step)


class Dispatcher:
    """A background thread with its own event loop, making a pass every ``poll_seconds``."""

    def __init__(self, runtime: Runtime, *, poll_seconds: float) -> None:
        self.runtime = runtime
        self.poll_seconds = poll_seconds
        self.backoff = FailureBackoff()
        self.stopping = threading.Event()
        self.wake = threading.Event()
        self.thread = threading.Thread(target=self._run, name="signoff-dispatcher", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def nudge(self) -> None:
        """Make a pass now rather than at the next tick (after a decision is recorded)."""
        self.wake.set()

    def stop(self) -> None:
        self.stopping.set()
        self.wake.set()
        self.thread.join(timeout=30)

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        try:
            loop.run_until_complete(self._passes())
        finally:
            loop.close()

    async def _passes(self) -> None:
        """Every pass of the thread's life, sharing one pair of Prefect clients: opening them per pass
        cost each decision's next step about 45 ms before any of its work began."""
        while not self.stopping.is_set():
            try:
                async with prefect_clients():
                    await self._pass_until_stopped()
            except Exception:  # the clients could not be opened or closed: open new ones next time
                log.exception("the dispatcher's Prefect clients failed; it opens new ones")
                await self._wait_for_nudge()

    async def _pass_until_stopped(self) -> None:
        while not self.stopping.is_set():
            try:
                await run_owed_work(self.runtime, self.backoff)
            except Exception:
                log.exception("a dispatcher pass failed; the next pass tries again")
            await self._wait_for_nudge()

    async def _wait_for_nudge(self) -> None:
        await asyncio.to_thread(self.wake.wait, self.poll_seconds)
        self.wake.clear()


@asynccontextmanager
async def prefect_clients() -> AsyncIterator[None]:
    """One async and one sync Prefect client that every flow and task run inside reuses (the engines
    make their own otherwise: each costs a TLS context, about 25 ms, even over plain HTTP, and a
    check of the server's version)."""
    from prefect.context import AsyncClientContext, SyncClientContext

    async with AsyncClientContext.get_or_create():
        with SyncClientContext.get_or_create():
            yield
