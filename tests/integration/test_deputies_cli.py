"""``signoff away`` and ``signoff reassign`` as an officer runs them: what is recorded, what is
printed, and one clear line (exit 2, no traceback) for every bad input."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from governance.adapters.database.database import Database
from governance.adapters.database.loop_tables import delegations
from governance.adapters.database.tables import outbox
from governance.domain.london_time import london_date, utc_now
from tests.integration.signoffs_helpers import start_spine_signoff
from tests.integration.test_cli import run

TODAY = london_date(utc_now())  # the command judges "in the past" by the real clock, as an officer would
SOON, LATER = TODAY + timedelta(days=3), TODAY + timedelta(days=10)
AWAY, DEPUTY = "legal@icb.example.nhs.uk", "deputy.legal@icb.example.nhs.uk"
VICE = "vice.chair@vcse.example.org"
VCSE = ("chair@vcse.example.org", "coordinator@vcse.example.org")


def test_an_absence_is_recorded_and_listed_in_words_and_as_json(tmp_path):
    recorded = run(
        "away",
        AWAY,
        "--deputy",
        DEPUTY,
        "--from",
        str(SOON),
        "--until",
        str(LATER),
        "--json",
        data_dir=tmp_path,
    )
    assert recorded.returncode == 0, recorded.stderr
    assert json.loads(recorded.stdout) | {"id": 0} == {
        "id": 0,
        "person": AWAY,
        "deputy": DEPUTY,
        "from": str(SOON),
        "until": str(LATER),
    }
    listed = run("away", "--list", data_dir=tmp_path)
    assert listed.returncode == 0
    assert f"{AWAY}  away {SOON} to {LATER}  deputy {DEPUTY}" in listed.stdout
    [only] = json.loads(run("away", "--list", "--json", data_dir=tmp_path).stdout)
    assert (only["person"], only["deputy"]) == (AWAY, DEPUTY)


@pytest.mark.parametrize(
    ("dates", "said"),
    [
        (("--from", str(LATER), "--until", str(SOON)), "is before --from"),
        (
            ("--from", "next tuesday", "--until", str(SOON)),
            "--from 'next tuesday' is not a date; use YYYY-MM-DD",
        ),
        (("--from", str(SOON), "--until", "2027-02-30"), "--until '2027-02-30' is not a date"),
        (("--from", str(TODAY - timedelta(days=7)), "--until", str(SOON)), "is in the past"),
        (("--from", str(SOON), "--until", str(SOON + timedelta(days=400))), "at most a year"),
        (("--from", str(SOON)), "give EMAIL, --deputy, --from and --until"),
    ],
    ids=["until before from", "unparseable", "no such day", "in the past", "over a year", "a date missing"],
)
def test_bad_absence_dates_get_one_clear_line_and_record_nothing(tmp_path, dates, said):
    result = run("away", AWAY, "--deputy", DEPUTY, *dates, data_dir=tmp_path)
    assert result.returncode == 2
    assert said in result.stderr
    assert "Traceback" not in result.stderr
    assert json.loads(run("away", "--list", "--json", data_dir=tmp_path).stdout) == []


def test_an_absence_with_the_person_as_their_own_deputy_is_refused(tmp_path):
    result = run(
        "away", AWAY, "--deputy", AWAY, "--from", str(SOON), "--until", str(LATER), data_dir=tmp_path
    )
    assert (result.returncode, result.stderr.strip()) == (
        2,
        f"signoff: {AWAY} cannot be their own deputy: name someone else with --deputy",
    )


@dataclass(frozen=True)
class Running:
    signoff_id: str
    db: Database
    data_dir: Path


@pytest.fixture
def running(settings, tmp_path: Path):
    settings.data_dir.mkdir(parents=True)
    db = Database(settings.sqlalchemy_url)
    db.migrate()
    yield Running(
        start_spine_signoff(db, settings, now=datetime.now(UTC), tmp=tmp_path), db, settings.data_dir
    )
    db.dispose()


def test_reassign_moves_an_outstanding_review_and_emails_the_new_reviewer(running):
    result = run(
        "reassign", running.signoff_id, "--stage", "vcse", "--from", VCSE[1], "--to", VICE,
        data_dir=running.data_dir,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert f"moved from {VCSE[1]} to {VICE}" in result.stdout
    with running.db.transaction() as connection:
        moved = [
            tuple(r)
            for r in connection.execute(
                select(delegations.c.reviewer, delegations.c.deputy, delegations.c.how)
            )
        ]
        invited = [
            r.recipient
            for r in connection.execute(select(outbox.c.recipient).where(outbox.c.kind == "invitation"))
        ]
    assert moved == [(VCSE[1], VICE, "reassigned")]
    assert invited[-1] == VICE


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (
            ("--stage", "vcse", "--from", "nobody@example.nhs.uk", "--to", VICE),
            "has no outstanding review",
        ),
        (
            ("--stage", "vcse", "--from", VCSE[1], "--to", VCSE[0]),
            "already reviews the VCSE Alliance leadership group stage",
        ),
        (
            ("--stage", "finance", "--from", "cfo@icb.example.nhs.uk", "--to", VICE),
            "is not open for decisions",
        ),
        (("--stage", "vcse", "--from", VCSE[1], "--to", "vice"), "is not an email address"),
    ],
    ids=[
        "someone not outstanding",
        "to a reviewer of the stage",
        "a stage not open yet",
        "not an email address",
    ],
)
def test_a_reassignment_that_cannot_be_done_says_why_in_one_line(running, args, said):
    result = run("reassign", running.signoff_id, *args, data_dir=running.data_dir)
    assert result.returncode == 2
    assert said in result.stderr
    assert "nothing was reassigned" in result.stderr
    assert "Traceback" not in result.stderr


def test_reassigning_on_an_unknown_signoff_says_so(tmp_path):
    result = run("reassign", "0000", "--stage", "vcse", "--from", VCSE[1], "--to", VICE, data_dir=tmp_path)
    assert (result.returncode, result.stderr.strip()) == (2, "signoff: no sign-off with id '0000'")
