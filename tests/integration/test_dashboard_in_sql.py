"""The dashboard sorts, filters, counts and pages in the database: its SQL agrees with the Python rules
(``urgency``, ``Account.may_see``, the filters) on a mixed population, and the number of statements
it runs does not grow with the number of sign-offs; on SQLite and PostgreSQL."""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event, select, update

from governance.adapters.database.database import Database
from governance.adapters.database.tables import signoffs, stage_runs
from governance.benchmarks.population import Product, route_yaml
from governance.domain.access import Account, Role
from governance.services.dashboard import PAGE_SIZE, STATES, Filters, read_dashboard, scope_of, urgency
from governance.services.overview_ports import SignOffSummary, SummaryQuery
from governance.settings import Settings

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
NORTH, SOUTH = "NHS Bench ICB", "NHS South ICB"
LEAD = "lead@icb.example.nhs.uk"
LEADS = (LEAD, "Lead@ICB.Example.nhs.uk", "other.lead@icb.example.nhs.uk")
SOUTH_ROUTE = route_yaml(2).replace(NORTH, SOUTH).replace("id: bench-route", "id: south-route")
BOARD_ROUTE = """\
id: board-paper
name: Board paper
organisation: NHS Bench ICB
calendars:
  board:
    name: ICB Board
    meetings: {rrule: "FREQ=MONTHLY;BYDAY=+1TH", dtstart: 2026-01-01}
    paper_deadline_working_days: 5
stages:
  - {id: finance, name: Finance, kind: review, reviewers: [cfo@icb.example.nhs.uk], due_working_days: 3}
  - {id: board, name: ICB Board, kind: meeting, calendar: board, secretary: [sec@icb.example.nhs.uk]}
"""
VIEWERS = (
    None,
    Account("officer@icb.example.nhs.uk", Role.OFFICER),
    Account("north@icb.example.nhs.uk", Role.OFFICER, (NORTH,)),
    Account("both@icb.example.nhs.uk", Role.OFFICER, (NORTH, SOUTH)),
    Account("nowhere@icb.example.nhs.uk", Role.OFFICER, ("NHS Nowhere",)),
    Account("LEAD@icb.example.nhs.uk", Role.LEAD),
    Account("other.lead@icb.example.nhs.uk", Role.LEAD),
)
FILTERS = (
    Filters(),
    Filters(organisation=NORTH),
    Filters(organisation=SOUTH),
    *(Filters(state=state) for state in STATES),
    *(Filters(rag=rag) for rag in ("red", "amber", "green")),
    Filters(organisation=NORTH, state="in_progress", rag="red"),
)
DAYS = (None, date(2026, 3, 9), date(2026, 3, 10), date(2026, 3, 16), date(2026, 4, 2))
MOMENTS = tuple(NOW + timedelta(hours=hours) for hours in (0, 1, 30))


@contextmanager
def statements(db: Database) -> Iterator[list[str]]:
    """Every SQL statement sent to ``db`` inside the block."""
    sent: list[str] = []

    def record(*args: Any) -> None:  # connection, cursor, statement, parameters, context, executemany
        sent.append(args[2])

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def dashboard_statements(db: Database, seen_by: Account | None, filters: Filters) -> int:
    read_dashboard(db, today=NOW.date(), seen_by=seen_by, filters=filters)  # the route parsed, if ever
    with statements(db) as sent:
        found = read_dashboard(db, today=NOW.date(), seen_by=seen_by, filters=filters)
    assert len(found.rows) == PAGE_SIZE
    return len(sent)


@pytest.mark.parametrize(
    ("seen_by", "filters"),
    [
        (Account("officer@icb.example.nhs.uk", Role.OFFICER), Filters()),
        (
            Account("north@icb.example.nhs.uk", Role.OFFICER, (NORTH,)),
            Filters(organisation=NORTH, rag="green"),
        ),
        (Account(LEAD, Role.LEAD), Filters(state="in_progress")),
    ],
)
def test_the_dashboard_sends_as_many_statements_for_600_signoffs_as_for_60(
    settings: Settings, database: Database, seen_by: Account, filters: Filters
) -> None:
    product = Product(settings, database)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    clone_green(product, 60)
    at_60 = dashboard_statements(database, seen_by, filters)
    clone_green(product, 540)
    assert dashboard_statements(database, seen_by, filters) == at_60


