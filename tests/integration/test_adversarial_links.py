"""Reviewer links tried as an attacker would, on SQLite and PostgreSQL: scanners, replays, expired and
replaced links, forged headers, cross-site forms, floods of bad tokens, racing POSTs."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import timedelta

import pytest
import time_machine
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from governance.adapters.database.database import Database
from governance.adapters.database.tables import outbox
from governance.domain.rules import Verdict
from governance.entrypoints.status_json import status_to_json
from governance.entrypoints.web import create_app
from governance.services import audit as trail
from governance.services.reminders import remind_now
from governance.services.signoffs import cancel_signoff, decide_by_token
from governance.services.status import signoff_status
from governance.settings import Settings
from tests.integration.web_fixtures import FINANCE, STARTED, Example, sign_in, start_example, tamper

SOON = STARTED + timedelta(hours=2)  # Monday 2 March 2026, 11:00; the Finance review is due 9 March
REFUSED_NOTICE = "This link is not recognised"


@pytest.fixture
def site(database: Database, settings: Settings) -> Iterator[tuple[TestClient, Example]]:
    with time_machine.travel(SOON, tick=True):
        example = start_example(settings, database)
        with TestClient(create_app(settings, database)) as client:
            yield client, example


def decisions(example: Example) -> list[tuple[str, str]]:
    stages = status_to_json(signoff_status(example.db, example.signoff_id))["stages"]
    return [(d["reviewer"], d["decision"]) for s in stages for d in s["decisions"]]


def test_scanners_fetching_every_link_five_times_change_nothing_and_a_decision_still_works(
    site: tuple[TestClient, Example],
) -> None:
    client, example = site
    for token in example.tokens.values():
        for _ in range(5):
            assert client.get(f"/a/{token}").status_code == 200
            assert client.head(f"/a/{token}").status_code == 200
            assert client.get(f"/a/{token}/document").status_code == 200
    assert decisions(example) == []
    viewed = [e for e in trail.entries_of(example.db, example.signoff_id) if e.facts.kind == "link_viewed"]
    assert len(viewed) == 15 * len(example.tokens)
    assert client.post(f"/a/{example.tokens[FINANCE[0]]}", data={"decision": "approve"}).status_code == 200
    assert decisions(example) == [(FINANCE[0], "approve")]


def test_a_used_link_shows_its_decision_and_a_replay_records_nothing(
    site: tuple[TestClient, Example],
) -> None:
    client, example = site
    link = f"/a/{example.tokens[FINANCE[0]]}"
    assert client.post(link, data={"decision": "approve"}).status_code == 200
    replay = client.post(link, data={"decision": "reject"})
    assert replay.status_code == 200
    assert "approval" in replay.text.lower()
    assert decisions(example) == [(FINANCE[0], "approve")]


def test_a_reminders_fresh_link_replaces_the_earlier_one(
    site: tuple[TestClient, Example], settings: Settings
) -> None:
    client, example = site
    old = f"/a/{example.tokens[FINANCE[0]]}"
    remind_now(example.db, settings, example.signoff_id, now=SOON)
    page = client.get(old)
    assert page.status_code == 200
    assert "replaces this one" in page.text
    assert client.post(old, data={"decision": "approve"}).status_code == 409
    assert decisions(example) == []
    fresh = newest_link(example, FINANCE[0])
    assert fresh != old
    assert client.post(fresh, data={"decision": "approve"}).status_code == 200
    assert decisions(example) == [(FINANCE[0], "approve")]


def newest_link(example: Example, reviewer: str) -> str:
    from governance.services.tokens import token_from_nonce

    query = select(outbox.c.token_nonce).where(
        outbox.c.recipient == reviewer, outbox.c.token_nonce.is_not(None)
    )
    with example.db.transaction() as connection:
        nonce = connection.execute(query.order_by(outbox.c.id.desc())).scalars().first()
    return f"/a/{token_from_nonce(str(nonce), example.settings.signing_key())}"


def test_a_link_long_past_its_stages_due_date_has_expired_and_says_so(
    site: tuple[TestClient, Example],
) -> None:
    client, example = site
    link = f"/a/{example.tokens[FINANCE[0]]}"
    with time_machine.travel(STARTED + timedelta(days=60), tick=True):
        page = client.get(link)
        assert "This link has expired" in page.text
        assert client.post(link, data={"decision": "approve"}).status_code == 409
    assert decisions(example) == []


def test_a_cancelled_signoffs_link_says_why_and_records_nothing(
    site: tuple[TestClient, Example], settings: Settings
) -> None:
    client, example = site
    cancel_signoff(example.db, settings, example.signoff_id, now=SOON)
    link = f"/a/{example.tokens[FINANCE[0]]}"
    assert "cancelled" in client.get(link).text
    assert client.post(link, data={"decision": "approve"}).status_code == 409
    assert decisions(example) == []


def test_tampered_random_and_malformed_tokens_all_get_the_same_neutral_404(
    site: tuple[TestClient, Example],
) -> None:
    client, example = site
    bad = [tamper(example.tokens[FINANCE[0]]), "A" * 43, "not-a-token", "x" * 44, "%00", "etc%2Fpasswd"]
    answers = {(r.status_code, r.text) for r in (client.get(f"/a/{token}") for token in bad)}
    assert len(answers) == 1
    status, body = answers.pop()
    assert status == 404
    assert REFUSED_NOTICE in body
    assert example.signoff_id not in body


def test_a_thousand_bad_tokens_from_one_address_are_rate_limited(site: tuple[TestClient, Example]) -> None:
    client, _ = site
    statuses = [client.get(f"/a/{'B' * 42}{n % 10}").status_code for n in range(1000)]
    assert statuses[:60] == [404] * 60
    assert set(statuses[60:]) == {429}
    limited = client.get("/a/" + "C" * 43)
    assert limited.status_code == 429
    assert 1 <= int(limited.headers["retry-after"]) <= 60


def test_a_forged_host_header_and_redirect_parameters_are_ignored(site: tuple[TestClient, Example]) -> None:
    client, example = site
    forged = {"host": "evil.example"}
    slash = client.get(f"/a/{example.tokens[FINANCE[0]]}/", headers=forged, follow_redirects=False)
    assert slash.status_code == 404
    assert "evil.example" not in slash.headers.get("location", "")
    home = client.get("/?next=https://evil.example/", headers=forged, follow_redirects=False)
    assert home.headers["location"] in {"/login", "/signoffs"}
    login = client.get("/login?next=https://evil.example/", headers=forged)
    assert "evil.example" not in login.text


def test_a_cross_site_post_is_refused_and_records_nothing(site: tuple[TestClient, Example]) -> None:
    client, example = site
    link = f"/a/{example.tokens[FINANCE[0]]}"
    for headers in ({"origin": "https://evil.example"}, {"sec-fetch-site": "cross-site"}, {"origin": "null"}):
        assert client.post(link, data={"decision": "reject"}, headers=headers).status_code == 403
    assert decisions(example) == []
    same_site = {"origin": "http://signoff.test", "sec-fetch-site": "same-origin"}
    assert client.post(link, data={"decision": "approve"}, headers=same_site).status_code == 200
    assert client.post(f"/a/{example.tokens[FINANCE[1]]}", data={"decision": "approve"}).status_code == 200
    assert decisions(example) == [(FINANCE[0], "approve"), (FINANCE[1], "approve")]


def test_twenty_racing_posts_of_one_link_record_one_decision(site: tuple[TestClient, Example]) -> None:
    _, example = site
    token = example.tokens[FINANCE[0]]
    results: list[bool] = []

    def decide(verdict: Verdict) -> None:
        result = decide_by_token(
            example.db, token, verdict=verdict, comment="", now=SOON, settings=example.settings
        )
        results.append(bool(result and result.recorded))

    verdicts = [Verdict.APPROVE, Verdict.REJECT] * 10
    threads = [threading.Thread(target=decide, args=(v,)) for v in verdicts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results.count(True) == 1
    assert len(decisions(example)) == 1


def test_every_decision_sends_a_receipt_without_any_link(site: tuple[TestClient, Example]) -> None:
    client, example = site
    client.post(f"/a/{example.tokens[FINANCE[0]]}", data={"decision": "changes", "comment": "See 4.2"})
    query = select(outbox.c.recipient, outbox.c.token_nonce, outbox.c.context).where(
        outbox.c.kind == "decision_receipt"
    )
    with example.db.transaction() as connection:
        receipts = connection.execute(query).all()
    assert [(r.recipient, r.token_nonce) for r in receipts] == [(FINANCE[0], None)]
    assert "/a/" not in receipts[0].context


def test_a_decision_within_a_minute_of_its_email_is_flagged_possibly_automated(
    site: tuple[TestClient, Example],
) -> None:
    client, example = site
    with example.db.transaction() as connection:  # the invitations went out a few seconds ago
        connection.execute(update(outbox).values(state="sent", sent_at=SOON - timedelta(seconds=5)))
    client.post(f"/a/{example.tokens[FINANCE[0]]}", data={"decision": "approve"})
    decided = [e for e in trail.entries_of(example.db, example.signoff_id) if e.facts.kind == "decided"]
    assert len(decided) == 1
    assert decided[0].facts.details["possibly_automated"] is True
    assert decided[0].facts.client_address == "testclient"
    sign_in(client, example.db)
    assert "Possibly automated" in client.get(f"/signoffs/{example.signoff_id}").text
