"""The fake record of what Prefect has been told about each sign-off."""

from __future__ import annotations

from governance.services.story_ports import StoryRecord
from tests.fakes.data import Repository


class FakeStories(Repository):
    def get(self, signoff_id: str) -> StoryRecord:
        return self.data.stories.get(signoff_id, StoryRecord())

    def put(self, signoff_id: str, record: StoryRecord) -> None:
        self.writing().stories[signoff_id] = record
