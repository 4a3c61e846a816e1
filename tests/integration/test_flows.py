"""The sign-off flows against a real Prefect API, a real database and a real SMTP server."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from flows.runtime import Runtime, running
from flows.signoff import run_advance, run_delivery
from governance.domain.london_time import utc_now
from governance.domain.rules import Verdict
from governance.entrypoints.status_json import status_to_json
from governance.services.signoffs import decide_by_token
from governance.services.status import signoff_status
from tests.integration.signoffs_helpers import links, start_spine_signoff
from tests.integration.smtp_server import scripted_server

VCSE = ["chair@vcse.example.org", "coordinator@vcse.example.org"]


async def flow_runs_tagged(tag: str) -> list[tuple[str, str]]:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterTags

    async with get_client() as client:
        runs = await client.read_flow_runs(flow_run_filter=FlowRunFilter(tags=FlowRunFilterTags(all_=[tag])))
    return sorted((run.name, run.state.type.value if run.state else "") for run in runs)


@pytest.fixture
def sqlite_db(settings):
    from governance.adapters.database.database import Database

    settings.data_dir.mkdir(parents=True, exist_ok=True)
    db = Database(settings.sqlalchemy_url)
    db.migrate()
    yield db
    db.dispose()


def test_the_start_flow_opens_the_first_stage_and_emails_each_reviewer(
    prefect_api, settings, sqlite_db, tmp_path
):
    with scripted_server() as smtp, running(Runtime(settings, sqlite_db, smtp.settings())):
        signoff_id = start_spine_signoff(sqlite_db, settings, now=utc_now(), tmp=tmp_path)
        asyncio.run(run_advance(signoff_id, document="VCSE partnership agreement", step="start"))
    assert sorted(m["To"] for m in smtp.handler.received) == VCSE
    assert all("/a/" in m.get_body(("plain",)).get_content() for m in smtp.handler.received)
    runs = asyncio.run(flow_runs_tagged(f"signoff:{signoff_id}"))
    # The step's run, and the sign-off's story, which stays Running while the sign-off waits.
    assert runs == [
        ("VCSE partnership agreement", "RUNNING"),
        ("VCSE partnership agreement · start", "COMPLETED"),
    ]


def test_a_decision_is_applied_by_a_tagged_flow_run_that_opens_the_next_stages(
    prefect_api, settings, sqlite_db, tmp_path
):
    with scripted_server() as smtp, running(Runtime(settings, sqlite_db, smtp.settings())):
        signoff_id = start_spine_signoff(
            sqlite_db, settings, now=datetime(2026, 11, 2, 10, tzinfo=UTC), tmp=tmp_path
        )
        for reviewer in VCSE:
            token = links(sqlite_db, settings, signoff_id)["vcse", reviewer]
            decide_by_token(
                sqlite_db, token, verdict=Verdict.APPROVE, comment="", now=utc_now(), settings=settings
            )
        happened = asyncio.run(run_advance(signoff_id, document="VCSE partnership agreement", step="advance"))
        asyncio.run(run_advance(signoff_id, document="VCSE partnership agreement", step="advance"))
    assert happened == ["StageCompleted:vcse", "StageOpened:legal", "StageOpened:finance"]
    states = [s["state"] for s in status_to_json(signoff_status(sqlite_db, signoff_id))["stages"]]
    assert states == ["approved", "open", "open", "pending"]
    recipients = sorted(m["To"] for m in smtp.handler.received)
    assert recipients == sorted(
        [
            *VCSE,
            *VCSE,  # the receipts of their decisions
            "lead@icb.example.nhs.uk",
            "legal@icb.example.nhs.uk",
            "deputy.legal@icb.example.nhs.uk",
            "cfo@icb.example.nhs.uk",
        ]
    )
    runs = asyncio.run(flow_runs_tagged(f"signoff:{signoff_id}"))
    assert [name for name, _ in runs] == [
        "VCSE partnership agreement",
        *["VCSE partnership agreement · advance"] * 2,
    ]


def test_mail_left_in_the_outbox_is_sent_by_the_delivery_flow(prefect_api, settings, sqlite_db, tmp_path):
    signoff_id = start_spine_signoff(sqlite_db, settings, now=utc_now(), tmp=tmp_path)
    with scripted_server() as smtp, running(Runtime(settings, sqlite_db, smtp.settings())):
        report = asyncio.run(run_delivery(signoff_id, document="VCSE partnership agreement"))
        again = asyncio.run(run_delivery(signoff_id, document="VCSE partnership agreement"))
    assert len(report["sent"]) == 2
    assert again["sent"] == []
    assert len(smtp.handler.received) == 2


def test_one_dispatcher_pass_starts_new_signoffs_and_sends_their_mail(
    prefect_api, settings, sqlite_db, tmp_path
):
    from flows.dispatcher import run_owed_work
    from governance.adapters.route_files import parse_route
    from governance.services.signoffs import NewSignOff, start_signoff
    from tests.integration.signoffs_helpers import SPINE_ROUTE

    document = tmp_path / "agreement.pdf"
    document.write_bytes(b"agreement")
    text = SPINE_ROUTE.read_text()
    request = NewSignOff(
        parse_route(text, path="spine"), text, "Agreement", document, "lead@icb.example.nhs.uk", None
    )
    signoff_id = start_signoff(sqlite_db, settings, request, now=utc_now())
    with scripted_server() as smtp:
        runtime = Runtime(settings, sqlite_db, smtp.settings())
        assert asyncio.run(run_owed_work(runtime)) == 1
        assert asyncio.run(run_owed_work(runtime)) == 0
    assert sorted(m["To"] for m in smtp.handler.received) == VCSE
    assert status_to_json(signoff_status(sqlite_db, signoff_id))["stages"][0]["state"] == "open"


def test_a_pass_after_a_decision_sends_its_receipt_within_the_advance_run_not_in_a_run_of_its_own(
    prefect_api, settings, sqlite_db, tmp_path
):
    from flows.dispatcher import prefect_clients, run_owed_work

    async def one_pass(runtime: Runtime) -> int:
        async with prefect_clients():  # as the dispatcher's thread runs it
            return await run_owed_work(runtime)

    with scripted_server() as smtp:
        runtime = Runtime(settings, sqlite_db, smtp.settings())
        signoff_id = start_spine_signoff(sqlite_db, settings, now=utc_now(), tmp=tmp_path)
        assert asyncio.run(run_owed_work(runtime)) == 1  # a delivery run: the first stage's invitations
        token = links(sqlite_db, settings, signoff_id)["vcse", VCSE[0]]
        now = utc_now()
        decide_by_token(sqlite_db, token, verdict=Verdict.APPROVE, comment="", now=now, settings=settings)
        assert asyncio.run(one_pass(runtime)) == 1
        assert asyncio.run(one_pass(runtime)) == 0
    assert sorted(m["To"] for m in smtp.handler.received) == sorted([*VCSE, VCSE[0]])  # and the receipt
    runs = asyncio.run(flow_runs_tagged(f"signoff:{signoff_id}"))
    assert [name for name, _ in runs] == [
        "VCSE partnership agreement",
        "VCSE partnership agreement · advance",  # the decision's: it sent the receipt too
        "VCSE partnership agreement · send email",  # the invitations'
    ]
