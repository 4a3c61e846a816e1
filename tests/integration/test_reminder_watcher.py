"""The reminder job walked through a stall with the clock moved by time-machine, on real databases."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import time_machine
from sqlalchemy import select

from governance.adapters.database.database import Database
from governance.adapters.database.tables import outbox, reminders
from governance.domain.london_time import LONDON, utc_now
from governance.domain.rules import Verdict
from governance.entrypoints.status_json import status_to_json
from governance.services import reminder_history as records
from governance.services.reminders import ReminderCounts, remind_now, send_due_reminders
from governance.services.signoffs import decide_by_token
from governance.services.status import signoff_status
from governance.settings import Settings
from tests.integration.signoffs_helpers import links
from tests.integration.stall_helpers import ALICE, BOB, DIRECTOR, LEAD, ROUTE, start

RUNS_EACH_DAY = ((0, 30), (7, 59), (8, 0), (8, 59), (9, 0), (15, 0))  # UTC


def walk(db: Database, settings: Settings, *, first: date, last: date) -> None:
    """Run the job at each of the day's run times, every day from ``first`` to ``last``."""
    day = first
    while day <= last:
        for hour, minute in RUNS_EACH_DAY:
            with time_machine.travel(
                datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC), tick=False
            ):
                send_due_reminders(db, settings, now=utc_now())
        day += timedelta(days=1)


def nudges(db: Database, kind: str) -> list[tuple[str, str]]:
    """(London time queued, recipient) of each recorded nudge of ``kind``."""
    query = (
        select(reminders.c.at, reminders.c.recipient).where(reminders.c.kind == kind).order_by(reminders.c.id)
    )
    with db.transaction() as connection:
        return [
            (r.at.astimezone(LONDON).strftime("%a %d %b %H:%M"), r.recipient)
            for r in connection.execute(query)
        ]


def queued(db: Database, kind: str) -> list[str]:
    with db.transaction() as connection:
        return list(connection.execute(select(outbox.c.recipient).where(outbox.c.kind == kind)).scalars())


def both(moment: str) -> list[tuple[str, str]]:
    return [(moment, ALICE), (moment, BOB)]


def test_a_stall_gets_reminders_on_working_days_at_nine_london_time_then_one_escalation(
    database: Database, settings: Settings, tmp_path: Path
) -> None:
    start(database, settings, tmp_path)
    walk(database, settings, first=date(2026, 3, 20), last=date(2026, 4, 17))
    assert nudges(database, "reminder") == [
        *both("Wed 25 Mar 09:00"),  # GMT: 09:00 UTC
        *both("Mon 30 Mar 09:00"),  # BST: 08:00 UTC
        *both("Thu 02 Apr 09:00"),
        # Good Friday and Easter Monday are skipped; due Tue 7 Apr
        *both("Thu 09 Apr 09:00"),  # first reminder past the due date
        *both("Tue 14 Apr 09:00"),  # second
        *both("Fri 17 Apr 09:00"),  # reminders go on after the escalation
    ]
    assert nudges(database, "escalation") == [("Wed 15 Apr 09:00", LEAD), ("Wed 15 Apr 09:00", DIRECTOR)]
    assert sorted(queued(database, "escalation")) == sorted([LEAD, DIRECTOR, "json://127.0.0.1:9/hook"])
    assert queued(database, "stalled") == ["json://127.0.0.1:9/hook"]
    assert len(queued(database, "reminder")) == 12


def test_the_clocks_going_back_moves_nine_oclock_to_nine_gmt(
    database: Database, settings: Settings, tmp_path: Path
) -> None:
    daily = ROUTE.replace("remind_every_working_days: 3", "remind_every_working_days: 1")
    start(database, settings, tmp_path, route=daily, at=datetime(2026, 10, 21, 12, 0, tzinfo=UTC))
    walk(database, settings, first=date(2026, 10, 21), last=date(2026, 10, 27))
    assert [moment for moment, to in nudges(database, "reminder") if to == ALICE] == [
        "Thu 22 Oct 09:00",  # BST: 08:00 UTC
        "Fri 23 Oct 09:00",
        "Mon 26 Oct 09:00",  # GMT from Sunday 25 Oct: 09:00 UTC
        "Tue 27 Oct 09:00",
    ]


def test_a_reviewer_who_decides_gets_no_more_reminders(
    database: Database, settings: Settings, tmp_path: Path
) -> None:
    signoff_id = start(database, settings, tmp_path)
    token = links(database, settings, signoff_id)["legal", ALICE]
    decide_by_token(
        database,
        token,
        verdict=Verdict.APPROVE,
        comment="",
        now=datetime(2026, 3, 24, 12, tzinfo=UTC),
        settings=settings,
    )
    walk(database, settings, first=date(2026, 3, 25), last=date(2026, 3, 30))
    assert [to for _, to in nudges(database, "reminder")] == [BOB, BOB]


