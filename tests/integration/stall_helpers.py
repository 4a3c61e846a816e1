"""A sign-off on a one-stage route that stalls: shared by the reminder and channel tests."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import time_machine

from governance.adapters.database.database import Database
from governance.adapters.route_files import parse_route
from governance.domain.london_time import utc_now
from governance.services.signoffs import NewSignOff, advance_signoff, start_signoff
from governance.settings import Settings

LEAD, DIRECTOR = "lead@icb.example.nhs.uk", "director@icb.example.nhs.uk"
ALICE, BOB = "alice@icb.example.nhs.uk", "bob@icb.example.nhs.uk"
ROUTE = f"""
id: stall-test
name: Stall test route
organisation: NHS Test ICB
channels: ["json://127.0.0.1:9/hook"]
stages:
  - id: legal
    name: ICB legal review
    kind: review
    reviewers: [{ALICE}, {BOB}]
    approvals: all
    due_working_days: 10
    remind_every_working_days: 3
    escalate_after_reminders: 2
    escalate_to: [lead, {DIRECTOR}]
"""
# Opened on Friday 20 March 2026, GMT. Clocks go forward on Sunday 29 March; Good Friday (3 Apr)
# and Easter Monday (6 Apr) are bank holidays; the stage is due on Tuesday 7 April.
OPENED = datetime(2026, 3, 20, 10, 0, tzinfo=UTC)


def start(db: Database, settings: Settings, tmp: Path, *, route: str = ROUTE, at: datetime = OPENED) -> str:
    document = tmp / "agreement.pdf"
    document.write_bytes(b"%PDF-1.4 agreement")
    request = NewSignOff(
        route=parse_route(route, path="stall-test.yaml"),
        route_yaml=route,
        title="VCSE partnership agreement",
        document=document,
        lead=LEAD,
        target=date(2026, 6, 30),
    )
    with time_machine.travel(at, tick=False):
        signoff_id = start_signoff(db, settings, request, now=utc_now())
        advance_signoff(db, settings, signoff_id, now=utc_now())
    return signoff_id
