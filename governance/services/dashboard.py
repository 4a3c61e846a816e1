"""The dashboard's read model: every sign-off one may see, most urgent first, a page at a time.

Sorting, filtering and paging read stored columns only (the RAG as last stored, each open stage's due
date and booking) and happen in the database (``urgency`` and ``SummaryQuery.admits`` are the rules
its SQL follows); only the sign-offs on the page shown are loaded, and the running ones whole, to say
who is awaited.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from governance.domain.access import Account
from governance.domain.route import StageKind
from governance.domain.signoff import SignOffState
from governance.services import awaiting
from governance.services.key_dates import key_dates_of
from governance.services.overview_ports import FINISHED, OpenStage, Scope, SignOffSummary, SummaryQuery
from governance.services.ports import UnitOfWork, UnitsOfWork

PAGE_SIZE = 50
RAGS = ("red", "amber", "green")
STATES = tuple(state.value for state in SignOffState)
URGENCY = {"red": 0, "amber": 1}


class FilterRefused(ValueError):
    """A filter or page the dashboard cannot show; the message says why, for the person who asked."""


@dataclass(frozen=True)
class Filters:
    organisation: str = ""
    state: str = ""
    rag: str = ""
    page: int = 1


@dataclass(frozen=True)
class KeyDate:
    """The next date that matters: what is due (``what``, in words) and when."""

    what: str
    when: date


@dataclass(frozen=True)
class Awaited:
    """Who a sign-off waits for: reviewers by email, committee meetings, or the lead's revision."""

    people: tuple[str, ...] = ()
    meetings: tuple[tuple[str, date | None], ...] = ()
    lead_revision: bool = False


@dataclass(frozen=True)
class DashboardRow:
    """One sign-off on the dashboard: a RAG while it runs, its outcome once it has ended."""

    id: str
    title: str
    route_id: str
    route_name: str
    organisation: str
    state: str
    stages: tuple[str, ...]
    awaited: Awaited
    next_key_date: KeyDate | None
    rag: str | None
    outcome: str | None
    target: date | None


@dataclass(frozen=True)
class Dashboard:
    rows: tuple[DashboardRow, ...]
    total: int  # sign-offs matching the filters, on every page
    page: int
    pages: int
    organisations: tuple[str, ...]  # every organisation the person may see, for the filter


def read_dashboard(
    uows: UnitsOfWork, *, today: date, seen_by: Account | None, filters: Filters = Filters()
) -> Dashboard:
    """The page of sign-offs ``filters`` asks for (raises FilterRefused for an unknown value)."""
    scope = scope_of(seen_by)
    with uows.read() as uow:
        organisations = uow.overview.organisations(scope)
        refuse_unknown(filters, organisations)
        query = SummaryQuery(scope, filters.organisation, filters.state, filters.rag)
        total = uow.overview.count(query)
        pages = max(1, math.ceil(total / PAGE_SIZE))
        if filters.page > pages:
            msg = f"There is no page {filters.page}: there {'is' if pages == 1 else 'are'} {pages} of them."
            raise FilterRefused(msg)
        summaries = uow.overview.summaries(query, offset=(filters.page - 1) * PAGE_SIZE, limit=PAGE_SIZE)
        shown = tuple(row_of(uow, s, today=today) for s in summaries)
    return Dashboard(shown, total, filters.page, pages, organisations)


def scope_of(account: Account | None) -> Scope:
    """``Account.may_see`` as a query: an officer sees their organisations' sign-offs (every one's when
    they have none), a lead the sign-offs they lead; no account (no sign-in configured) sees all."""
    if account is None:
        return Scope()
    if account.is_officer:
        return Scope(frozenset(account.organisations) or None)
    return Scope(lead=account.email)


def refuse_unknown(filters: Filters, organisations: tuple[str, ...]) -> None:
    """FilterRefused naming the first filter value that is not one of the choices."""
    if filters.organisation and filters.organisation not in organisations:
        msg = f"There are no sign-offs of an organisation called {filters.organisation!r} for you to see."
        raise FilterRefused(msg)
    if filters.state and filters.state not in STATES:
        msg = f"{filters.state!r} is not a state: choose one of {', '.join(STATES)}."
        raise FilterRefused(msg)
    if filters.rag and filters.rag not in RAGS:
        msg = f"{filters.rag!r} is not a RAG status: choose red, amber or green."
        raise FilterRefused(msg)
    if filters.page < 1:
        msg = "Pages are numbered from 1."
        raise FilterRefused(msg)


def urgency(summary: SignOffSummary) -> tuple[int, int, date, float]:
    """Red first, then amber, then the nearest key date; finished sign-offs last, latest ended first."""
    if summary.state in FINISHED:
        ended = summary.completed_at or summary.created_at
        return (1, 0, date.max, -ended.timestamp())
    key_date = next_key_date(summary)
    return (0, URGENCY.get(summary.rag or "", 2), key_date.when if key_date else date.max, 0.0)


def next_key_date(summary: SignOffSummary) -> KeyDate | None:
    """The earliest date an open stage has: a paper deadline, a meeting or a decision due."""
    if summary.state != SignOffState.IN_PROGRESS.value:
        return None
    found = [key_date for stage in summary.open_stages if (key_date := stage_key_date(stage))]
    return min(found, key=lambda key_date: key_date.when, default=None)


def stage_key_date(stage: OpenStage) -> KeyDate | None:
    committee = stage.committee or stage.name
    if stage.kind == StageKind.MEETING.value:
        if stage.paper_deadline and not stage.paper_submitted:
            return KeyDate(f"Paper due for {committee}", stage.paper_deadline)
        return KeyDate(f"{committee} meets", stage.meeting) if stage.meeting else None
    return KeyDate(f"{stage.name} decision due", stage.due) if stage.due else None


def row_of(uow: UnitOfWork, summary: SignOffSummary, *, today: date) -> DashboardRow:
    """A dashboard row; loads the sign-off whole only when it is running (to say who is awaited)."""
    finished = summary.state in FINISHED
    awaited, rag = Awaited(lead_revision=summary.state == SignOffState.CHANGES_REQUESTED.value), summary.rag
    if summary.state == SignOffState.IN_PROGRESS.value:
        awaited, rag = awaited_and_rag(uow, summary, today=today)
    return DashboardRow(
        summary.id,
        summary.title,
        summary.route_id,
        summary.route_name,
        summary.organisation,
        summary.state,
        tuple(stage.name for stage in summary.open_stages),
        awaited,
        next_key_date(summary),
        None if finished else rag,
        summary.state.replace("_", " ").capitalize() if finished else None,
        summary.target,
    )


def awaited_and_rag(uow: UnitOfWork, summary: SignOffSummary, *, today: date) -> tuple[Awaited, str | None]:
    """Reviewers not yet decided on the open review stages, committees for meeting stages, and the
    RAG (worked out here only when none is stored yet, as for a sign-off not advanced yet)."""
    signoff = uow.signoffs.get(summary.id)
    people: list[str] = []
    meetings: list[tuple[str, date | None]] = []
    for stage in summary.open_stages:
        if stage.kind == StageKind.MEETING.value:
            meetings.append((stage.committee or stage.name, stage.meeting))
        else:
            people.extend(awaiting.awaited(signoff, stage.stage_id).people)  # deputies who hold a review
    rag = summary.rag
    if rag is None and summary.target is not None:
        rag = key_dates_of(signoff, today=today).rag
    return Awaited(tuple(dict.fromkeys(people)), tuple(meetings)), rag
