"""``signoff outbox``, ``signoff outbox retry`` and ``signoff remind`` as a person runs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import update

from governance.adapters.database.database import Database
from governance.adapters.database.tables import outbox
from governance.settings import Settings
from tests.integration.stall_helpers import ALICE, BOB, start

ROOT = Path(__file__).resolve().parents[2]
PROBE = (
    "import sys\nfrom governance.entrypoints.cli import app\n"
    "try:\n    app(sys.argv[1:])\nexcept SystemExit as exit:\n    code = exit.code\n"
    "print('PREFECT' if 'prefect' in sys.modules else 'CLEAN', code)"
)


@pytest.fixture
def signoff_id(settings: Settings, tmp_path: Path) -> str:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    db = Database(settings.sqlalchemy_url)
    db.migrate()
    found = start(db, settings, tmp_path)
    with db.transaction() as connection:
        connection.execute(
            update(outbox)
            .where(outbox.c.recipient == BOB)
            .values(state="failed", last_error="550 5.1.1 No such user")
        )
    db.dispose()
    return found


def signoff(settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    env = os.environ | {"SIGNOFF_DATA_DIR": str(settings.data_dir), "SIGNOFF_SECRET_KEY": "test-key"}
    return subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, env=env, cwd=ROOT, check=False
    )


def test_outbox_lists_pending_and_failed_notifications_without_importing_prefect(
    settings: Settings, signoff_id: str
) -> None:
    result = signoff(settings, "outbox", "--json")
    listed = json.loads(result.stdout[: result.stdout.rindex("]") + 1])
    assert [(n["recipient"], n["state"], n["kind"]) for n in listed] == [
        (ALICE, "pending", "invitation"),
        (BOB, "failed", "invitation"),
    ]
    assert listed[1]["last_error"] == "550 5.1.1 No such user"
    assert result.stdout.rstrip().endswith("CLEAN 0")


def test_outbox_failed_lists_only_failed_ones(settings: Settings, signoff_id: str) -> None:
    result = signoff(settings, "outbox", "--failed", "--json")
    listed = json.loads(result.stdout[: result.stdout.rindex("]") + 1])
    assert [n["recipient"] for n in listed] == [BOB]


def test_outbox_retry_queues_a_failed_notification_again(settings: Settings, signoff_id: str) -> None:
    failed_id = json.loads(signoff(settings, "outbox", "--failed", "--json").stdout.rsplit("\n", 2)[0])[0][
        "id"
    ]
    result = signoff(settings, "outbox", "retry", str(failed_id))
    assert f"notification {failed_id} queued again" in result.stdout
    assert signoff(settings, "outbox", "--failed", "--json").stdout.startswith("[]")


@pytest.mark.parametrize(
    ("notification", "message"), [("999", "no notification with id 999"), ("1", "is pending")]
)
def test_outbox_retry_of_an_unknown_or_unfailed_notification_exits_2_with_one_line(
    settings: Settings, signoff_id: str, notification: str, message: str
) -> None:
    result = signoff(settings, "outbox", "retry", notification)
    assert result.stdout.strip() == "CLEAN 2"
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_remind_queues_a_reminder_for_everyone_outstanding(settings: Settings, signoff_id: str) -> None:
    result = signoff(settings, "remind", signoff_id, "--stage", "legal")
    assert f"reminder queued for {ALICE} (legal)" in result.stdout
    assert f"reminder queued for {BOB} (legal)" in result.stdout
    assert result.stdout.rstrip().endswith("CLEAN 0")


@pytest.mark.parametrize(
    ("stage", "message"), [("nope", "has no stage 'nope'"), (None, "no sign-off with id")]
)
def test_remind_refuses_an_unknown_stage_or_sign_off_in_one_line(
    settings: Settings, signoff_id: str, stage: str | None, message: str
) -> None:
    args = ["remind", signoff_id, "--stage", stage] if stage else ["remind", "0000dead"]
    result = signoff(settings, *args)
    assert result.stdout.strip() == "CLEAN 2"
    assert message in result.stderr
