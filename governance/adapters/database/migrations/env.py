"""Alembic environment: runs on the connection handed in by ``engine.migrate``."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from governance.adapters.database.tables import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    engine = create_engine(context.config.get_main_option("sqlalchemy.url") or "")
    with engine.begin() as fresh:
        context.configure(connection=fresh, target_metadata=metadata, render_as_batch=True)
        context.run_migrations()
else:
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
    context.run_migrations()
