"""P1: decisions recorded per second through ``POST /a/{token}`` with several clients at once.

The product runs as ``signoff web`` (HTTP, the token check, the decision's transaction and its
outbox rows); the baseline is the raw rate of single-row INSERT+COMMIT transactions through
SQLAlchemy on the same database with the same engine settings. Cases: SQLite and PostgreSQL,
with 3 and with 200 reviewers on the stage being decided.
"""

from __future__ import annotations

import http.client
import random
import tempfile
import threading
import time
import urllib.parse
from datetime import datetime
from pathlib import Path
from queue import Empty, SimpleQueue

from sqlalchemy import Column, Integer, MetaData, String, Table, insert

from governance.adapters.database.engine import make_engine
from governance.benchmarks.figure import Case, Figure, skipped
from governance.benchmarks.population import DATABASES, NoDatabase, Product, database_url, route_yaml
from governance.benchmarks.servers import signoff_process
from governance.domain.london_time import utc_now

CLIENTS = 4
DECISIONS = 400
WARMUP = 12
RAW_SECONDS = 3.0
TARGET_RATIO = 0.5
REVIEWERS = (3, 200)
UNLIMITED = 1_000_000  # requests a minute to /a/* from one address


def post_all(base_url: str, paths: SimpleQueue[str], results: list[int]) -> None:
    """One client: post an approval to each path it takes from the queue, on one kept-alive connection."""
    host = urllib.parse.urlsplit(base_url)
    connection = http.client.HTTPConnection(host.hostname or "127.0.0.1", host.port, timeout=60)
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    body = "decision=approve&comment="
    try:
        while True:
            try:
                path = paths.get_nowait()
            except Empty:
                return
            connection.request("POST", path, body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            results.append(response.status)
    finally:
        connection.close()


def decisions_per_second(base_url: str, paths: list[str], *, clients: int = CLIENTS) -> tuple[float, int]:
    """Post every path with ``clients`` at once; returns (decisions per second, how many were not 200)."""
    queue: SimpleQueue[str] = SimpleQueue()
    for path in paths:
        queue.put(path)
    results: list[int] = []
    threads = [threading.Thread(target=post_all, args=(base_url, queue, results)) for _ in range(clients)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    return len(results) / elapsed, sum(status != 200 for status in results)


def raw_commits_per_second(url: str, *, seconds: float = RAW_SECONDS) -> float:
    """Single-row INSERT+COMMIT transactions per second through SQLAlchemy on ``url``, for ``seconds``."""
    engine = make_engine(url)
    table = Table(
        "bench_raw", MetaData(), Column("id", Integer, primary_key=True), Column("note", String(40))
    )
    table.create(engine, checkfirst=True)
    try:
        began, done = time.perf_counter(), 0
        while time.perf_counter() - began < seconds:
            with engine.begin() as connection:
                connection.execute(insert(table).values(note=f"decision {done}"))
            done += 1
        return done / (time.perf_counter() - began)
    finally:
        table.drop(engine)
        engine.dispose()


def decision_paths(product: Product, reviewers: int, *, decisions: int, now: datetime) -> list[str]:
    """Enough open sign-offs for ``decisions`` + WARMUP decisions; their links' paths, shuffled."""
    count = -(-(decisions + WARMUP) // reviewers)
    ids = product.start(count, route_yaml(reviewers), now=now)
    links = product.invitation_links("http://bench")
    paths = [urllib.parse.urlsplit(url).path for signoff_id in ids for _to, url in links[signoff_id]]
    random.Random(12).shuffle(paths)  # clients meet different sign-offs, as people would
    return paths[: decisions + WARMUP]


def measure_case(kind: str, reviewers: int, *, decisions: int = DECISIONS) -> Case:
    name = f"{kind}, {reviewers} reviewers on the stage"
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        try:
            with database_url(kind, folder) as url:
                product = Product.create(folder, url)
                paths = decision_paths(product, reviewers, decisions=decisions, now=utc_now())
                # Every client posts from 127.0.0.1: the links' per-address limit would answer most with 429.
                unlimited = product.environment(SIGNOFF_LINK_RATE_PER_MINUTE=str(UNLIMITED))
                with signoff_process("web", unlimited, log=folder / "web.log") as web:
                    decisions_per_second(web.url, paths[:WARMUP], clients=1)
                    rate, refused = decisions_per_second(web.url, paths[WARMUP:])
                raw = raw_commits_per_second(url)
                product.dispose()
        except NoDatabase as missing:
            return skipped(name, str(missing))
    details = {"clients": CLIENTS, "decisions": decisions, "not_recorded": refused}
    return Case(name, rate, raw, details=details)


def measure() -> Figure:
    cases = [measure_case(kind, reviewers) for kind in DATABASES for reviewers in REVIEWERS]
    return Figure(
        unit="/s",
        target=f"ratio >= {TARGET_RATIO:g} of raw INSERT+COMMIT, every case",
        description=f"decisions/s via POST /a/{{token}} under signoff web, {CLIENTS} clients; "
        "baseline: raw single-row INSERT+COMMIT/s, same database and engine settings",
        cases=cases,
        worse="lower",
        met=lambda _value, ratio: ratio >= TARGET_RATIO,
    )
