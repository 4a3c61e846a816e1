"""Key dates of running sign-offs in the status JSON, and the lead's email when the RAG worsens.

Spine route, started Tue 1 December 2026: vcse (10 working days), then legal (15) with finance (10),
then the Executive Committee (2nd Tuesday, papers 7 working days before). Bank holidays on the
way: 25 and 28 Dec 2026, 1 Jan, 26 and 29 Mar 2027.

Backward from Wed 31 March 2027: exec meets Tue 9 Mar, papers Fri 26 Feb; legal must start 15
working days before, Fri 5 Feb; finance 10 before, Fri 12 Feb; vcse decided by 5 Feb, so it must
start 10 working days before, Fri 22 Jan. A 12 Mar target gives the same plan (9 Mar is still
the last meeting before it).

Forecast on 1 Dec: vcse Tue 15 Dec; legal 15 working days on, Fri 8 Jan (finance Thu 31 Dec); the
12 Jan meeting's papers were due 31 Dec, so exec is Tue 9 Feb (papers Fri 29 Jan). Slack to 31 Mar:
34 working days (green); to 12 Mar: 23 (green).

Nobody decides vcse. On Mon 11 Jan it is overdue, so expected Tue 12 Jan; legal then Tue 2 Feb,
after the 9 Feb papers: exec on Tue 9 Mar; 3 working days before 12 Mar (amber). On Mon 15 Feb:
vcse Tue 16 Feb, legal Tue 9 Mar, after 9 Mar's papers (26 Feb): exec on Tue 13 Apr, 20 working
days after 12 Mar (red).
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import select, update

from governance.adapters.database.tables import outbox, signoffs
from governance.entrypoints.status_json import lines_to_json, status_to_json
from governance.services.rag_alerts import refresh_rag
from governance.services.signoffs import cancel_signoff
from governance.services.status import all_signoffs, signoff_status
from notifications.render import render
from tests.integration.signoffs_helpers import start_spine_signoff

NOW = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
AMBER_DAY = datetime(2027, 1, 11, 9, 0, tzinfo=UTC)
RED_DAY = datetime(2027, 2, 15, 9, 0, tzinfo=UTC)
LEAD = "lead@icb.example.nhs.uk"
PLANNED = {
    "vcse": ("2027-01-22", "2027-02-05"),
    "legal": ("2027-02-05", "2027-02-26"),
    "finance": ("2027-02-12", "2027-02-26"),
    "exec": ("2027-02-26", "2027-03-09"),
}


def start_with_target(db, settings, tmp: Path, target: date | None) -> str:
    """A spine sign-off with the given target (or none), its first stage opened on 1 Dec 2026."""
    return start_spine_signoff(db, settings, now=NOW, tmp=tmp, target=target)


def refresh(db, settings, signoff_id: str, now: datetime) -> str | None:
    with db.write() as uow:
        signoff = uow.signoffs.get(signoff_id, for_update=True)
        return refresh_rag(uow, settings, signoff, now=now)


def rag_emails(db, signoff_id: str) -> list[dict]:
    query = select(outbox.c.recipient, outbox.c.context).where(
        outbox.c.signoff_id == signoff_id, outbox.c.kind == "rag_changed"
    )
    with db.transaction() as connection:
        return [
            json.loads(row.context) | {"to": row.recipient}
            for row in connection.execute(query.order_by(outbox.c.id))
        ]


def stored_rag(db, signoff_id: str) -> str | None:
    with db.transaction() as connection:
        return connection.execute(select(signoffs.c.rag).where(signoffs.c.id == signoff_id)).scalar_one()


def test_status_carries_the_plan_the_forecast_and_the_rag(database, settings, tmp_path):
    signoff_id = start_spine_signoff(database, settings, now=NOW, tmp=tmp_path)
    status = status_to_json(signoff_status(database, signoff_id, now=NOW))
    assert {k: status[k] for k in ("target", "forecast", "slack_working_days", "rag")} == {
        "target": "2027-03-31",
        "forecast": "2027-02-09",
        "slack_working_days": 34,
        "rag": "green",
    }
    stages = {s["id"]: s for s in status["stages"]}
    assert {i: (s["start_by"], s["decide_by"]) for i, s in stages.items()} == PLANNED
    assert {i: s["forecast_decide"] for i, s in stages.items()} == {
        "vcse": "2026-12-15",
        "legal": "2027-01-08",
        "finance": "2026-12-31",
        "exec": "2027-02-09",
    }


def test_a_stage_keeps_its_due_date_beside_its_planned_decide_by(database, settings, tmp_path):
    signoff_id = start_spine_signoff(database, settings, now=NOW, tmp=tmp_path)
    vcse = status_to_json(signoff_status(database, signoff_id, now=NOW))["stages"][0]
    assert (vcse["due"], vcse["decide_by"]) == ("2026-12-15", "2027-02-05")


def test_the_forecast_moves_when_an_open_review_is_overdue(database, settings, tmp_path):
    signoff_id = start_with_target(database, settings, tmp_path, date(2027, 3, 12))
    status = status_to_json(signoff_status(database, signoff_id, now=AMBER_DAY))
    assert (status["forecast"], status["slack_working_days"], status["rag"]) == ("2027-03-09", 3, "amber")
    assert [s["forecast_decide"] for s in status["stages"]] == [
        "2027-01-12",
        "2027-02-02",
        "2027-01-26",
        "2027-03-09",
    ]


def test_a_signoff_without_a_target_has_null_key_dates(database, settings, tmp_path):
    signoff_id = start_with_target(database, settings, tmp_path, None)
    status = status_to_json(signoff_status(database, signoff_id, now=RED_DAY))
    assert [status[k] for k in ("target", "forecast", "slack_working_days", "rag")] == [None] * 4
    for stage in status["stages"]:
        assert [stage[k] for k in ("start_by", "decide_by", "forecast_decide")] == [None] * 3
    assert refresh(database, settings, signoff_id, RED_DAY) is None
    assert stored_rag(database, signoff_id) is None
    assert rag_emails(database, signoff_id) == []


def test_a_cancelled_signoff_keeps_its_plan_but_has_no_forecast(database, settings, tmp_path):
    signoff_id = start_spine_signoff(database, settings, now=NOW, tmp=tmp_path)
    cancel_signoff(database, settings, signoff_id, now=NOW)
    status = status_to_json(signoff_status(database, signoff_id, now=RED_DAY))
    assert (status["target"], status["forecast"], status["rag"]) == ("2027-03-31", None, None)
    assert (status["stages"][0]["decide_by"], status["stages"][0]["forecast_decide"]) == ("2027-02-05", None)


def test_advancing_stores_the_rag_that_the_overview_shows(database, settings, tmp_path):
    signoff_id = start_spine_signoff(database, settings, now=NOW, tmp=tmp_path)
    assert stored_rag(database, signoff_id) == "green"
    assert [s["rag"] for s in lines_to_json(all_signoffs(database)) if s["id"] == signoff_id] == ["green"]
    assert rag_emails(database, signoff_id) == []


def test_the_lead_is_emailed_once_per_worsening(database, settings, tmp_path):
    signoff_id = start_with_target(database, settings, tmp_path, date(2027, 3, 12))
    assert refresh(database, settings, signoff_id, AMBER_DAY) == "amber"
    assert refresh(database, settings, signoff_id, AMBER_DAY) == "amber"
    assert refresh(database, settings, signoff_id, datetime(2027, 1, 12, 9, 0, tzinfo=UTC)) == "amber"
    assert refresh(database, settings, signoff_id, RED_DAY) == "red"
    assert refresh(database, settings, signoff_id, RED_DAY) == "red"
    emails = rag_emails(database, signoff_id)
    assert [(e["to"], e["role"], e["rag_from"], e["rag_to"]) for e in emails] == [
        (LEAD, "lead", "green", "amber"),
        (LEAD, "lead", "amber", "red"),
    ]
    assert stored_rag(database, signoff_id) == "red"


def test_the_email_names_the_cause_the_next_meeting_the_forecast_and_the_slack(database, settings, tmp_path):
    signoff_id = start_with_target(database, settings, tmp_path, date(2027, 3, 12))
    refresh(database, settings, signoff_id, AMBER_DAY)
    refresh(database, settings, signoff_id, RED_DAY)
    amber, red = rag_emails(database, signoff_id)
    keys = ("cause_stage", "next_meeting", "forecast", "slack_working_days")
    # Nothing is late against its decide_by yet; vcse's forecast slipped most (15 Dec -> 12 Jan).
    assert [amber[k] for k in keys] == [
        "VCSE Alliance leadership group",
        "Tue 9 March 2027",
        "Tue 9 March 2027",
        3,
    ]
    assert [red[k] for k in keys] == [
        "VCSE Alliance leadership group",
        "Tue 13 April 2027",
        "Tue 13 April 2027",
        -20,
    ]
    text = render("rag_changed", red).text
    assert "VCSE Alliance leadership group" in text
    assert "Tue 13 April 2027" in text


def test_an_improvement_is_stored_without_an_email(database, settings, tmp_path):
    signoff_id = start_with_target(database, settings, tmp_path, date(2027, 3, 12))
    with database.transaction() as connection:
        connection.execute(update(signoffs).where(signoffs.c.id == signoff_id).values(rag="red"))
    assert refresh(database, settings, signoff_id, AMBER_DAY) == "amber"
    assert stored_rag(database, signoff_id) == "amber"
    assert rag_emails(database, signoff_id) == []


def test_the_same_change_to_the_same_forecast_is_never_emailed_twice(database, settings, tmp_path):
    signoff_id = start_with_target(database, settings, tmp_path, date(2027, 3, 12))
    refresh(database, settings, signoff_id, AMBER_DAY)
    with database.transaction() as connection:
        connection.execute(update(signoffs).where(signoffs.c.id == signoff_id).values(rag=None))
    assert refresh(database, settings, signoff_id, AMBER_DAY) == "amber"
    assert len(rag_emails(database, signoff_id)) == 1
