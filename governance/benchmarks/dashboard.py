"""L1: the dashboard, ``GET /signoffs``, for a signed-in officer, at 10, 1,000 and 10,000 sign-offs.

The sign-offs are copies of one in progress (``Product.clone_waiting``: its rows copied under new
ids, as a fleet waiting on people). The page is fetched through the web app in this process (the
HTTP stack, sign-in check, queries and template), so the figure is the server's time to answer,
without a network. The baseline is the same page at 10 sign-offs: the ratio says how the page's
cost grows with the fleet (it pages its results, so it should barely grow).
"""

from __future__ import annotations

import tempfile
import warnings
from datetime import UTC, datetime
from pathlib import Path

from governance.benchmarks.figure import Case, Figure, median_seconds
from governance.benchmarks.population import Product, database_url, route_yaml
from governance.domain.access import Account, Role
from governance.services.accounts import LinkPurpose, add_account, issue_link

TARGET_MS = 300.0
FLEETS = (10, 1_000, 10_000)
OFFICER = "officer@icb.example.nhs.uk"


def dashboard_ms(product: Product, *, repetitions: int = 9) -> float:
    """Median milliseconds for the first page of the dashboard, signed in as an officer."""
    with warnings.catch_warnings():  # starlette's note about its own httpx use, not ours
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient

    from governance.entrypoints.web import create_app

    now = datetime.now(UTC)
    with TestClient(create_app(product.settings, product.db)) as client:
        token = issue_link(product.db, OFFICER, LinkPurpose.SIGN_IN, now=now)
        signed_in = client.post(f"/login/link/{token}", follow_redirects=False)
        if signed_in.status_code != 303:
            msg = f"signing in for the dashboard figure failed: {signed_in.status_code}"
            raise RuntimeError(msg)

        def fetch() -> None:
            page = client.get("/signoffs")
            if page.status_code != 200 or "Bench agreement" not in page.text:
                msg = f"GET /signoffs answered {page.status_code} without the sign-offs"
                raise RuntimeError(msg)

        return 1000 * median_seconds(fetch, repetitions=repetitions, warmup=2)


def fleet_ms(folder: Path, count: int) -> float:
    """The dashboard's time with ``count`` sign-offs in progress, on a fresh SQLite database."""
    with database_url("sqlite", folder) as url:
        product = Product.create(folder, url)
        try:
            add_account(product.db, Account(OFFICER, Role.OFFICER), password=None, now=datetime.now(UTC))
            (template,) = product.start(1, route_yaml(3), now=datetime.now(UTC))
            product.clone_waiting(template, count - 1)
            return dashboard_ms(product)
        finally:
            product.dispose()


def measure() -> Figure:
    with tempfile.TemporaryDirectory(prefix="signoff-bench-dashboard-") as folder:
        timings = {count: fleet_ms(Path(folder) / str(count), count) for count in FLEETS}
    baseline = timings[FLEETS[0]]
    cases = [Case(f"{count:,} sign-offs in progress", timings[count], baseline) for count in FLEETS[1:]]
    return Figure(
        unit="ms",
        target=f"< {TARGET_MS:g} ms",
        description="GET /signoffs (first page) for a signed-in officer, SQLite; baseline: 10 sign-offs",
        cases=cases,
        worse="higher",
        met=lambda value, _ratio: value < TARGET_MS,
    )
