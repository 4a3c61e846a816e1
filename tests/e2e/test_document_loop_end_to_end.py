"""The document loop under ``signoff serve``, through the emailed links as reviewers use them: changes
go back to the lead, a revised version comes round again with what changed, a veto ends a
sign-off, and conditional stages run or are skipped by the sign-off's tags."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.e2e.serve_harness import Product, action_links, decide, wait_for
from tests.integration.smtp_server import RunningServer, ScriptedHandler, scripted_server

pytestmark = pytest.mark.slow

LEAD = "lead@icb.example.nhs.uk"
VCSE = ["chair@vcse.example.org", "coordinator@vcse.example.org"]
CFO, LEGAL, COUNSEL = "cfo@icb.example.nhs.uk", "legal@icb.example.nhs.uk", "counsel@icb.example.nhs.uk"
FIRST = "Partnership agreement\n\nThe ICB will fund the alliance for two years.\n\nReview in 2028.\n"
INSERTED = re.compile(r"<ins><span class=\"visually-hidden\">added: </span>(.*?)<span")
DELETED = re.compile(r"<del><span class=\"visually-hidden\">removed: </span>(.*?)<span")
SECOND = "Partnership agreement\n\nThe ICB will fund the alliance for three years.\n\nReview in 2028.\n"


@pytest.fixture
def smtp() -> Iterator[RunningServer]:
    with scripted_server(ScriptedHandler()) as server:
        yield server


@pytest.fixture
def product(tmp_path, smtp, prefect_api) -> Iterator[Product]:
    running = Product(tmp_path / "data", smtp.port, prefect_api)
    running.serve()
    yield running
    running.stop()


def start(product: Product, folder: Path, *tags: str) -> str:
    document = folder / "agreement.md"
    document.write_text(FIRST)
    tagged = [arg for tag in tags for arg in ("--tag", tag)]
    started = product.cli(
        "start", "loop-test-route", "--title", "VCSE partnership agreement", "--document", str(document),
        "--lead", LEAD, "--target", "2027-03-31", "--json", *tagged,
    )  # fmt: skip
    assert started.returncode == 0, started.stderr
    return str(json.loads(started.stdout)["id"])


def links_to(smtp: RunningServer, reviewer: str, count: int = 1) -> list[str]:
    """The action links emailed to ``reviewer``, once there are at least ``count`` of them."""

    def enough() -> list[str] | None:
        found = list(dict.fromkeys(action_links(smtp.handler.received, reviewer)))  # one per email
        return found if len(found) >= count else None

    return list(wait_for(enough, what=f"{count} emailed link(s) to {reviewer}"))


def bodies_to(smtp: RunningServer, recipient: str) -> list[str]:
    return [m.get_body(("plain",)).get_content() for m in smtp.handler.received if m["To"] == recipient]


def stages(product: Product, signoff_id: str) -> dict[str, dict]:
    return {stage["id"]: stage for stage in product.status(signoff_id)["stages"]}


def state_of(product: Product, signoff_id: str) -> str:
    return str(product.status(signoff_id)["state"])


def test_changes_then_a_revision_then_approval_with_one_stage_reapproving_and_one_not(
    product, smtp, tmp_path
):
    signoff_id = start(product, tmp_path, "financial")
    opening = stages(product, signoff_id)
    assert opening["estates"]["state"] == "skipped"
    assert "estates" in opening["estates"]["skipped_reason"]
    for reviewer in VCSE:
        assert decide(links_to(smtp, reviewer)[-1], "approve").status_code == 200
    assert decide(links_to(smtp, CFO)[-1], "approve", "Within budget").status_code == 200
    asked = decide(links_to(smtp, LEGAL)[-1], "changes", "Say how long the funding lasts")
    assert asked.status_code == 200
    wait_for(
        lambda: state_of(product, signoff_id) == "changes_requested", what="the sign-off to wait for changes"
    )
    wait_for(
        lambda: any("Say how long the funding lasts" in b for b in bodies_to(smtp, LEAD)),
        what="the lead's email",
    )

    revised = tmp_path / "agreement-v2.md"
    revised.write_text(SECOND)
    result = product.cli(
        "revise", signoff_id, "--document", str(revised), "--note", "Funding period", "--json"
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["version"] == 2

    second_link = links_to(smtp, VCSE[0], count=2)[-1]
    invitation = next(body for body in bodies_to(smtp, VCSE[0]) if second_link in body)
    assert "version 2" in invitation.lower()
    assert "Funding period" in invitation
    page = httpx.get(second_link).text
    assert INSERTED.findall(page) == ["three"]
    assert DELETED.findall(page) == ["two"]
    assert "Funding period" in page  # the lead's note
    for reviewer in VCSE:
        assert decide(links_to(smtp, reviewer, count=2)[-1], "approve").status_code == 200
    assert decide(links_to(smtp, LEGAL, count=2)[-1], "approve", "Clear now").status_code == 200
    wait_for(lambda: state_of(product, signoff_id) == "approved", what="the sign-off to be approved")

    final = stages(product, signoff_id)
    assert [d["version"] for d in final["vcse"]["decisions"]] == [1, 1, 2, 2]
    assert [d["version"] for d in final["finance"]["decisions"]] == [1]  # approved once, not asked again
    assert [(d["decision"], d["version"]) for d in final["legal"]["decisions"]] == [
        ("changes", 1),
        ("approve", 2),
    ]
    assert len(links_to(smtp, CFO)) == 1


def test_a_veto_holders_reject_rejects_a_stage_that_any_one_approval_would_pass(product, smtp, tmp_path):
    signoff_id = start(product, tmp_path)
    assert stages(product, signoff_id)["finance"]["state"] == "skipped"
    for reviewer in VCSE:
        assert decide(links_to(smtp, reviewer)[-1], "approve").status_code == 200
    counsel = links_to(smtp, COUNSEL)[-1]
    unconfirmed = decide(counsel, "reject", "The indemnity clause exposes the ICB")
    assert unconfirmed.status_code == 200
    assert state_of(product, signoff_id) == "in_progress"  # asked to confirm; nothing recorded yet
    confirmed = decide(counsel, "reject", "The indemnity clause exposes the ICB", confirm="yes")
    assert confirmed.status_code == 200
    wait_for(lambda: state_of(product, signoff_id) == "rejected", what="the veto to reject the sign-off")
    assert stages(product, signoff_id)["legal"]["state"] == "rejected"
    assert not action_links(smtp.handler.received, CFO)  # the skipped finance stage invited nobody
