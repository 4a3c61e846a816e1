"""P3's Prefect server on PostgreSQL gets a database of its own, on the named server, dropped after."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import create_engine, make_url, text

from governance.benchmarks.population import POSTGRES_VARIABLE, NoDatabase, prefect_database
from tests.conftest import POSTGRES_URL_VARIABLE


def databases_named(base_url: str, name: str) -> int:
    engine = create_engine(base_url)
    with engine.connect() as connection:
        found = connection.execute(text("SELECT count(*) FROM pg_database WHERE datname = :n"), {"n": name})
        count = int(found.scalar_one())
    engine.dispose()
    return count


def test_a_prefect_server_database_is_made_for_the_figure_and_dropped_after_it(monkeypatch) -> None:
    base_url = os.environ.get(POSTGRES_URL_VARIABLE)
    if not base_url:
        pytest.skip(f"{POSTGRES_URL_VARIABLE} is not set: no PostgreSQL server named for these tests")
    monkeypatch.setenv(POSTGRES_VARIABLE, base_url)
    with prefect_database() as url:
        parsed = make_url(url)
        assert parsed.drivername == "postgresql+asyncpg"  # the driver a Prefect server runs on
        assert parsed.database != make_url(base_url).database  # never the product's database
        assert databases_named(base_url, str(parsed.database)) == 1
    assert databases_named(base_url, str(parsed.database)) == 0


def test_without_a_named_server_the_postgresql_variant_cannot_run(monkeypatch) -> None:
    monkeypatch.delenv(POSTGRES_VARIABLE, raising=False)
    with pytest.raises(NoDatabase, match=POSTGRES_VARIABLE), prefect_database():
        pass
