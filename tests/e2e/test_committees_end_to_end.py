"""A committee stage through ``signoff serve`` and the emailed links: the meeting and its deadline
named in the emails and status, no outcome before the meeting, a deferral then an approval at
the next meeting, and a chair's action then its ratification. Time moves by restarting the product
as if later (``SIGNOFF_CLOCK_OFFSET_DAYS``); its data carries over."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

import httpx
import pytest

from governance.adapters.bank_holidays import working_days_for
from governance.adapters.route_files import load_route
from governance.domain.london_time import human_date
from tests.e2e.serve_harness import (
    LONDON,
    HoldingHandler,
    Product,
    action_links,
    decide,
    rehearse_from,
    wait_for,
)
from tests.integration.smtp_server import RunningServer, scripted_server

pytestmark = pytest.mark.slow

LEAD = "lead@icb.example.nhs.uk"
SECRETARY = "board.secretary@icb.example.nhs.uk"
CHAIR = "chair@icb.example.nhs.uk"
MINUTES = {"minute_ref": "2027/01/7", "quorate": "yes"}


@pytest.fixture
def smtp() -> Iterator[RunningServer]:
    with scripted_server(HoldingHandler()) as server:
        yield server


@pytest.fixture
def product(tmp_path, smtp, prefect_api) -> Iterator[Product]:
    running = Product(tmp_path / "data", smtp.port, prefect_api)
    yield running
    running.stop()


def today() -> date:
    return datetime.now(LONDON).date()


def board_route(folder: Path) -> tuple[Path, list[date]]:
    """A one-stage route: the board, meeting at 2pm on three dates from a fortnight ahead."""
    meetings = [today() + timedelta(days=days) for days in (14, 42, 70)]
    path = folder / "board-route.yaml"
    path.write_text(
        f"""id: board-test-route
name: Board test route
organisation: NHS Test ICB
calendars:
  board:
    name: ICB Board
    meetings:
      time: "14:00"
      dates: [{", ".join(d.isoformat() for d in meetings)}]
    paper_deadline_working_days: 2
stages:
  - id: board
    name: ICB Board
    kind: meeting
    calendar: board
    secretary: [{SECRETARY}]
    chairs_action: [{CHAIR}]