def clone_green(product: Product, count: int) -> None:
    """``count`` more sign-offs in progress, led by LEAD, stored as green."""
    (template,) = product.start(1, route_yaml(3), now=NOW)
    with product.db.write() as uow:
        uow.signoffs.set_rag(template, "green")
    product.clone_waiting(template, count - 1)


def mixed_population(settings: Settings, db: Database, *, seed: int = 12) -> None:
    """Sign-offs on three route versions of two organisations, copied and then given stored columns at
    random: every state, RAG and lead, tied creation times and key dates, open meeting stages."""
    product = Product(settings, db)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    for route in (route_yaml(2), SOUTH_ROUTE, BOARD_ROUTE):
        (template,) = product.start(1, route, now=NOW)
        product.clone_waiting(template, 44)
    rng = random.Random(seed)
    with db.transaction() as connection:
        for signoff_id in sorted(connection.execute(select(signoffs.c.id)).scalars()):
            values = {
                "state": rng.choice(STATES),
                "rag": rng.choice((None, "red", "amber", "green")),
                "created_at": rng.choice(MOMENTS),
                "completed_at": rng.choice((None, *MOMENTS)),
                "lead_email": rng.choice(LEADS),
            }
            connection.execute(update(signoffs).where(signoffs.c.id == signoff_id).values(**values))
        stages = connection.execute(select(stage_runs.c.signoff_id, stage_runs.c.stage_id)).all()
        for signoff_id, stage_id in sorted(stages):
            values = {
                "state": rng.choice(("open", "open", "approved", "pending")),
                "due": rng.choice(DAYS),
                "meeting": rng.choice(DAYS),
                "paper_deadline": rng.choice(DAYS),
                "paper_submitted_at": rng.choice((None, NOW)),
            }
            where = (stage_runs.c.signoff_id == signoff_id) & (stage_runs.c.stage_id == stage_id)
            connection.execute(update(stage_runs).where(where).values(**values))


def python_order(every: list[SignOffSummary], seen_by: Account | None, filters: Filters) -> list[str]:
    """The oracle: the pure rules over every summary, ties newest first, then by id."""
    wanted = SummaryQuery(organisation=filters.organisation, state=filters.state, rag=filters.rag)
    shown = [
        s
        for s in every
        if (seen_by is None or seen_by.may_see(organisation=s.organisation, lead=s.lead)) and wanted.admits(s)
    ]
    newest_first = sorted(shown, key=lambda s: (s.created_at, s.id), reverse=True)
    return [s.id for s in sorted(newest_first, key=urgency)]


def test_the_databases_order_filters_and_pages_agree_with_the_python_rules_on_a_mixed_population(
    settings: Settings, database: Database
) -> None:
    mixed_population(settings, database)
    with database.read() as uow:
        every = uow.overview.summaries()
        assert len(every) == 135
        assert any(stage.kind == "meeting" for s in every for stage in s.open_stages)
        for seen_by in VIEWERS:
            visible = [
                s
                for s in every
                if seen_by is None or seen_by.may_see(organisation=s.organisation, lead=s.lead)
            ]
            scope = scope_of(seen_by)
            assert uow.overview.organisations(scope) == tuple(sorted({s.organisation for s in visible}))
            for filters in FILTERS:
                query = SummaryQuery(scope, filters.organisation, filters.state, filters.rag)
                expected = python_order(every, seen_by, filters)
                pages = [
                    [s.id for s in uow.overview.summaries(query, offset=offset, limit=PAGE_SIZE)]
                    for offset in range(0, max(len(expected), 1), PAGE_SIZE)
                ]
                assert [i for page in pages for i in page] == expected, (seen_by, filters)
                assert all(len(page) == PAGE_SIZE for page in pages[:-1])
                assert uow.overview.count(query) == len(expected)
