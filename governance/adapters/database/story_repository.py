"""What Prefect has been told about each sign-off, in its table."""

from __future__ import annotations

import json

from sqlalchemy import Connection, delete, insert, select

from governance.adapters.database.story_tables import signoff_stories
from governance.services.story_ports import StoryRecord


class SqlStories:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def get(self, signoff_id: str) -> StoryRecord:
        query = select(signoff_stories).where(signoff_stories.c.signoff_id == signoff_id)
        row = self.connection.execute(query).first()
        if row is None:
            return StoryRecord()
        return StoryRecord(row.flow_run_id, json.loads(row.task_runs), frozenset(json.loads(row.told)))

    def put(self, signoff_id: str, record: StoryRecord) -> None:
        # Delete then insert: the same on SQLite and PostgreSQL, in the caller's transaction.
        self.connection.execute(delete(signoff_stories).where(signoff_stories.c.signoff_id == signoff_id))
        self.connection.execute(
            insert(signoff_stories).values(
                signoff_id=signoff_id,
                flow_run_id=record.flow_run_id,
                task_runs=json.dumps(dict(record.task_runs), sort_keys=True),
                told=json.dumps(sorted(record.told)),
            )
        )
