"""P3: from a decision's POST to the next stage's invitations accepted by an SMTP server on loopback.

The product runs as ``signoff serve`` (SQLite, its own dispatcher) against a Prefect server the
figure starts; the baseline is a bare Prefect flow on that same server doing the same work (record
the decision, open the next stage, send its invitations) on a database of its own. Cases: one
decision at a time (median of several), and 20 decisions on 20 sign-offs at once (until the last
invitation arrives), each with the Prefect server on its own SQLite file (one laptop) and, when
``SIGNOFF_BENCH_POSTGRES_URL`` names a server, on a PostgreSQL database of its own (scaled out).
Under concurrent writes a Prefect server on SQLite answers some calls 503 ("database is locked"),
and its clients wait 2 s or more before trying again; that wait is Prefect's, for both.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from pathlib import Path

from governance.adapters.prefect_server import PrefectServer, use_prefect_home
from governance.benchmarks import bare_flow
from governance.benchmarks.figure import Case, Figure, skipped
from governance.benchmarks.loopback import post_decision, wait_until_quiet
from governance.benchmarks.population import NoDatabase, Product, database_url, prefect_database, route_yaml
from governance.benchmarks.servers import signoff_process
from governance.benchmarks.smtp_clock import SmtpClock, arrival_time, invitations_for
from governance.domain.london_time import utc_now

ONE_AT_A_TIME = 5
AT_ONCE = 20
NEXT_STAGE = {"next0@icb.example.nhs.uk", "next1@icb.example.nhs.uk"}
FIRST_STAGE = {"reviewer0@icb.example.nhs.uk"}
TARGET_RATIO = 1.2
TIMEOUT = 180.0
ROUTE = route_yaml(1, approvals="any")
CASE_NAMES = ("one at a time (median)", f"{AT_ONCE} at once (until the last)")


def first_links(product: Product, clock: SmtpClock, ids: list[str], base_url: str) -> dict[str, str]:
    """Wait until each sign-off's first invitation arrived; its action link by sign-off."""
    for signoff_id in ids:
        clock.wait_for(invitations_for(signoff_id, FIRST_STAGE), timeout=TIMEOUT, what="first invitations")
    links = product.invitation_links(base_url)
    return {signoff_id: links[signoff_id][0][1] for signoff_id in ids}


def latency_of(clock: SmtpClock, links: dict[str, str], *, at_once: bool, api_url: str) -> float:
    """Seconds from posting each link's decision to the last next-stage invitation arriving. Each
    starts when the product has finished its earlier steps, as each bare flow run has its own."""
    if not at_once:
        timings = []
        for signoff_id, link in links.items():
            wait_until_quiet(api_url, timeout=TIMEOUT, what="the steps before P3's")
            began = time.monotonic()
            post_decision(link)
            arrivals = clock.wait_for(invitations_for(signoff_id, NEXT_STAGE), timeout=TIMEOUT, what="P3")
            timings.append(arrival_time(arrivals, signoff_id, NEXT_STAGE) - began)
        return statistics.median(timings)
    wait_until_quiet(api_url, timeout=TIMEOUT, what="the steps before P3's")
    began = time.monotonic()
    with ThreadPoolExecutor(len(links)) as pool:
        list(pool.map(post_decision, links.values()))
    arrivals = clock.wait_for(
        lambda seen: all(invitations_for(s, NEXT_STAGE)(seen) for s in links), timeout=TIMEOUT, what="P3"
    )
    return max(arrival_time(arrivals, s, NEXT_STAGE) for s in links) - began


def product_latencies(folder: Path, clock: SmtpClock, smtp_port: int, api_url: str) -> tuple[float, float]:
    """(one at a time, 20 at once) under ``signoff serve``."""
    with database_url("sqlite", folder) as url:
        product = Product.create(folder, url)
        env = product.environment(
            SIGNOFF_SMTP_HOST="127.0.0.1", SIGNOFF_SMTP_PORT=str(smtp_port), PREFECT_API_URL=api_url
        )
        with signoff_process("serve", env, log=folder / "serve.log") as serve:
            ids = product.start(ONE_AT_A_TIME + AT_ONCE, ROUTE, now=utc_now(), advance=False)
            links = first_links(product, clock, ids, serve.url)
            one = dict(list(links.items())[:ONE_AT_A_TIME])
            many = dict(list(links.items())[ONE_AT_A_TIME:])
            result = (
                latency_of(clock, one, at_once=False, api_url=api_url),
                latency_of(clock, many, at_once=True, api_url=api_url),
            )
        product.dispose()
    return result


@contextmanager
def prefect_and_mail(
    folder: Path, *, prefect_home: str, database_url: str | None = None
) -> Iterator[tuple[str, SmtpClock, int]]:
    """A Prefect server (on its own SQLite file, or on ``database_url``) and an SMTP clock on
    loopback for the block: (API URL, clock, SMTP port)."""
    with ExitStack() as stack:
        use_prefect_home(folder / prefect_home)
        server = PrefectServer(folder, database_url=database_url)
        server.start()
        stack.callback(server.stop)
        clock = SmtpClock()
        smtp_port = clock.start()
        stack.callback(clock.stop)
        yield server.api_url, clock, smtp_port


def cases_on(server_database: str, database_url: str | None) -> list[Case]:
    """Both cases, the product's and the bare flow's, on one Prefect server of their own."""
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        with prefect_and_mail(folder, prefect_home="bare", database_url=database_url) as (
            api_url,
            clock,
            smtp_port,
        ):
            (folder / "product").mkdir()
            one, many = product_latencies(folder / "product", clock, smtp_port, api_url)
            (folder / "bare").mkdir(exist_ok=True)
            bare_one, bare_many = bare_flow.latencies(
                folder / "bare", api_url, one_at_a_time=ONE_AT_A_TIME, at_once=AT_ONCE
            )
    on = f"Prefect server on {server_database}"
    one_name, many_name = CASE_NAMES
    return [
        Case(f"{on}, {one_name}", one, bare_one, details={"decisions": ONE_AT_A_TIME}),
        Case(f"{on}, {many_name}", many, bare_many, details={"decisions": AT_ONCE}),
    ]


def cases_on_postgres() -> list[Case]:
    """The same on a Prefect server backed by PostgreSQL (the scale-out set-up), when one is named."""
    try:
        with prefect_database() as url:
            return cases_on("PostgreSQL", url)
    except NoDatabase as missing:
        return [skipped(f"Prefect server on PostgreSQL, {name}", str(missing)) for name in CASE_NAMES]


def measure() -> Figure:
    return Figure(
        unit="s",
        target=f"ratio <= {TARGET_RATIO:g} of the bare flow, both cases",
        description="decision POST -> next stage's 2 invitations at SMTP, signoff serve on SQLite; "
        "baseline: a bare Prefect flow doing the same work on the same Prefect server (its own SQLite "
        "file, as on one laptop, or PostgreSQL, as scaled out)",
        cases=[*cases_on("SQLite", None), *cases_on_postgres()],
        worse="higher",
        met=lambda _value, ratio: ratio <= TARGET_RATIO,
    )
