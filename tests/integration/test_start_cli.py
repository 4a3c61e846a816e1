"""``signoff start`` as a lead runs it: tags for conditional stages, bounds on the target, a warning
when the plan cannot meet it, and a sign-off that keeps the route it started on.

A ``signoff serve`` is recorded as running (this test process), so ``start`` leaves the first
stage to it, as it does in production, and no Prefect is started; where a test needs the first
stage open, it advances the sign-off in-process as the server would.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from datetime import timedelta
from pathlib import Path

import pytest
from dateutil.relativedelta import relativedelta

from governance.adapters.database.database import Database
from governance.adapters.runtime_file import write_runtime
from governance.domain.london_time import london_date, utc_now
from governance.services.signoffs import advance_signoff
from governance.settings import Settings
from tests.integration.test_cli import run as run_signoff

TAGGED_ROUTE = """\
id: tagged-route
name: Tagged route
organisation: NHS Test ICB
stages:
  - {id: vcse, name: VCSE review, kind: review, reviewers: [chair@vcse.example.org], due_working_days: 5}
  - id: finance
    name: Finance review
    kind: review
    reviewers: [cfo@icb.example.nhs.uk]
    due_working_days: 5
    when: {tag: financial}
  - id: clinical
    name: Clinical review
    kind: review
    reviewers: [cmo@icb.example.nhs.uk]
    due_working_days: 5
    when: {tag: clinical}
"""
SLOW_ROUTE = """\
id: slow-route
name: Slow route
organisation: NHS Test ICB
stages:
  - {id: vcse, name: VCSE review, kind: review, reviewers: [chair@vcse.example.org], due_working_days: 1}
  - {id: legal, name: Legal review, kind: review, reviewers: [legal@icb.example.nhs.uk], due_working_days: 20}
