"""A sign-off run end to end tells its story in a real Prefect API: one flow run, a task run per
stage, logs, two artifacts and an event per transition, read back through the Prefect client."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path
from typing import Any

import pytest

from flows.runtime import Runtime, running
from flows.signoff import run_advance
from flows.story import tell_story
from governance.adapters.database.database import Database
from governance.adapters.route_files import parse_route
from governance.domain.london_time import utc_now
from governance.domain.rules import Verdict
from governance.entrypoints.prefect_links import PrefectAddresses
from governance.entrypoints.status_json import status_to_json
from governance.services.signoffs import NewSignOff, decide_by_token, start_signoff
from governance.services.status import signoff_status
from tests.integration.signoffs_helpers import links
from tests.integration.smtp_server import scripted_server

ROUTE = """
id: story-route
name: Story route
organisation: NHS Story Example ICB
stages:
  - id: legal
    name: ICB legal review
    kind: review
    reviewers: [legal@icb.example.nhs.uk]
    due_working_days: 5
  - id: money
    name: Finance review
    kind: review
    reviewers: [cfo@icb.example.nhs.uk]
    due_working_days: 5
    when: {tag: financial}
  - id: board
    name: ICB Board
    kind: review
    reviewers: [chair@icb.example.nhs.uk]
    due_working_days: 5
"""
TITLE = "Story partnership agreement"
DEADLINE_SECONDS = 30.0


@pytest.fixture
def database(settings):
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    db = Database(settings.sqlalchemy_url)
    db.migrate()
    yield db
    db.dispose()


def start(db: Database, settings, tmp: Path) -> str:
    document = tmp / "agreement.pdf"
    document.write_bytes(b"%PDF-1.4 story agreement")
    route = parse_route(ROUTE, path="story-route.yaml")
    request = NewSignOff(route, ROUTE, TITLE, document, "lead@icb.example.nhs.uk", None, frozenset())
    return start_signoff(db, settings, request, now=utc_now())


def approve(db: Database, settings, signoff_id: str, stage_id: str, reviewer: str) -> None:
    token = links(db, settings, signoff_id)[stage_id, reviewer]
    decide_by_token(db, token, verdict=Verdict.APPROVE, comment="", now=utc_now(), settings=settings)
    asyncio.run(run_advance(signoff_id, document=TITLE, step="advance"))


def run_signoff_to_the_end(db: Database, settings, tmp: Path) -> str:
    signoff_id = start(db, settings, tmp)
    asyncio.run(run_advance(signoff_id, document=TITLE, step="start"))
    approve(db, settings, signoff_id, "legal", "legal@icb.example.nhs.uk")
    approve(db, settings, signoff_id, "board", "chair@icb.example.nhs.uk")
    asyncio.run(run_advance(signoff_id, document=TITLE, step="advance"))  # a repeat: nothing new to tell
    return signoff_id


async def story_runs(signoff_id: str) -> list[Any]:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowFilter, FlowFilterName, FlowRunFilter, FlowRunFilterTags

    async with get_client() as client:
        return await client.read_flow_runs(
            flow_filter=FlowFilter(name=FlowFilterName(any_=["sign-off"])),
            flow_run_filter=FlowRunFilter(tags=FlowRunFilterTags(all_=[f"signoff:{signoff_id}"])),
        )


async def read_story(flow_run_id: Any, keys: list[str]) -> dict[str, Any]:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import (
        ArtifactFilter,
        ArtifactFilterKey,
        FlowRunFilter,
        FlowRunFilterId,
        LogFilter,
        LogFilterFlowRunId,
    )
    from prefect.client.schemas.sorting import TaskRunSort

    async with get_client() as client:
        tasks = await client.read_task_runs(
            flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id])),
            sort=TaskRunSort.EXPECTED_START_TIME_ASC,
        )
        logs = await client.read_logs(LogFilter(flow_run_id=LogFilterFlowRunId(any_=[flow_run_id])))
        artifacts = await client.read_latest_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=keys))
        )
        graph = (await client.request("GET", f"/flow_runs/{flow_run_id}/graph-v2")).json()  # type: ignore[arg-type]
    return {"tasks": tasks, "logs": [log.message for log in logs], "artifacts": artifacts, "graph": graph}


def events_about(signoff_id: str, expected: int) -> list[dict[str, Any]]:
    """The sign-off's events, once ``expected`` of them have arrived (events are written asynchronously)."""
    import httpx
    from prefect.settings import PREFECT_API_URL

    query = {"filter": {"resource": {"id": [f"signoff.{signoff_id}"]}, "order": "ASC"}, "limit": 50}
    deadline = time.monotonic() + DEADLINE_SECONDS
    while True:
        found = httpx.post(f"{PREFECT_API_URL.value()}/events/filter", json=query, timeout=10).json()[
            "events"
        ]
        if len(found) >= expected or time.monotonic() > deadline:
            return found
        time.sleep(0.2)


