"""L2: what a long-running ``signoff serve`` holds after handling sign-offs: threads and memory.

One ``signoff serve`` (its own dispatcher, on a Prefect server the figure starts) handles sign-offs
in batches: each is started, its first stage's invitation goes out, its reviewer approves through
the emailed link, and the next stage's invitations go out. The scheduled watcher runs every
20 s throughout, as it does (less often) in a real serve. Once the product has finished every step,
its process tree is sampled while no watcher run is under way (each runs in a process of its own,
for a few seconds). The baseline is the sample after the first batch and the watcher's first run
(which leaves multiprocessing's resource tracker, about 14 MB, for the life of serve); the cases
are the samples after 110 and 210, so a process that only warms up is told from one that grows.
Nothing is cleared in between: what a handled sign-off leaves behind in the process (threads,
clients, caches) shows as growth.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from governance.benchmarks.figure import Case, Figure
from governance.benchmarks.latency import FIRST_STAGE, NEXT_STAGE, ROUTE, TIMEOUT, prefect_and_mail
from governance.benchmarks.loopback import (
    post_decision,
    wait_until,
    wait_until_quiet,
    watcher_finished_runs,
    watcher_running,
)
from governance.benchmarks.population import Product, database_url
from governance.benchmarks.servers import process_tree, resident_mb, signoff_process, thread_count
from governance.benchmarks.smtp_clock import SmtpClock, invitations_for
from governance.domain.london_time import utc_now

FIRST_BATCH = 10
LATER_BATCHES = 20  # of FIRST_BATCH sign-offs each: 210 handled in all
SAMPLED_AFTER = (0, 10, 20)  # batches: after 10, 110 and 210 sign-offs, to tell growth from warming up
SAMPLES = 8
WATCH_SECONDS = 20
TARGET_RATIO = 1.10


def handle_batch(product: Product, clock: SmtpClock, base_url: str, api_url: str, count: int) -> None:
    """Start ``count`` sign-offs, approve each through its emailed link, wait until all is sent."""
    ids = product.start(count, ROUTE, now=utc_now(), advance=False)
    for signoff_id in ids:
        clock.wait_for(invitations_for(signoff_id, FIRST_STAGE), timeout=TIMEOUT, what="first invitations")
    links = product.invitation_links(base_url)
    for signoff_id in ids:
        post_decision(links[signoff_id][0][1])
    for signoff_id in ids:
        clock.wait_for(invitations_for(signoff_id, NEXT_STAGE), timeout=TIMEOUT, what="next invitations")
    wait_until_quiet(api_url, timeout=TIMEOUT, what="the batch's last steps")


Held = tuple[float, float, int, int]  # median MB of serve's process tree, peak MB, threads, processes


def held(pid: int, api_url: str) -> Held:
    """What serve's process tree holds now: samples twice a second, each taken while no watcher run
    is under way (a run's own process is not what serve holds between runs)."""
    sizes: list[float] = []
    processes: list[int] = []
    threads: list[int] = []
    deadline = time.monotonic() + TIMEOUT
    while len(sizes) < SAMPLES and time.monotonic() < deadline:
        time.sleep(0.5)
        if watcher_running(api_url):
            continue
        tree = process_tree(pid)
        sizes.append(resident_mb(tree))
        processes.append(len(tree))
        threads.append(thread_count(pid))
    if not sizes:
        msg = f"the watcher ran without a pause for {TIMEOUT:.0f} s: serve could not be sampled"
        raise TimeoutError(msg)
    return statistics.median(sizes), max(sizes), int(statistics.median(threads)), max(processes)


def measure_serve(folder: Path, clock: SmtpClock, smtp_port: int, api_url: str) -> dict[int, Held]:
    """What serve holds after the first batch and after every batch, by sign-offs handled."""
    with database_url("sqlite", folder) as url:
        product = Product.create(folder, url)
        env = product.environment(
            SIGNOFF_SMTP_HOST="127.0.0.1",
            SIGNOFF_SMTP_PORT=str(smtp_port),
            PREFECT_API_URL=api_url,
            SIGNOFF_WATCH_INTERVAL_SECONDS=str(WATCH_SECONDS),
        )
        found: dict[int, Held] = {}
        with signoff_process("serve", env, log=folder / "serve.log") as serve:
            for batch in range(1 + LATER_BATCHES):
                handle_batch(product, clock, serve.url, api_url, FIRST_BATCH)
                if batch == 0:
                    wait_until(
                        lambda: watcher_finished_runs(api_url) > 0, timeout=TIMEOUT, what="a watcher run"
                    )
                if batch in SAMPLED_AFTER:
                    found[(batch + 1) * FIRST_BATCH] = held(serve.process.pid, api_url)
        product.dispose()
    return found


def measure() -> Figure:
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        with prefect_and_mail(folder, prefect_home="prefect") as (api_url, clock, smtp_port):
            (folder / "product").mkdir()
            found = measure_serve(folder / "product", clock, smtp_port, api_url)
    (first, (base_mb, _, base_threads, _)), *later = found.items()
    cases = [
        Case(
            f"after {handled} handled",
            mb,
            base_mb,
            details={
                "threads": threads,
                "threads_after_first": base_threads,
                "peak_mb": peak,
                "processes": k,
            },
        )
        for handled, (mb, peak, threads, k) in later
    ]
    steady = all(case.details["threads"] <= base_threads for case in cases)
    return Figure(
        unit="MB",
        target=f"ratio <= {TARGET_RATIO:g} (memory within 10 %) and no more threads",
        description=f"signoff serve (and its children) after handling {later[-1][0]} sign-offs, each "
        f"started, decided and its next stage emailed; baseline: the same after the first {first}",
        cases=cases,
        worse="higher",
        met=lambda _value, ratio: ratio <= TARGET_RATIO and steady,
    )
