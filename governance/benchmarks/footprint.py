"""P4: processes and resident memory of the whole product while sign-offs wait on people.

``signoff serve`` (web app, Prefect server, dispatcher, scheduled watcher every few seconds, mail
sink) runs over 10, 1,000 and 10,000 sign-offs in progress; after its dashboard has been read once,
its process tree is sampled for a while. The baseline is the 10-sign-off run: the ratio says how
much more memory thousands of waiting sign-offs cost.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from governance.benchmarks.figure import Case, Figure
from governance.benchmarks.loopback import signed_in
from governance.benchmarks.population import Product, database_url, route_yaml
from governance.benchmarks.servers import process_tree, resident_mb, signoff_process
from governance.domain.london_time import utc_now
from governance.entrypoints.demo import demo_sign_in_token

SIZES = (10, 1_000, 10_000)
SAMPLE_SECONDS = 12.0
TARGET_RATIO = 1.10


def sample(root: int, *, seconds: float = SAMPLE_SECONDS) -> tuple[float, float, int]:
    """(median MB, peak MB, most processes) of ``root``'s process tree, sampled twice a second."""
    sizes, processes = [], []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        tree = process_tree(root)
        sizes.append(resident_mb(tree))
        processes.append(len(tree))
        time.sleep(0.5)
    return statistics.median(sizes), max(sizes), max(processes)


def footprint(waiting: int) -> tuple[float, float, int]:
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        with database_url("sqlite", folder) as url:
            product = Product.create(folder, url)
            template = product.start(1, route_yaml(3), now=utc_now())[0]
            product.clone_waiting(template, waiting - 1)
            env = product.environment(SIGNOFF_WATCH_INTERVAL_SECONDS="5")
            with signoff_process("serve", env, log=folder / "serve.log") as serve:
                browser = signed_in(serve.url, demo_sign_in_token(product.db))
                with browser.open(f"{serve.url}/signoffs", timeout=300) as page:
                    page.read()
                measured = sample(serve.process.pid)
            product.dispose()
    return measured


def measure() -> Figure:
    results = {size: footprint(size) for size in SIZES}
    baseline = results[SIZES[0]][0]
    cases = [
        Case(
            f"{size:,} waiting",
            median,
            baseline,
            details={"peak_mb": peak, "processes": processes, "sampled_seconds": SAMPLE_SECONDS},
        )
        for size, (median, peak, processes) in results.items()
    ]
    # A scheduled watcher run in flight adds one process for a moment; more than that would be growth.
    steady = cases[-1].details["processes"] <= cases[0].details["processes"] + 1
    return Figure(
        unit="MB",
        target=f"ratio <= {TARGET_RATIO:g} (memory within 10 %), no process per waiting sign-off",
        description="resident memory (median while sampled) of signoff serve and every process it runs; "
        "baseline: the same with 10 sign-offs waiting",
        cases=cases,
        worse="higher",
        met=lambda _value, ratio: steady and ratio <= TARGET_RATIO,
    )
