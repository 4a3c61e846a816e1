"""P2: the time the scheduled watcher takes to find what it must do among many sign-offs in progress.

Each database gets 1,000, 10,000 and 100,000 sign-offs in progress: three real ones opened four weeks
ago, whose next check has come, and copies (plain multi-row inserts, one transaction) of one opened
now, whose next check is tomorrow. The value is the median time of the watcher's query for its due
sign-offs; the sweep that then handles the three is reported beside it. ``ratio`` is each size's
time over the 1,000 time on the same database: a cost that grows with the work found, not with the
number of sign-offs, keeps it near 1.
"""

from __future__ import annotations

import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from governance.benchmarks.figure import Case, Figure, median_seconds, skipped
from governance.benchmarks.population import DATABASES, NoDatabase, Product, database_url, route_yaml
from governance.domain.london_time import utc_now
from governance.services.watcher import BATCH, watch_signoffs

SIZES = (1_000, 10_000, 100_000)
DUE = 3
REPETITIONS = 21
TARGET_MS = 100.0


def find_watcher_work(product: Product, *, now: datetime) -> list[str]:
    """What the watcher runs to find its work: one batch of the sign-offs whose next check has come."""
    with product.db.read() as uow:
        return [signoff_id for _at, signoff_id in uow.watch.due(now, limit=BATCH)]


def populate(product: Product, size: int, *, now: datetime) -> list[str]:
    """``size`` sign-offs in progress: ``DUE`` opened four weeks ago and due a look, the rest not
    due until tomorrow. Returns the due ones' ids."""
    route = route_yaml(3)
    due = product.start(DUE, route, now=now - timedelta(weeks=4))
    template = product.start(1, route, now=now)[0]
    tomorrow = now + timedelta(days=1)
    with product.db.write() as uow:
        uow.watch.plan(template, tomorrow)
    product.clone_waiting(template, size - DUE - 1, next_check_at=tomorrow)
    return due


def time_size(kind: str, size: int) -> tuple[float, dict[str, object]]:
    """The median find time in ms at ``size``, and what the sweep after it found and took."""
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        with database_url(kind, folder) as url:
            product = Product.create(folder, url)
            now = utc_now()
            began = time.perf_counter()
            due = populate(product, size, now=now)
            seeded = time.perf_counter() - began
            found = find_watcher_work(product, now=now)
            find_ms = (
                median_seconds(lambda: find_watcher_work(product, now=now), repetitions=REPETITIONS) * 1000
            )
            began = time.perf_counter()
            swept = watch_signoffs(product.db, product.settings, now=now)
            sweep_ms = (time.perf_counter() - began) * 1000
            product.dispose()
    details: dict[str, object] = {
        "in_progress": size,
        "found": len(found),
        "found_the_due_ones": sorted(found) == sorted(due),
        "sweep_ms": round(sweep_ms, 1),
        "sweep_looked_at": swept.reminders.signoffs,
        "seed_s": round(seeded, 1),
    }
    return find_ms, details


def time_sizes(kind: str) -> list[Case]:
    cases: list[Case] = []
    first_ms: float | None = None
    for size in SIZES:
        elapsed_ms, details = time_size(kind, size)
        first_ms = first_ms or elapsed_ms
        cases.append(Case(f"{kind}, {size:,} in progress", elapsed_ms, first_ms, details=details))
    return cases


def cases_of(kind: str) -> list[Case]:
    try:
        return time_sizes(kind)
    except NoDatabase as missing:
        return [skipped(f"{kind}, {size:,} in progress", str(missing)) for size in SIZES]


def measure() -> Figure:
    cases = [case for kind in DATABASES for case in cases_of(kind)]
    return Figure(
        unit="ms",
        target=f"< {TARGET_MS:g} ms at 100,000; ratio (100,000 over 1,000) well under 100",
        description="find the sign-offs whose reminders, escalations or RAG re-check are owed now "
        f"({DUE} due among the rest); baseline: the same at 1,000 sign-offs on the same database",
        cases=cases,
        worse="higher",
        met=lambda value, ratio: value < TARGET_MS and ratio < 10,
    )
