"""``signoff serve`` driven as people use it: the CLI, emailed links, decisions, and a crash."""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Iterator

import httpx
import pytest

from tests.e2e.serve_harness import (
    HoldingHandler,
    Product,
    action_links,
    days_until_meeting,
    decide,
    rehearse_from,
    wait_for,
)
from tests.integration.smtp_server import RunningServer, scripted_server

pytestmark = pytest.mark.slow

LEAD = "lead@icb.example.nhs.uk"
VCSE = ["chair@vcse.example.org", "coordinator@vcse.example.org"]
LEGAL = ["legal@icb.example.nhs.uk", "deputy.legal@icb.example.nhs.uk"]
CFO, SECRETARY = "cfo@icb.example.nhs.uk", "exec.secretary@icb.example.nhs.uk"
SETTLE_SECONDS = 2.0


@pytest.fixture
def smtp() -> Iterator[RunningServer]:
    with scripted_server(HoldingHandler()) as server:
        yield server


@pytest.fixture
def product(tmp_path, smtp, prefect_api) -> Iterator[Product]:
    running = Product(
        tmp_path / "data",
        smtp.port,
        prefect_api,
        extra_env={
            "SIGNOFF_SMTP_TIMEOUT_SECONDS": "30",
            "SIGNOFF_MAIL_LEASE_SECONDS": "5",
            "SIGNOFF_MAIL_RETRY_SECONDS": "1",
        },
    )
    yield running
    running.stop()


def start_signoff(product: Product, tmp_path) -> str:
    started = product.start_spine_signoff(tmp_path)
    assert started.returncode == 0, started.stderr
    return str(json.loads(started.stdout)["id"])


def link_for(smtp: RunningServer, reviewer: str) -> str:
    return wait_for(lambda: action_links(smtp.handler.received, reviewer), what=f"an email to {reviewer}")[-1]


def mail_count(smtp: RunningServer, count: int) -> None:
    wait_for(lambda: len(smtp.handler.received) >= count, what=f"{count} emails")


def approve_everything_after_vcse(product: Product, smtp: RunningServer, signoff_id: str) -> None:
    assert decide(link_for(smtp, LEGAL[0]), "approve", "Legally sound").status_code == 200
    late = decide(link_for(smtp, LEGAL[1]), "approve")
    assert late.status_code == 409
    assert "not needed" in late.text.lower() or "closed" in late.text.lower()
    assert decide(link_for(smtp, CFO), "approve").status_code == 200
    secretary = link_for(smtp, SECRETARY)
    minutes = {"minute_ref": "2027/01/7", "quorate": "yes"}
    early = httpx.post(secretary, data={"decision": "approve", **minutes})
    assert early.status_code == 409
    assert "can be recorded from" in early.text
    rehearse_from(product, days_until_meeting(product, signoff_id, "exec"))
    assert decide(secretary, "approve", "Minuted at the meeting", **minutes).status_code == 200
    wait_for(lambda: product.status(signoff_id)["state"] == "approved", what="the sign-off to be approved")


def expected_recipients() -> Counter[str]:
    """Each reviewer who decides: an invitation, a receipt of the decision and the outcome; the lead:
    three stage completions, the committee paper's deadline and the outcome; the deputy, whose
    decision the legal stage ('any') no longer needed after the first approval: an invitation, a
    notice and the outcome."""
    return Counter({**dict.fromkeys([*VCSE, LEGAL[0], CFO, SECRETARY], 3), LEGAL[1]: 3, LEAD: 5})


def assert_each_email_delivered_once(smtp: RunningServer) -> None:
    mail_count(smtp, sum(expected_recipients().values()))
    time.sleep(SETTLE_SECONDS)
    received = smtp.handler.received
    assert Counter(m["To"] for m in received) == expected_recipients()
    assert len({m["Message-ID"] for m in received}) == len(received)


def test_a_signoff_runs_end_to_end_under_signoff_serve(product, smtp, tmp_path):
    product.serve()
    signoff_id = start_signoff(product, tmp_path)
    link = link_for(smtp, VCSE[0])
    before = product.status(signoff_id)
    assert httpx.get(link).status_code == 200
    assert httpx.head(link).status_code == 200
    assert product.status(signoff_id) == before
    recorded = decide(link, "approve", "Agreed by the alliance")
    assert recorded.status_code == 200
    again = httpx.post(link, data={"decision": "reject", "comment": "changed my mind"})
    assert again.status_code == 200
    assert "approv" in again.text.lower()
    assert decide(link_for(smtp, VCSE[1]), "approve").status_code == 200
    approve_everything_after_vcse(product, smtp, signoff_id)
    status = product.status(signoff_id)
    assert [s["state"] for s in status["stages"]] == ["approved"] * 4
    assert [d["decision"] for d in status["stages"][0]["decisions"]] == ["approve", "approve"]
    assert_each_email_delivered_once(smtp)
    with product.signed_in() as officer:
        api = officer.get(f"/api/signoffs/{signoff_id}").json()
    assert api == product.status(signoff_id)


def test_a_killed_server_carries_on_after_a_restart_with_every_email_once(product, smtp, tmp_path):
    product.serve()
    signoff_id = start_signoff(product, tmp_path)
    first = [link_for(smtp, reviewer) for reviewer in VCSE]
    handler = smtp.handler
    assert isinstance(handler, HoldingHandler)
    handler.hold = {LEAD, *LEGAL, CFO}
    for link in first:
        assert decide(link, "approve").status_code == 200
    wait_for(lambda: handler.held, what="the next stage's emails to be on their way")
    product.kill()
    handler.hold = set()
    assert product.status(signoff_id)["stages"][1]["state"] == "open"
    assert not [m for m in handler.received if m["To"] in LEGAL]
    product.serve()
    approve_everything_after_vcse(product, smtp, signoff_id)
    assert_each_email_delivered_once(smtp)
