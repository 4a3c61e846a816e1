"""What the Prefect story of a sign-off keeps in the product's database (typing.Protocol).

The database is the truth about a sign-off; this record only says what Prefect has been told, so
each step tells it just what is new.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True)
class StoryRecord:
    """The sign-off's story flow run, its stage task runs by key, and the transitions told."""

    flow_run_id: str | None = None
    task_runs: Mapping[str, str] = field(default_factory=dict)  # segment key -> task run id
    told: frozenset[str] = frozenset()  # transition keys, e.g. "opened:legal-v1"


class Stories(Protocol):
    """One story record per sign-off, empty until Prefect is first told about it."""

    def get(self, signoff_id: str) -> StoryRecord:
        """The record (an empty one when Prefect was never told)."""

    def put(self, signoff_id: str, record: StoryRecord) -> None:
        """Store the record, replacing the one before."""
