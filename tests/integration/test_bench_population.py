"""The benchmark's copies of a waiting sign-off never take an id already stored."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select

from governance.adapters.database.database import Database
from governance.adapters.database.tables import signoffs
from governance.benchmarks.population import Product, route_yaml
from governance.settings import Settings

NOW = datetime(2027, 1, 12, 14, 0, tzinfo=UTC)


def test_copying_one_sign_off_twice_gives_every_copy_an_id_of_its_own(
    settings: Settings, database: Database
) -> None:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    product = Product(settings, database)
    (template,) = product.start(1, route_yaml(3), now=NOW)
    product.clone_waiting(template, 30)
    product.clone_waiting(template, 30)  # the same ids again, before: a duplicate key
    with database.transaction() as connection:
        stored = connection.execute(select(func.count()).select_from(signoffs)).scalar_one()
        template_rows = connection.execute(
            select(func.count()).select_from(signoffs).where(signoffs.c.id == template)
        ).scalar_one()
    assert (stored, template_rows) == (61, 1)
