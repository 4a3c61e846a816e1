"""The web app over a real SQLite database, with sign-offs made through the real services."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from governance.adapters.database.database import Database
from governance.adapters.database.tables import action_tokens, decisions
from governance.adapters.mail.sink import free_port, store
from governance.adapters.runtime_file import write_runtime
from governance.domain.london_time import human_time
from governance.entrypoints.status_json import status_to_json
from governance.entrypoints.web import create_app
from governance.services.status import signoff_status
from notifications.message import OutgoingEmail
from tests.integration.web_fixtures import (
    FINANCE,
    OFFICER,
    ORGANISATION,
    STARTED,
    TITLE,
    Example,
    make_database,
    make_settings,
    session_cookie,
    sign_in,
    start_example,
    tamper,
)

PRIVATE = {"cache-control": "no-store", "referrer-policy": "no-referrer", "x-robots-tag": "noindex"}
HOSTILE = "<script>alert('owned')</script>"


@dataclass
class Site:
    client: TestClient
    example: Example
    changes: list[str] = field(default_factory=list)

    def status(self) -> dict[str, Any]:
        return status_to_json(signoff_status(self.example.db, self.example.signoff_id))

    def link(self, reviewer: str = FINANCE[0]) -> str:
        return f"/a/{self.example.tokens[reviewer]}"


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    settings = make_settings(tmp_path / "data")
    db = make_database(settings)
    changes: list[str] = []
    app = create_app(settings, db, on_change=lambda: changes.append("decision"))
    with TestClient(app) as client:
        sign_in(client, db)
        yield Site(client, start_example(settings, db), changes)
    db.dispose()


def decide(site: Site, reviewer: str, decision: str, comment: str = "") -> Any:
    """Post the decision form; a reject comes confirmed (``confirm=yes``), as its second step posts it."""
    form = {"decision": decision, "comment": comment, "confirm": "yes"}
    return site.client.post(site.link(reviewer), data=form)


def token_uses(site: Site) -> list[tuple[Any, Any]]:
    with site.example.db.transaction() as connection:
        rows = connection.execute(select(action_tokens.c.used_at, action_tokens.c.revoked_at))
        return [tuple(row) for row in rows]


def test_a_link_shows_the_document_its_stage_and_one_form_with_three_decisions(site: Site) -> None:
    page = site.client.get(site.link())
    sha256 = site.status()["document_sha256"]
    assert page.status_code == 200
    for shown in (TITLE, "Finance review", sha256[:12], sha256, FINANCE[1], "Mon 9 March 2026", ORGANISATION):
        assert shown in page.text
    assert "All 2 reviewers must approve" in page.text
    assert f'href="{site.link()}/document"' in page.text
    assert page.text.count("<form") == 2  # the decision, and handing the review to a deputy
    assert 'method="post"' in page.text
    buttons = re.findall(r'<button[^>]*name="decision" value="(\w+)"', page.text)
    assert sorted(buttons) == ["approve", "changes", "delegate", "reject"]
    assert '<textarea id="comment" name="comment"' in page.text


def test_action_pages_are_never_cached_never_referred_and_never_indexed(site: Site) -> None:
    for response in (site.client.get(site.link()), site.client.get("/a/not-a-token")):
        assert {name: response.headers.get(name) for name in PRIVATE} == PRIVATE


def test_get_and_head_of_a_link_change_nothing(site: Site) -> None:
    before, uses_before = site.status(), token_uses(site)
    assert site.client.get(site.link()).status_code == 200
    assert site.client.head(site.link()).status_code == 200
    assert site.client.head(f"{site.link()}/document").status_code == 200
    assert site.status() == before
    assert token_uses(site) == uses_before
    assert site.changes == []


def test_the_document_link_streams_the_stored_file_under_its_name(site: Site) -> None:
    before = site.status()
    response = site.client.get(f"{site.link()}/document")
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF-1.4")
    assert 'filename="vcse-agreement.pdf"' in response.headers["content-disposition"]
    assert response.headers["content-type"] == "application/pdf"
    assert site.status() == before


def test_posting_a_decision_records_it_and_says_what_happens_next(site: Site) -> None:
    response = decide(site, FINANCE[0], "approve", "Affordable within the 2026/27 plan.")
    assert response.status_code == 200
    assert f"Thank you - your approval of {TITLE} has been recorded" in response.text
    assert f"still to respond: {FINANCE[1]}" in response.text
    finance = site.status()["stages"][0]
    assert [(d["reviewer"], d["decision"], d["comment"]) for d in finance["decisions"]] == [
        (FINANCE[0], "approve", "Affordable within the 2026/27 plan.")
    ]
    assert site.changes == ["decision"]


def test_the_decision_that_settles_a_stage_says_which_stages_come_next(site: Site) -> None:
    decide(site, FINANCE[0], "approve")
    response = decide(site, FINANCE[1], "approve")
    assert response.status_code == 200
    assert "That settles the Finance review stage as approved" in response.text
    assert "Next: Quality review and Clinical review" in response.text


def test_a_second_post_shows_the_recorded_decision_and_changes_nothing(site: Site) -> None:
    decide(site, FINANCE[0], "approve", "First thoughts.")
    after_first = site.status()
    again = decide(site, FINANCE[0], "reject", "Second thoughts.")
    assert again.status_code == 200
    assert "You have already responded" in again.text
    assert "First thoughts." in again.text
    assert "<form" not in again.text
    assert site.status() == after_first
    assert site.changes == ["decision"]


def test_a_tampered_or_malformed_token_gets_a_404_saying_the_link_is_not_recognised(site: Site) -> None:
    before = site.status()
    tampered = f"/a/{tamper(site.example.tokens[FINANCE[0]])}"
    responses = [
        site.client.get(tampered),
        site.client.post(tampered, data={"decision": "approve"}),
        site.client.get(f"{tampered}/document"),
        site.client.get("/a/short"),
        site.client.get("/a/%3Cscript%3E"),
    ]
    for response in responses:
        assert response.status_code == 404
        assert "This link is not recognised" in response.text
        assert "contact the person who sent you the email" in response.text
        assert "Traceback" not in response.text
    assert site.status() == before


def test_a_decision_after_the_stage_closed_is_refused_politely_and_changes_nothing(site: Site) -> None:
    decide(site, FINANCE[0], "reject", "Not affordable.")
    before = site.status()
    late = decide(site, FINANCE[1], "approve")
    assert late.status_code == 409
    assert "Your decision was not needed" in late.text
    assert "nothing has changed" in late.text
    assert "<form" not in late.text
    assert site.status() == before
    assert site.changes == ["decision"]


def test_a_link_whose_stage_closed_without_the_reviewer_says_so_without_a_form(site: Site) -> None:
    decide(site, FINANCE[0], "changes", "Please add the exit clause.")
    page = site.client.get(site.link(FINANCE[1]))
    assert page.status_code == 200
    assert "This review has closed" in page.text
    assert "<form" not in page.text


def test_a_decision_that_is_not_one_of_the_three_gets_a_422_page_and_records_nothing(site: Site) -> None:
    before = site.status()
    response = decide(site, FINANCE[0], "maybe", "Let me think.")
    assert response.status_code == 422
    assert "Choose Approve, Request changes or Reject" in response.text
    assert "Let me think." in response.text
    assert site.status() == before
    assert site.changes == []


def test_a_decision_on_a_document_that_changed_since_the_page_opened_is_refused(site: Site) -> None:
    form = {"decision": "approve", "comment": "", "document_sha256": "0" * 64}
    response = site.client.post(site.link(), data=form)
    assert response.status_code == 409
    assert "The document has changed since you opened this page" in response.text
    assert site.status()["stages"][0]["decisions"] == []


def test_the_api_returns_exactly_the_signoff_status(site: Site) -> None:
    decide(site, FINANCE[0], "approve", "Fine.")
    response = site.client.get(f"/api/signoffs/{site.example.signoff_id}")
    assert response.status_code == 200
    assert response.json() == site.status()


def test_the_api_lists_every_signoff_and_answers_json_404_for_an_unknown_one(site: Site) -> None:
    listed = site.client.get("/api/signoffs").json()
    assert [s["id"] for s in listed] == [site.example.signoff_id]
    unknown = site.client.get("/api/signoffs/nope")
    assert unknown.status_code == 404
    assert "nope" in unknown.json()["detail"]


def test_healthz_is_200_when_the_database_answers(site: Site) -> None:
    response = site.client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_the_dashboard_links_each_signoff_to_its_timeline(site: Site) -> None:
    page = site.client.get("/signoffs")
    assert page.status_code == 200
    assert f'href="/signoffs/{site.example.signoff_id}"' in page.text
    for shown in (TITLE, "contracts-over-250k", "Finance review", ORGANISATION, "Thu 30 April 2026"):
        assert shown in page.text


def test_the_timeline_groups_parallel_stages_and_shows_decisions_and_who_is_awaited(site: Site) -> None:
    decide(site, FINANCE[0], "approve", "Affordable.")
    page = site.client.get(f"/signoffs/{site.example.signoff_id}")
    assert page.status_code == 200
    assert "2 stages in parallel" in page.text
    for shown in (
        "Quality review",
        "Clinical review",
        "Affordable.",
        "Mon 2 March 2026 at 9am",
        ORGANISATION,
    ):
        assert shown in page.text
    since = re.escape(f" – Finance review, waiting since {human_time(STARTED)}")
    awaited = rf"<li>finance\.two@example\.nhs\.uk<span class=\"hint\">{since} \(\d+ days\)</span></li>"
    assert re.search(rf"Still awaited</h2>\s*<ul class=\"waiting\">{awaited}</ul>", page.text)
    assert f'href="/api/signoffs/{site.example.signoff_id}"' in page.text
    assert f'href="/signoffs/{site.example.signoff_id}/prefect"' in page.text


def test_an_unknown_signoff_gets_a_404_page(site: Site) -> None:
    page = site.client.get("/signoffs/unknown-id")
    assert page.status_code == 404
    assert "There is no sign-off with id" in page.text


def test_pages_escape_a_script_in_a_comment(site: Site) -> None:
    decide(site, FINANCE[0], "reject", HOSTILE)
    pages = [site.client.get(site.link()), site.client.get(f"/signoffs/{site.example.signoff_id}")]
    for page in pages:
        assert HOSTILE not in page.text
        assert "&lt;script&gt;alert(&#39;owned&#39;)&lt;/script&gt;" in page.text
    with site.example.db.transaction() as connection:
        assert connection.execute(select(decisions.c.comment)).scalar_one() == HOSTILE


def write_email(mailbox: Path, *, html: str) -> str:
    mailbox.mkdir(parents=True, exist_ok=True)
    email = OutgoingEmail(
        sender="signoff@localhost",
        to=FINANCE[0],
        subject=f"Action needed: Finance review of {TITLE}",
        html=html,
        text="Please review:\nhttp://testserver/a/abc?x=1&y=2\nThank you.\n",
        message_id="<invitation-1@signoff.local>",
    )
    return store(mailbox, email.to_mime().as_bytes())


def test_the_mailbox_lists_a_stored_email_and_opens_it_with_live_links(site: Site) -> None:
    html = f'<p>Review <a href="/a/abc">here</a>{HOSTILE}</p>'
    mail_id = write_email(site.example.settings.mailbox_dir, html=html)
    listing = site.client.get("/mail")
    assert listing.status_code == 200
    assert f'href="/mail/{mail_id}"' in listing.text
    assert f"Action needed: Finance review of {TITLE}" in listing.text
    opened = site.client.get(f"/mail/{mail_id}")
    assert opened.status_code == 200
    assert '<a href="http://testserver/a/abc?x=1&amp;y=2">' in opened.text
    assert re.search(r'<iframe[^>]*sandbox="[^"]*"[^>]*srcdoc="[^"<]*&lt;p&gt;Review', opened.text)
    assert HOSTILE not in opened.text
    assert site.client.get("/mail/00000000000000000000-" + "0" * 32).status_code == 404


def test_the_mailbox_is_404_when_a_real_smtp_server_is_configured(tmp_path: Path) -> None:
    settings = make_settings(tmp_path).model_copy(update={"smtp_host": "smtp.example.nhs.uk"})
    db = make_database(settings)
    with TestClient(create_app(settings, db)) as client:
        sign_in(client, db)
        assert client.get("/mail").status_code == 404
        assert "Mailbox" not in client.get("/signoffs").text
    db.dispose()


def test_the_runs_page_says_when_prefect_is_not_reachable(site: Site) -> None:
    write_runtime(site.example.settings.data_dir, prefect_api_url=f"http://127.0.0.1:{free_port()}/api")
    page = site.client.get(f"/signoffs/{site.example.signoff_id}/runs")
    assert page.status_code == 200
    assert "Prefect is not reachable" in page.text


class FakePrefectApi(BaseHTTPRequestHandler):
    """Answers ``POST /api/flow_runs/filter`` like Prefect 3, and keeps the bodies it received."""

    received: ClassVar[list[dict[str, Any]]] = []
    runs: ClassVar[list[dict[str, Any]]] = [
        {
            "id": "8c1e",
            "name": "finance-advance",
            "state_name": "Completed",
            "start_time": "2026-03-02T09:00:05Z",
        },
        {"id": "77aa", "name": "send-invitations", "state": {"name": "Failed"}, "start_time": None},
    ]

    def do_POST(self) -> None:
        length = int(self.headers["Content-Length"])
        self.received.append({"path": self.path, "body": json.loads(self.rfile.read(length))})
        body = json.dumps(self.runs).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_: object) -> None:
        pass


def test_the_runs_page_lists_the_signoffs_flow_runs_with_links_to_the_prefect_ui(site: Site) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakePrefectApi)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    api = f"http://127.0.0.1:{server.server_port}/api"
    write_runtime(site.example.settings.data_dir, prefect_api_url=api, prefect_ui_url="http://prefect.ui")
    try:
        page = site.client.get(f"/signoffs/{site.example.signoff_id}/runs")
    finally:
        server.shutdown()
        server.server_close()
    assert FakePrefectApi.received[-1] == {
        "path": "/api/flow_runs/filter",
        "body": {
            "flow_runs": {"tags": {"all_": [f"signoff:{site.example.signoff_id}"]}},
            "sort": "START_TIME_DESC",
            "limit": 100,
        },
    }
    assert '<a href="http://prefect.ui/runs/flow-run/8c1e">finance-advance</a>' in page.text
    assert "Completed" in page.text
    assert "Failed" in page.text
    assert "Mon 2 March 2026 at 9am" in page.text


@pytest.mark.slow
def test_the_runs_page_finds_runs_tagged_with_the_signoff_in_a_real_prefect_api(
    site: Site, prefect_api: str
) -> None:
    tag = f"signoff:{site.example.signoff_id}"
    flow = httpx.post(f"{prefect_api}/flows/", json={"name": "signoff-web-test"}, timeout=30).json()
    for name, tags in (("advance finance", [tag]), ("someone else's run", ["signoff:other"])):
        run = {
            "flow_id": flow["id"],
            "name": name,
            "tags": tags,
            "state": {"type": "COMPLETED", "name": "Completed"},
        }
        httpx.post(f"{prefect_api}/flow_runs/", json=run, timeout=30).raise_for_status()
    write_runtime(site.example.settings.data_dir, prefect_api_url=prefect_api)
    page = site.client.get(f"/signoffs/{site.example.signoff_id}/runs")
    assert page.status_code == 200
    assert "advance finance" in page.text
    assert "someone else" not in page.text
    assert re.search(r'href="http://[^"]+/runs/flow-run/[0-9a-f-]{36}"', page.text)


def test_a_broken_database_gets_a_503_health_check_and_a_plain_error_page(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    db = Database(f"sqlite:///{tmp_path / 'missing-folder' / 'signoff.db'}")
    with TestClient(create_app(settings, db), raise_server_exceptions=False) as client:
        client.cookies.set("signoff_session", session_cookie(settings, OFFICER))
        health = client.get("/healthz")
        page = client.get("/signoffs")
    assert health.status_code == 503
    assert health.json() == {"status": "error", "database": "unreachable"}
    assert page.status_code == 500
    assert "Sorry, something went wrong" in page.text
    assert "Traceback" not in page.text
    assert page.headers["cache-control"] == "no-store"