def test_two_watchers_at_once_queue_each_reminder_once(
    database: Database, settings: Settings, tmp_path: Path
) -> None:
    start(database, settings, tmp_path)
    results: list[ReminderCounts] = []
    barrier = threading.Barrier(4)

    def watcher() -> None:
        barrier.wait()
        results.append(send_due_reminders(database, settings, now=datetime(2026, 4, 15, 8, 0, tzinfo=UTC)))

    threads = [threading.Thread(target=watcher) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sum(r.reminders for r in results) == 2
    assert sum(r.errors for r in results) == 0
    assert sorted(queued(database, "reminder")) == [ALICE, BOB]
    again = send_due_reminders(database, settings, now=datetime(2026, 4, 15, 14, 0, tzinfo=UTC))
    assert (again.reminders, again.escalations) == (0, 0)


def test_remind_now_reminds_everyone_outstanding_counts_and_restarts_the_interval(
    database: Database, settings: Settings, tmp_path: Path
) -> None:
    signoff_id = start(database, settings, tmp_path)
    monday = datetime(2026, 3, 23, 16, 0, tzinfo=UTC)
    first = remind_now(database, settings, signoff_id, stage_id="legal", now=monday)
    again = remind_now(database, settings, signoff_id, now=monday + timedelta(hours=1))
    assert first.queued == [("legal", ALICE), ("legal", BOB)]
    assert again.queued == []
    assert again.already == first.queued
    walk(database, settings, first=date(2026, 3, 24), last=date(2026, 3, 27))
    assert nudges(database, "reminder") == [*both("Mon 23 Mar 16:00"), *both("Thu 26 Mar 09:00")]
    with time_machine.travel(datetime(2026, 4, 8, 12, tzinfo=UTC), tick=False):
        [stage] = status_to_json(signoff_status(database, signoff_id))["stages"]
    assert stage["stalled"] is True
    assert [(r["to"], r["at"], r["manual"]) for r in stage["reminders"][:2]] == [
        (ALICE, "2026-03-23T16:00:00+00:00", True),
        (BOB, "2026-03-23T16:00:00+00:00", True),
    ]
    assert stage["escalation"] is None


def test_a_run_out_of_hours_queues_nothing(database: Database, settings: Settings, tmp_path: Path) -> None:
    start(database, settings, tmp_path)
    counts = send_due_reminders(
        database, settings, now=datetime(2026, 4, 6, 10, 0, tzinfo=UTC)
    )  # Easter Monday
    assert (counts.signoffs, counts.reminders, counts.escalations) == (1, 0, 0)


def test_a_nudge_whose_key_is_taken_is_skipped_and_the_job_carries_on(
    database: Database, settings: Settings, tmp_path: Path
) -> None:
    signoff_id = start(database, settings, tmp_path)
    row = records.nudge("legal", signoff_id, records.REMINDER, ALICE, date(2026, 3, 25))
    now = datetime(2026, 3, 25, 9, 0, tzinfo=UTC)
    with database.write() as uow:
        first = uow.reminders.record_once(row, key="reminder:race", now=now, queue=lambda: None)
        second = uow.reminders.record_once(row, key="reminder:race", now=now, queue=lambda: None)
        third = uow.reminders.record_once(row, key="reminder:other", now=now, queue=lambda: None)
    assert (first, second, third) == (True, False, True)
    with database.transaction() as connection:
        keys = connection.execute(select(reminders.c.dedupe_key).order_by(reminders.c.id)).scalars().all()
    assert keys == ["reminder:race", "reminder:other"]


SECRETARY = "exec.secretary@icb.example.nhs.uk"
MEETING_ROUTE = f"""
id: stall-test
name: Committee reminder route
organisation: NHS Test ICB
calendars:
  exec:
    name: ICB Executive Committee
    meetings: {{dates: [2026-04-14, 2026-05-12]}}
    paper_deadline_working_days: 5
stages:
  - id: exec
    name: ICB Executive Committee
    kind: meeting
    calendar: exec
    secretary: [{SECRETARY}]
    due_working_days: 2
    remind_every_working_days: 3
    escalate_after_reminders: 5
"""


def test_a_meeting_stage_reminds_its_lead_until_the_paper_deadline_and_its_secretary_after_the_meeting(
    database, settings, tmp_path
):
    # Opened Fri 20 March: the 14 April meeting's papers are due Tue 7 April (Easter in between).
    start(database, settings, tmp_path, route=MEETING_ROUTE)
    walk(database, settings, first=date(2026, 3, 20), last=date(2026, 4, 24))
    days = [(moment[:10], to) for moment, to in nudges(database, records.REMINDER)]
    assert days == [
        ("Wed 25 Mar", LEAD),
        ("Mon 30 Mar", LEAD),
        ("Thu 02 Apr", LEAD),
        ("Fri 17 Apr", SECRETARY),
        ("Wed 22 Apr", SECRETARY),
    ]
    assert queued(database, "paper_due") == [LEAD] * 4  # the opening email and three reminders


def test_a_paper_marked_submitted_stops_the_leads_reminders(database, settings, tmp_path):
    from governance.services.committees import paper_submitted

    signoff_id = start(database, settings, tmp_path, route=MEETING_ROUTE)
    walk(database, settings, first=date(2026, 3, 20), last=date(2026, 3, 26))
    with time_machine.travel(datetime(2026, 3, 26, 12, 0, tzinfo=UTC), tick=False):
        assert paper_submitted(database, signoff_id, stage_id="exec", now=utc_now())
    walk(database, settings, first=date(2026, 3, 27), last=date(2026, 4, 13))
    assert [to for _, to in nudges(database, records.REMINDER)] == [LEAD]
