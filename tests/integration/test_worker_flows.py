"""A flow run in a process of its own builds its runtime from the environment, explicitly."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from flows.runtime import NoRuntimeBound, current
from governance.adapters.database.database import Database
from governance.entrypoints.composition.flow_runtime import child_process_environment
from governance.settings import Settings
from tests.integration.stall_helpers import start

pytestmark = pytest.mark.slow


def test_the_worker_watcher_works_on_the_database_its_environment_names(
    prefect_api: str, settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    db = Database(settings.sqlalchemy_url)
    db.migrate()
    start(db, settings, tmp_path)
    for name, value in child_process_environment(settings).items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("SIGNOFF_SECRET_KEY", "test-key")
    from governance.entrypoints.worker_flows import watch_stalls

    result = asyncio.run(watch_stalls())
    db.dispose()
    assert "errors" not in result["rag"]
    assert sum(result["rag"].values()) == 1  # the one sign-off in the database the environment names
    with pytest.raises(NoRuntimeBound):
        current()  # the run's runtime was bound for the run only
