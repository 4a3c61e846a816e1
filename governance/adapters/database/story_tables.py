"""The table of what Prefect has been told about each sign-off (its story flow run)."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, String, Table, Text

from governance.adapters.database.tables import metadata

# One row per sign-off told to Prefect: its flow run, its stage task runs and the transitions told.
signoff_stories = Table(
    "signoff_stories",
    metadata,
    Column("signoff_id", String(32), ForeignKey("signoffs.id"), primary_key=True),
    Column("flow_run_id", String(36), nullable=True),
    Column("task_runs", Text, nullable=False, default="{}"),  # JSON: segment key -> task run id
    Column("told", Text, nullable=False, default="[]"),  # JSON: transition keys, sorted
)
