"""Runs the steps the database says are owed, as Prefect flow runs, every few seconds.

The database is the queue: a decision recorded by the web app sets ``pending_advance``; queued
notifications wait in the outbox. After a crash, the first tick picks up whatever was left.
"""

from __future__ import annotations

import asyncio
import logging
import threading

from flows.runtime import Runtime, bind
from flows.signoff import run_advance, run_delivery
from governance.clock import utc_now
from governance.services.signoffs import work_waiting

log = logging.getLogger("signoff.dispatcher")


async def run_owed_work(runtime: Runtime) -> int:
    """One pass: run every owed step once; returns how many flow runs it made."""
    runs = 0
    for work in work_waiting(runtime.db, now=utc_now()):
        if work.step == "send email":
            if runtime.smtp is None:
                continue
            await run_delivery(work.signoff_id, document=work.title)
        elif work.signoff_id is not None:
            await run_advance(work.signoff_id, document=work.title, step=work.step)
        runs += 1
    return runs


class Dispatcher:
    """A background thread with its own event loop, ticking every ``poll_seconds``."""

    def __init__(self, runtime: Runtime, *, poll_seconds: float) -> None:
        self.runtime = runtime
        self.poll_seconds = poll_seconds
        self.stopping = threading.Event()
        self.wake = threading.Event()
        self.thread = threading.Thread(target=self._run, name="signoff-dispatcher", daemon=True)

    def start(self) -> None:
        bind(self.runtime)
        self.thread.start()

    def nudge(self) -> None:
        """Run a pass now rather than at the next tick (after a decision is recorded)."""
        self.wake.set()

    def stop(self) -> None:
        self.stopping.set()
        self.wake.set()
        self.thread.join(timeout=30)

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        try:
            while not self.stopping.is_set():
                try:
                    loop.run_until_complete(run_owed_work(self.runtime))
                except Exception:
                    log.exception("a dispatcher pass failed; the next pass tries again")
                self.wake.wait(self.poll_seconds)
                self.wake.clear()
        finally:
            loop.close()