""",
        encoding="utf-8",
    )
    return path, meetings


def start(product: Product, folder: Path, route: Path) -> str:
    document = folder / "agreement.md"
    document.write_text("# VCSE partnership agreement\n", encoding="utf-8")
    started = product.cli(
        "start", str(route), "--title", "Board paper", "--document", str(document), "--lead", LEAD, "--json"
    )
    assert started.returncode == 0, started.stderr
    return str(json.loads(started.stdout)["id"])


def emails_to(smtp: RunningServer, recipient: str, count: int) -> list[EmailMessage]:
    return wait_for(
        lambda: (found := [m for m in smtp.handler.received if m["To"] == recipient])[count - 1 :] and found,
        what=f"{count} emails to {recipient}",
    )


def text_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content())


def board(product: Product, signoff_id: str) -> dict[str, object]:
    stage: dict[str, object] = product.status(signoff_id)["stages"][0]
    return stage


def deadline_of(route: Path, meeting: date) -> date:
    workdays = working_days_for(load_route(route), around=meeting)
    return workdays.before(meeting, 2)


def rehearse_to(product: Product, day: date) -> None:
    rehearse_from(product, (day - today()).days)


def test_a_deferral_then_an_approval_at_the_next_meeting(product, smtp, tmp_path):
    route, meetings = board_route(tmp_path)
    product.serve()
    signoff_id = start(product, tmp_path, route)
    first, second = meetings[0], meetings[1]
    invitation = emails_to(smtp, SECRETARY, 1)[0]
    assert f"Paper for ICB Board on {human_date(first)} at 2pm" in invitation["Subject"]
    assert f"Papers for that meeting are due by {human_date(deadline_of(route, first))}" in text_of(
        invitation
    )
    paper = emails_to(smtp, LEAD, 1)[0]
    wording = (
        f"paper for ICB Board on {human_date(first)} at 2pm is due by {human_date(deadline_of(route, first))}"
    )
    assert wording in text_of(paper)
    stage = board(product, signoff_id)
    assert (stage["meeting"], stage["paper_deadline"]) == (
        first.isoformat(),
        deadline_of(route, first).isoformat(),
    )
    plan = json.loads(product.cli("committees", "--json").stdout)["board-test-route/board"]
    assert [p["status"] for m in plan["meetings"] if m["date"] == first.isoformat() for p in m["papers"]] == [
        "booked"
    ]

    link = action_links([invitation], SECRETARY)[0]
    early = httpx.post(link, data={"decision": "approve", **MINUTES})
    assert early.status_code == 409
    assert board(product, signoff_id)["decisions"] == []

    rehearse_to(product, first)
    deferred = decide(link, "defer", "Waiting for the finance annex", minute_ref="2027/01/4")
    assert deferred.status_code == 200
    stage = board(product, signoff_id)
    assert stage["state"] == "open"
    assert stage["meeting"] == second.isoformat()
    assert stage["deferrals"][0]["from"] == first.isoformat()
    assert stage["deferrals"][0]["to"] == second.isoformat()
    assert stage["deferrals"][0]["reason"] == "Waiting for the finance annex"
    moved = emails_to(smtp, LEAD, 2)[1]
    assert human_date(second) in moved["Subject"]
    assert "Waiting for the finance annex" in text_of(moved)
    assert httpx.post(link, data={"decision": "approve", **MINUTES}).status_code == 409

    new_link = action_links(emails_to(smtp, SECRETARY, 3), SECRETARY)[-1]
    assert new_link != link
    rehearse_to(product, second)
    assert decide(new_link, "approve", "Agreed", **MINUTES).status_code == 200
    wait_for(lambda: product.status(signoff_id)["state"] == "approved", what="the sign-off to be approved")
    decisions = board(product, signoff_id)["decisions"]
    assert [(d["decision"], d["minute_ref"], d["meeting"]) for d in decisions] == [
        ("defer", "2027/01/4", first.isoformat()),
        ("approve", "2027/01/7", second.isoformat()),
    ]


def test_a_chairs_action_then_its_ratification_at_the_next_meeting(product, smtp, tmp_path):
    route, meetings = board_route(tmp_path)
    product.serve()
    signoff_id = start(product, tmp_path, route)
    emails_to(smtp, SECRETARY, 1)
    asked = product.cli("chairs-action", signoff_id, "--stage", "board", "--reason", "Needed before 31 March")
    assert asked.returncode == 0, asked.stderr
    chair_link = action_links(emails_to(smtp, CHAIR, 1), CHAIR)[0]
    assert decide(chair_link, "approve", "Approved on the committee's behalf").status_code == 200
    wait_for(lambda: product.status(signoff_id)["state"] == "approved", what="the sign-off to be approved")
    action = board(product, signoff_id)["chairs_action"]
    assert isinstance(action, dict)
    assert action["by"] == CHAIR
    assert action["reason"] == "Needed before 31 March"
    assert action["ratify_at"] == meetings[0].isoformat()
    assert action["ratified_at"] is None
    plan = json.loads(product.cli("committees", "--json").stdout)["board-test-route/board"]
    due = [
        r["signoff"]
        for m in plan["meetings"]
        if m["date"] == meetings[0].isoformat()
        for r in m["ratifications"]
    ]
    assert due == [signoff_id]

    ratification = [m for m in emails_to(smtp, SECRETARY, 2) if "ratify" in m["Subject"].lower()]
    ratify_link = action_links(ratification, SECRETARY)[0]
    assert "can be recorded from" in httpx.get(ratify_link).text
    assert httpx.post(ratify_link, data={"decision": "ratify", "minute_ref": "2027/01/2"}).status_code == 409
    rehearse_to(product, meetings[0])
    assert httpx.post(ratify_link, data={"decision": "ratify", "minute_ref": "2027/01/2"}).status_code == 200
    action = board(product, signoff_id)["chairs_action"]
    assert isinstance(action, dict)
    assert action["minute_ref"] == "2027/01/2"
    assert action["ratified_at"] is not None
    plan = json.loads(product.cli("committees", "--json").stdout)["board-test-route/board"]
    assert not [r for m in plan["meetings"] for r in m["ratifications"]]
