"""The forward plan over a real database: every committee's coming meetings with their deadlines,
the papers sign-offs will bring (forecast, planned, booked) and cancelled meetings."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

from governance.adapters.route_files import parse_route
from governance.domain.access import Account, Role
from governance.domain.london_time import LONDON, utc_now
from governance.entrypoints.forward_plan_json import forward_plan_to_json
from governance.services.forward_plan import forward_plan
from governance.services.key_dates import key_dates_of
from governance.services.signoffs import NewSignOff, advance_signoff, start_signoff
from tests.integration.web_fixtures import LEAD, make_database, make_settings

TODAY = datetime.now(LONDON).date()
CANCELLED = TODAY + timedelta(days=40)
ROUTE = f"""\
id: plan-route
name: Plan route
organisation: NHS Example ICB
calendars:
  exec:
    name: ICB Executive Committee
    meetings:
      rrule: "FREQ=WEEKLY;BYDAY=TU"
      dtstart: 2026-01-06
      cancelled: [{CANCELLED.isoformat()}]
      time: "10:00"
    paper_deadline_working_days: 3
stages:
  - {{id: legal, name: Legal review, kind: review, reviewers: [legal@example.nhs.uk], due_working_days: 10}}
  - id: exec
    name: ICB Executive Committee
    kind: meeting
    calendar: exec
    secretary: [sec@example.nhs.uk]
"""


def started(tmp_path: Path, target: date):
    settings = make_settings(tmp_path / "data")
    db = make_database(settings)
    document = settings.data_dir / "paper.txt"
    document.write_text("agreement", encoding="utf-8")
    route = parse_route(ROUTE, path="plan-route.yaml")
    request = NewSignOff(route, ROUTE, "Partnership agreement", document, LEAD, target)
    signoff_id = start_signoff(db, settings, request, now=utc_now())
    advance_signoff(db, settings, signoff_id, now=utc_now())
    return db, route, signoff_id


def test_a_stage_still_to_open_is_on_its_forecast_meeting_and_its_planned_one(tmp_path):
    db, route, signoff_id = started(tmp_path, TODAY + timedelta(days=120))
    plans = forward_plan_to_json(forward_plan(db, [route], today=TODAY, days=200))
    committee = plans["plan-route/exec"]
    assert committee["name"] == "ICB Executive Committee"
    assert all(m["time"] == "10:00" for m in committee["meetings"])
    assert all(date.fromisoformat(m["date"]).weekday() == 1 for m in committee["meetings"])
    assert committee["cancelled"] == [CANCELLED.isoformat()]
    assert CANCELLED.isoformat() not in [m["date"] for m in committee["meetings"]]
    papers = {(m["date"], p["status"]) for m in committee["meetings"] for p in m["papers"]}
    with db.read() as uow:
        signoff = uow.signoffs.get(signoff_id)
    dates = key_dates_of(signoff, today=TODAY).stages["exec"]
    expected = {(dates.forecast_decide.isoformat(), "forecast")}
    if dates.decide_by != dates.forecast_decide:
        expected.add((dates.decide_by.isoformat(), "planned"))
    assert papers == expected
    paper = next(p for m in committee["meetings"] for p in m["papers"] if p["status"] == "forecast")
    assert (paper["signoff"], paper["stage"], paper["lead"]) == (signoff_id, "exec", LEAD)
    db.dispose()


def test_papers_of_sign_offs_a_person_may_not_see_are_left_out(tmp_path):
    db, route, _ = started(tmp_path, TODAY + timedelta(days=120))
    stranger = Account("lead@other.nhs.uk", Role.LEAD, ("NHS Other ICB",))
    plans = forward_plan(db, [route], today=TODAY, days=200, seen_by=stranger)
    assert [p for m in plans[0].meetings.values() for p in m.papers] == []
    assert plans[0].meetings
    db.dispose()