def test_a_sign_off_run_end_to_end_tells_one_flow_run_with_a_task_run_per_stage_logs_artifacts_and_events(
    prefect_api, settings, database, tmp_path
):
    with scripted_server() as smtp, running(Runtime(settings, database, smtp.settings())):
        signoff_id = run_signoff_to_the_end(database, settings, tmp_path)
    [run] = asyncio.run(story_runs(signoff_id))
    assert run.name == TITLE
    assert sorted(run.tags) == sorted(
        [f"signoff:{signoff_id}", "route:story-route", "org:nhs-story-example-icb"]
    )
    assert run.state is not None
    assert (run.state.type.value, run.state.name) == ("COMPLETED", "Approved")
    keys = [f"signoff-{signoff_id}-timeline", f"signoff-{signoff_id}-stages"]
    story = asyncio.run(read_story(run.id, keys))
    tasks = [t for t in story["tasks"] if not t.name.startswith(TITLE)]  # the stages, not the steps
    assert [(t.name, t.state.name, t.tags) for t in tasks] == [
        ("ICB legal review", "Approved", []),
        ("Finance review", "Skipped", []),
        ("ICB Board", "Approved", []),
    ]
    assert all(t.start_time <= t.end_time for t in tasks)
    assert tasks[0].end_time <= tasks[2].start_time
    nodes = [node for _, node in story["graph"]["nodes"]]
    assert sorted(n["label"] for n in nodes if n["kind"] == "task-run") == sorted(t.name for t in tasks)
    # Each step run, drawn inside the stage it handled, in the order they ran:
    steps = sorted((n for n in nodes if n["kind"] == "flow-run"), key=lambda n: n["start_time"])
    stage_names = {str(t.id): t.name for t in tasks}
    assert [[stage_names[e["id"]] for e in n["encapsulating"]] for n in steps] == [
        ["ICB legal review"],
        ["ICB Board"],
        [],  # the repeat after the sign-off ended: no stage open
    ]
    assert {n["label"] for n in steps} == {f"advance-signoff / {TITLE} · advance"}
    assert all(n["state_type"] == "COMPLETED" for n in steps)
    assert (
        "ICB legal review approved by legal@icb.example.nhs.uk (step: Story partnership agreement · advance)"
        in story["logs"]
    )
    assert any(message.startswith("ICB Board opened") for message in story["logs"])
    assert any(
        message.startswith("Finance review skipped: runs only for sign-offs tagged")
        for message in story["logs"]
    )
    by_key = {a.key: a for a in story["artifacts"]}
    assert "**Approved**" in by_key[keys[0]].data
    assert [row["Stage"] for row in json.loads(by_key[keys[1]].data)] == [
        "ICB legal review",
        "Finance review",
        "ICB Board",
    ]
    status = status_to_json(
        signoff_status(database, signoff_id), prefect=PrefectAddresses(prefect_api, "http://ui")
    )
    assert status["prefect"] == {
        "api_url": prefect_api,
        "ui_url": f"http://ui/runs/flow-run/{run.id}",
        "flow_run_id": str(run.id),
    }
    events = events_about(signoff_id, expected=6)
    assert [(e["event"], e["payload"].get("stage")) for e in events] == [
        ("signoff.stage.opened", "legal"),
        ("signoff.stage.completed", "legal"),
        ("signoff.stage.completed", "money"),
        ("signoff.stage.opened", "board"),
        ("signoff.stage.completed", "board"),
        ("signoff.finished", None),
    ]
    related = {(r["prefect.resource.role"], r["prefect.resource.id"]) for r in events[0]["related"]}
    assert {
        ("route", "signoff.route.story-route"),
        ("stage", f"signoff.{signoff_id}.stage.legal"),
        ("story", f"prefect.flow-run.{run.id}"),
    } <= related
    assert "flow-run" in {role for role, _ in related}  # the step that did it, added by Prefect


def test_prefect_out_of_reach_holds_nothing_up_and_the_next_step_tells_the_story(
    prefect_api, settings, database, tmp_path
):
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from governance.adapters.loopback import free_port

    with scripted_server() as smtp, running(Runtime(settings, database, smtp.settings())):
        signoff_id = start(database, settings, tmp_path)
        asyncio.run(run_advance(signoff_id, document=TITLE, step="start"))
        approve(database, settings, signoff_id, "legal", "legal@icb.example.nhs.uk")
        with temporary_settings(updates={PREFECT_API_URL: f"http://127.0.0.1:{free_port()}/api"}):
            # The sign-off moves on while Prefect is away; telling it fails quietly and records nothing.
            approve_without_a_step(database, settings, signoff_id)
            started = time.monotonic()
            assert asyncio.run(tell_story(signoff_id, step="offline")) == ""
            offline_seconds = time.monotonic() - started
        assert signoff_status(database, signoff_id).state.value == "approved"
        told = asyncio.run(tell_story(signoff_id, step="back"))
    assert offline_seconds < 30
    assert (
        told
        == "ICB Board approved by chair@icb.example.nhs.uk; Story partnership agreement: sign-off approved"
    )
    [run] = asyncio.run(story_runs(signoff_id))
    assert run.state is not None
    assert run.state.name == "Approved"


def approve_without_a_step(db: Database, settings, signoff_id: str) -> None:
    from governance.services.signoffs import advance_signoff

    token = links(db, settings, signoff_id)["board", "chair@icb.example.nhs.uk"]
    decide_by_token(db, token, verdict=Verdict.APPROVE, comment="", now=utc_now(), settings=settings)
    advance_signoff(db, settings, signoff_id, now=utc_now())


def test_the_readme_automations_are_valid_prefect_automations_on_the_events_the_story_emits():
    import yaml
    from prefect.events.schemas.automations import AutomationCore

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    section = readme[readme.index("### A sign-off inside Prefect") :]
    block = section[
        section.index("```yaml\n") + len("```yaml\n") : section.index("```\n", section.index("```yaml"))
    ]
    automations = [AutomationCore.model_validate(a) for a in yaml.safe_load(block)["automations"]]
    assert [sorted(a.trigger.expect) for a in automations] == [
        ["signoff.stage.stalled"],
        ["signoff.finished"],
    ]  # type: ignore[union-attr]