"""


def run(*args: str, data_dir: Path):
    return run_signoff(*args, data_dir=data_dir, SIGNOFF_ROUTES_DIR=str(data_dir.parent / "routes"))


@pytest.fixture
def lead_desk(tmp_path: Path) -> Path:
    """A data directory whose ``signoff serve`` is recorded as running, beside a routes folder."""
    routes = tmp_path / "routes"
    routes.mkdir()
    (routes / "tagged-route.yaml").write_text(TAGGED_ROUTE)
    (routes / "slow-route.yaml").write_text(SLOW_ROUTE)
    (tmp_path / "agreement.pdf").write_bytes(b"%PDF-1.4 agreement")
    data_dir = tmp_path / "data"
    write_runtime(data_dir, pid=os.getpid())
    return data_dir


def start(data_dir: Path, *extra: str, route: str = "tagged-route"):
    document = str(data_dir.parent / "agreement.pdf")
    args = (
        "start",
        route,
        "--title",
        "Agreement",
        "--document",
        document,
        "--lead",
        "lead@icb.example.nhs.uk",
    )
    return run(*args, *extra, "--json", data_dir=data_dir)


def status(data_dir: Path, signoff_id: str) -> dict:
    result = run("status", signoff_id, "--json", data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def stage_states(found: dict) -> dict[str, str]:
    return {stage["id"]: stage["state"] for stage in found["stages"]}


def in_days(days: int) -> str:
    return str(london_date(utc_now()) + timedelta(days=days))


def test_a_tag_runs_its_conditional_stage_and_skips_the_other_from_the_start(lead_desk):
    started = start(lead_desk, "--tag", "clinical")
    assert started.returncode == 0, started.stderr
    assert started.stderr == ""
    found = status(lead_desk, json.loads(started.stdout)["id"])
    assert stage_states(found) == {"vcse": "pending", "finance": "skipped", "clinical": "pending"}
    finance = next(stage for stage in found["stages"] if stage["id"] == "finance")
    assert finance["skipped_reason"] == "runs only for sign-offs tagged 'financial'"


def test_tag_is_repeatable_and_each_tagged_stage_runs(lead_desk):
    started = start(lead_desk, "--tag", "clinical", "--tag", "Financial")
    assert started.returncode == 0, started.stderr
    found = status(lead_desk, json.loads(started.stdout)["id"])
    assert stage_states(found) == {"vcse": "pending", "finance": "pending", "clinical": "pending"}


def test_a_tag_no_stage_uses_is_warned_about_on_stderr_and_the_signoff_still_starts(lead_desk):
    started = start(lead_desk, "--tag", "finacial")
    assert started.returncode == 0
    assert json.loads(started.stdout)["route"] == "tagged-route"
    assert "warning: no stage of route 'tagged-route' uses --tag finacial" in started.stderr
    assert "its stages use: financial, clinical" in started.stderr


@pytest.mark.parametrize("bad", ["financial review", "-financial", "fin/ance", "x" * 41, ""])
def test_a_tag_that_is_not_a_short_slug_is_refused_with_exit_2_and_nothing_started(lead_desk, bad):
    refused = start(lead_desk, "--tag", bad)
    assert refused.returncode == 2
    assert f"--tag {bad!r} is not a tag" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1
    assert sorted(path.name for path in lead_desk.iterdir()) == ["runtime.json"]


@pytest.mark.parametrize(
    ("target", "says"),
    [
        (in_days(-1), "is in the past"),
        (str(london_date(utc_now()) + relativedelta(years=5, days=1)), "more than 5 years ahead"),
    ],
)
def test_a_target_in_the_past_or_over_five_years_ahead_is_refused_and_nothing_is_stored(
    lead_desk, target, says
):
    refused = start(lead_desk, "--target", target)
    assert refused.returncode == 2
    assert says in refused.stderr
    assert "Traceback" not in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1
    assert sorted(path.name for path in lead_desk.iterdir()) == ["runtime.json"]


def test_an_infeasible_plan_is_warned_about_on_stderr_while_json_stays_clean(lead_desk):
    target = in_days(10)
    started = start(lead_desk, "--target", target, route="slow-route")
    assert started.returncode == 0, started.stderr
    assert set(json.loads(started.stdout)) == {"id", "route", "opened_by", "timeline_url", "invited"}
    planned = json.loads(run("plan", "slow-route", "--target", target, "--json", data_dir=lead_desk).stdout)
    late = -planned["slack_working_days"]
    assert late > 0
    warning = started.stderr.strip().splitlines()
    assert len(warning) == 1
    assert f"{late} working days after the target {target}" in warning[0]
    assert "the last stage decided by then is 'VCSE review'" in warning[0]
    assert re.match(r"signoff: warning: the plan is already infeasible", warning[0])


def test_a_feasible_target_starts_without_a_warning(lead_desk):
    started = start(lead_desk, "--target", in_days(120), route="slow-route")
    assert started.returncode == 0
    assert started.stderr == ""


def test_editing_the_route_file_after_start_changes_no_running_signoff(lead_desk):
    route_file = lead_desk.parent / "routes" / "tagged-route.yaml"
    started_on = hashlib.sha256(route_file.read_bytes()).hexdigest()
    signoff_id = json.loads(start(lead_desk, "--tag", "clinical").stdout)["id"]
    edited = TAGGED_ROUTE.replace("{id: vcse, name: VCSE review", "{id: board, name: Board review")
    route_file.write_text(edited.replace("when: {tag: financial}", "approvals: all"))
    settings = Settings(data_dir=lead_desk, routes_dir=route_file.parent)
    db = Database(settings.sqlalchemy_url)
    try:
        advance_signoff(db, settings, signoff_id, now=utc_now())  # what the running server does next
    finally:
        db.dispose()
    found = status(lead_desk, signoff_id)
    assert stage_states(found) == {"vcse": "open", "finance": "skipped", "clinical": "pending"}
    assert found["stages"][0]["awaiting"] == ["chair@vcse.example.org"]
    assert found["route_sha256"] == started_on
    assert found["route_sha256"] != hashlib.sha256(route_file.read_bytes()).hexdigest()
    shown = run("status", signoff_id, data_dir=lead_desk)
    assert f"route sha256 {started_on}" in shown.stdout
