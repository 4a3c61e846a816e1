"""P2: the time the scheduled watcher takes to find what it must do among many sign-offs in progress.

Each database gets one real sign-off, copied to 1,000, 10,000 and 100,000 waiting; ten more were
opened weeks ago, so a little work is always there to find. ``ratio`` is each size's time over the
1,000 time on the same database: a cost that grows with the work found, not with the number of
sign-offs, keeps it near 1.
"""

from __future__ import annotations

import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from governance.benchmarks.figure import Case, Figure, skipped
from governance.benchmarks.population import DATABASES, NoDatabase, Product, database_url, route_yaml
from governance.domain.london_time import utc_now
from governance.services.reminders import send_due_reminders

SIZES = (1_000, 10_000, 100_000)
OVERDUE = 10
TARGET_MS = 100.0
BUDGET_SECONDS = 60.0


def find_watcher_work(product: Product, *, now: datetime) -> int:
    """What the watcher runs to find its work: today it reads every sign-off in progress."""
    return send_due_reminders(product.db, product.settings, now=now).signoffs


def populate(product: Product, size: int, *, now: datetime) -> None:
    """``size`` sign-offs in progress: ten opened four weeks ago (overdue), the rest opened now."""
    route = route_yaml(3)
    product.start(OVERDUE, route, now=now - timedelta(weeks=4))
    template = product.start(1, route, now=now)[0]
    product.clone_waiting(template, size - OVERDUE - 1)


def time_sizes(kind: str) -> list[Case]:
    cases: list[Case] = []
    first_ms: float | None = None
    for size in SIZES:
        name = f"{kind}, {size:,} in progress"
        if first_ms is not None and first_ms / 1000 * size / SIZES[0] > BUDGET_SECONDS:
            reason = f"over budget: at {SIZES[0]:,} it took {first_ms:,.0f} ms, and it grows with size"
            cases.append(skipped(name, reason))
            continue
        with tempfile.TemporaryDirectory() as scratch:
            folder = Path(scratch)
            with database_url(kind, folder) as url:
                product = Product.create(folder, url)
                now = utc_now()
                populate(product, size, now=now)
                find_watcher_work(product, now=now)  # the first run queues the overdue reminders
                began = time.perf_counter()
                find_watcher_work(product, now=now)
                elapsed_ms = (time.perf_counter() - began) * 1000
                product.dispose()
        first_ms = first_ms or elapsed_ms
        cases.append(Case(name, elapsed_ms, first_ms, details={"in_progress": size}))
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
        description="find the reminders, escalations and RAG re-checks owed now; "
        "baseline: the same at 1,000 sign-offs on the same database",
        cases=cases,
        worse="higher",
        met=lambda value, ratio: value < TARGET_MS and ratio < 10,
    )
