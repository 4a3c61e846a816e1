"""The dashboard's filters and urgency order in SQL, so the database counts, sorts and pages.

They restate two pure rules over stored columns: ``SummaryQuery.admits`` (who may see what, and the
filters) and ``dashboard.urgency`` (finished sign-offs last, latest ended first; then red, amber,
the rest; then the nearest key date; ties newest first). The dashboard tests hold one to the other.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from sqlalchemy import ColumnElement, ScalarSelect, and_, case, false, func, select, tuple_

from governance.adapters.database.tables import signoffs, stage_runs
from governance.domain.route import Route, StageKind
from governance.domain.states import SignOffState, StageState
from governance.services.overview_ports import FINISHED, SummaryQuery

RAG_RANKS = (("red", 0), ("amber", 1))  # any other RAG, or none, ranks 2


def meeting_stages(routes: Mapping[str, Route]) -> list[tuple[str, str]]:
    """(route version, stage id) of every meeting stage of ``routes`` (by version SHA-256)."""
    return [(sha, s.id) for sha, route in routes.items() for s in route.stages if s.kind is StageKind.MEETING]


def key_date(meetings: Collection[tuple[str, str]]) -> ScalarSelect[Any]:
    """The sign-off's nearest key date, the MIN over its open stages (``dashboard.stage_key_date``): a
    meeting stage's paper deadline while the paper is not in, else its meeting; a review's due date."""
    pair = tuple_(signoffs.c.route_sha256, stage_runs.c.stage_id)
    is_meeting = pair.in_(list(meetings)) if meetings else false()
    paper_due = and_(stage_runs.c.paper_deadline.is_not(None), stage_runs.c.paper_submitted_at.is_(None))
    when = case(
        (and_(is_meeting, paper_due), stage_runs.c.paper_deadline),
        (is_meeting, stage_runs.c.meeting),
        else_=stage_runs.c.due,
    )
    return (
        select(func.min(when))
        .where(stage_runs.c.signoff_id == signoffs.c.id, stage_runs.c.state == StageState.OPEN.value)
        .correlate(signoffs)
        .scalar_subquery()
    )


def urgency_order(nearest: ScalarSelect[Any]) -> list[ColumnElement[Any]]:
    """ORDER BY terms of ``dashboard.urgency``, then newest first (then by id, to be total)."""
    finished = signoffs.c.state.in_(FINISHED)
    ranks = [(signoffs.c.rag == rag, rank) for rag, rank in RAG_RANKS]
    running = signoffs.c.state == SignOffState.IN_PROGRESS.value
    ended = func.coalesce(signoffs.c.completed_at, signoffs.c.created_at)
    return [
        case((finished, 1), else_=0),
        case((finished, 0), *ranks, else_=2),
        case((running, nearest)).nulls_last(),
        case((finished, ended)).desc(),
        signoffs.c.created_at.desc(),
        signoffs.c.id.desc(),
    ]


def admitted(
    query: SummaryQuery, *, organisations: Mapping[str, str], leads: Collection[str] | None
) -> list[ColumnElement[bool]]:
    """WHERE terms of ``query.admits``: ``organisations`` gives each route version's organisation (by
    SHA-256), ``leads`` the stored lead emails that are the scope's lead (None: no lead asked for)."""
    terms: list[ColumnElement[bool]] = []
    wanted = query.scope.organisations
    if query.organisation:
        wanted = frozenset({query.organisation}) & (wanted if wanted is not None else {query.organisation})
    if wanted is not None:
        terms.append(signoffs.c.route_sha256.in_([sha for sha, o in organisations.items() if o in wanted]))
    if leads is not None:
        terms.append(signoffs.c.lead_email.in_(list(leads)))
    if query.state:
        terms.append(signoffs.c.state == query.state)
    if query.rag:
        terms.append(and_(signoffs.c.state.not_in(FINISHED), signoffs.c.rag == query.rag))
    return terms
