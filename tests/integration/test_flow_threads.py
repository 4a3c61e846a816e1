"""A long-running process keeps its threads as it runs steps for more and more sign-offs."""

from __future__ import annotations

import asyncio
import threading

from flows.runtime import Runtime, running
from flows.signoff import run_advance
from governance.adapters.database.database import Database
from governance.domain.london_time import utc_now
from tests.integration.signoffs_helpers import start_spine_signoff
from tests.integration.smtp_server import scripted_server


async def task_runs_tagged(tag: str) -> int:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import TaskRunFilter, TaskRunFilterTags

    async with get_client() as client:
        runs = await client.read_task_runs(task_run_filter=TaskRunFilter(tags=TaskRunFilterTags(all_=[tag])))
    return len(runs)


def test_threads_stay_level_after_steps_for_many_sign_offs_and_the_runs_stay_findable(
    prefect_api, settings, tmp_path
):
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    db = Database(settings.sqlalchemy_url)
    db.migrate()
    with scripted_server() as smtp, running(Runtime(settings, db, smtp.settings())):

        def start_some(count: int) -> list[str]:
            ids = [start_spine_signoff(db, settings, now=utc_now(), tmp=tmp_path) for _ in range(count)]
            for signoff_id in ids:
                asyncio.run(run_advance(signoff_id, document="Agreement", step="start"))
            return ids

        start_some(3)
        after_a_few = threading.active_count()
        ids = start_some(25)
        after_many = threading.active_count()
    db.dispose()
    assert after_many <= after_a_few + 2, (after_a_few, after_many)
    from tests.integration.test_flows import flow_runs_tagged

    assert len(asyncio.run(flow_runs_tagged(f"signoff:{ids[-1]}"))) == 2  # the start step and the story
    assert asyncio.run(task_runs_tagged(f"signoff:{ids[-1]}")) == 0
