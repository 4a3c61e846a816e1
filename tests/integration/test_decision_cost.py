"""What a decision posted to its link costs in SQL, counted on the real SQLite and PostgreSQL databases:
one transaction, and as many statements for a stage of 200 reviewers as for one of 3, and for a route of
twenty stages as for a route of one."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import event

from governance.adapters.database.database import Database
from governance.adapters.route_files import parse_route
from governance.domain.london_time import utc_now
from governance.domain.rules import Verdict
from governance.entrypoints.web import create_app
from governance.services.signoffs import NewSignOff, advance_signoff, decide_by_token, start_signoff
from governance.settings import Settings
from tests.integration.web_fixtures import invitation_tokens


def route_yaml(*, stages: int, reviewers: int) -> str:
    """Single-reviewer stages before a last stage of ``reviewers`` that two approvals settle."""
    lines = ["id: cost", "name: Cost of a decision", "organisation: NHS Example ICB", "stages:"]
    stage = (
        "  - {{id: {id}, name: {id}, kind: review, due_working_days: 5, reviewers: [{who}], approvals: {n}}}"
    )
    for number in range(1, stages):
        lines.append(stage.format(id=f"s{number}", who=f"s{number}@x.nhs.uk", n="all"))
    last = ", ".join(f"last{n}@x.nhs.uk" for n in range(reviewers))
    lines.append(stage.format(id="last", who=last, n=2))
    return "\n".join(lines) + "\n"


def at_last_stage(
    db: Database, settings: Settings, *, stages: int, reviewers: int
) -> tuple[str, dict[str, str]]:
    """A sign-off approved through every stage but its last, which is open: its id and the tokens."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    document = settings.data_dir / "agreement.txt"
    document.write_text("The agreement.")
    text = route_yaml(stages=stages, reviewers=reviewers)
    request = NewSignOff(
        parse_route(text, path="cost.yaml"), text, "Agreement", document, "lead@x.nhs.uk", None
    )
    now = utc_now()
    signoff_id = start_signoff(db, settings, request, now=now)
    advance_signoff(db, settings, signoff_id, now=now)
    for number in range(1, stages):
        token = invitation_tokens(settings, db, signoff_id)[f"s{number}@x.nhs.uk"]
        decide_by_token(db, token, verdict=Verdict.APPROVE, comment="", now=now, settings=settings)
        advance_signoff(db, settings, signoff_id, now=now)
    return signoff_id, invitation_tokens(settings, db, signoff_id)


@dataclass
class Counted:
    """The SQL statements sent and the transactions begun while counting."""

    statements: list[str] = field(default_factory=list)
    transactions: int = 0


@contextmanager
def counting(db: Database) -> Iterator[Counted]:
    counted = Counted()

    def executed(_connection: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        counted.statements.append(statement)

    def begun(_connection: Any) -> None:
        counted.transactions += 1

    event.listen(db.engine, "before_cursor_execute", executed)
    event.listen(db.engine, "begin", begun)
    try:
        yield counted
    finally:
        event.remove(db.engine, "before_cursor_execute", executed)
        event.remove(db.engine, "begin", begun)


def approvals_posted(db: Database, settings: Settings, *, stages: int, reviewers: int) -> list[Counted]:
    """Post the first approval of the last stage (it stays open), then the second (it settles it)."""
    _, tokens = at_last_stage(db, settings, stages=stages, reviewers=reviewers)
    posts = []
    with TestClient(create_app(settings, db)) as client:
        for reviewer in ("last0@x.nhs.uk", "last1@x.nhs.uk"):
            with counting(db) as counted:
                response = client.post(f"/a/{tokens[reviewer]}", data={"decision": "approve"})
            assert response.status_code == 200
            assert "has been recorded" in response.text
            posts.append(counted)
    return posts


def shape(posts: list[Counted]) -> list[tuple[int, int]]:
    return [(len(post.statements), post.transactions) for post in posts]


def test_a_decision_runs_as_many_statements_for_a_stage_of_200_reviewers_as_for_one_of_3(
    database: Database, settings: Settings
) -> None:
    three = approvals_posted(database, settings, stages=2, reviewers=3)
    two_hundred = approvals_posted(database, settings, stages=2, reviewers=200)
    assert shape(two_hundred) == shape(three)


def test_a_decision_runs_as_many_statements_on_a_route_of_20_stages_as_on_a_route_of_one(
    database: Database, settings: Settings
) -> None:
    one = approvals_posted(database, settings, stages=1, reviewers=3)
    twenty = approvals_posted(database, settings, stages=20, reviewers=3)
    assert shape(twenty) == shape(one)


def test_a_decision_is_one_transaction_that_writes_the_decision_its_audit_entry_and_its_receipt(
    database: Database, settings: Settings
) -> None:
    for post in approvals_posted(database, settings, stages=2, reviewers=3):
        inserts = sorted(s.split("(")[0].split()[-1] for s in post.statements if s.startswith("INSERT"))
        assert post.transactions == 1
        assert inserts == ["audit_log", "decisions", "outbox"]
        assert len(post.statements) <= 20


def test_saving_a_signoff_as_it_was_read_writes_nothing(database: Database, settings: Settings) -> None:
    signoff_id, _ = at_last_stage(database, settings, stages=3, reviewers=3)
    with database.write() as uow:
        signoff = uow.signoffs.get(signoff_id, for_update=True)
        with counting(database) as counted:
            uow.signoffs.save(signoff, pending_advance=False)  # as the last advance left it
    assert counted.statements == []
