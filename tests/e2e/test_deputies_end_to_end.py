"""Deputies and absence through ``signoff serve`` and the emailed links: a reviewer hands their
review to a deputy from their page, and an absence recorded with ``signoff away`` sends the next
stage's invitation to the deputy; both deputies decide on behalf of the reviewer."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timedelta

import httpx
import pytest

from tests.e2e.serve_harness import LONDON, HoldingHandler, Product, action_links, decide, wait_for
from tests.integration.smtp_server import RunningServer, scripted_server

pytestmark = pytest.mark.slow

CHAIR, COORDINATOR = "chair@vcse.example.org", "coordinator@vcse.example.org"
VICE_CHAIR = "vice.chair@vcse.example.org"
CFO, ACTING_CFO = "cfo@icb.example.nhs.uk", "acting.cfo@icb.example.nhs.uk"


@pytest.fixture
def smtp() -> Iterator[RunningServer]:
    with scripted_server(HoldingHandler()) as server:
        yield server


@pytest.fixture
def product(tmp_path, smtp, prefect_api) -> Iterator[Product]:
    running = Product(
        tmp_path / "data", smtp.port, prefect_api, extra_env={"SIGNOFF_MAIL_RETRY_SECONDS": "1"}
    )
    yield running
    running.stop()


def link_for(smtp: RunningServer, person: str) -> str:
    return wait_for(lambda: action_links(smtp.handler.received, person), what=f"an email to {person}")[-1]


def text_to(smtp: RunningServer, person: str) -> str:
    found = [m for m in smtp.handler.received if m["To"] == person]
    return "\n".join(str(m.get_body(("plain",)).get_content()) for m in found)


def by_whom(status: dict, stage_id: str) -> list[tuple[str, str | None]]:
    stage = next(s for s in status["stages"] if s["id"] == stage_id)
    return [(d["reviewer"], d["on_behalf_of"]) for d in stage["decisions"]]


def test_deputies_decide_on_behalf_of_a_reviewer_who_handed_on_and_one_who_is_away(product, smtp, tmp_path):
    today = datetime.now(LONDON).date()
    away = product.cli(
        "away", CFO, "--deputy", ACTING_CFO, "--from", str(today), "--until", str(today + timedelta(days=7))
    )
    assert away.returncode == 0, away.stderr
    product.serve()
    started = product.start_spine_signoff(tmp_path)
    assert started.returncode == 0, started.stderr
    signoff_id = str(json.loads(started.stdout)["id"])
    chairs_link = link_for(smtp, CHAIR)
    handed = httpx.post(chairs_link, data={"decision": "delegate", "delegate_to": VICE_CHAIR})
    assert handed.status_code == 200
    assert VICE_CHAIR in handed.text
    deputy_link = link_for(smtp, VICE_CHAIR)
    assert f"{CHAIR} is away or has handed this review to you" in text_to(smtp, VICE_CHAIR)
    assert f"You decide on behalf of {CHAIR}" in httpx.get(deputy_link).text
    assert decide(deputy_link, "approve", "Agreed for the chair").status_code == 200
    assert httpx.post(chairs_link, data={"decision": "approve"}).status_code == 409
    assert decide(link_for(smtp, COORDINATOR), "approve").status_code == 200
    acting_link = link_for(smtp, ACTING_CFO)
    assert f"{CFO} is away or has handed this review to you" in text_to(smtp, ACTING_CFO)
    assert not action_links(smtp.handler.received, CFO)
    assert decide(acting_link, "approve").status_code == 200
    status = product.status(signoff_id)  # the page records the decision before it answers
    assert by_whom(status, "vcse") == [(VICE_CHAIR, CHAIR), (COORDINATOR, None)]
    assert by_whom(status, "finance") == [(ACTING_CFO, CFO)]
    assert "away" in text_to(smtp, CFO)
