"""Sign-offs for the dashboard, a page at a time (sorted, filtered and paged in SQL: see
summary_queries), and every sign-off for the cycle-time report: a handful of queries in all, never
one per sign-off."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, Row, func, select

from governance.adapters.database.route_cache import RouteCache
from governance.adapters.database.route_versions import route_text
from governance.adapters.database.summary_queries import admitted, key_date, meeting_stages, urgency_order
from governance.adapters.database.tables import action_tokens, decisions, deferrals, signoffs, stage_runs
from governance.domain.route import Route, Stage, StageKind
from governance.domain.states import StageState
from governance.services.overview_ports import (
    OpenStage,
    Response,
    Scope,
    SignOffHistory,
    SignOffSummary,
    StageSpell,
    SummaryQuery,
)

HEADLINE = (
    signoffs.c.id,
    signoffs.c.title,
    signoffs.c.route_sha256,
    signoffs.c.lead_email,
    signoffs.c.state,
    signoffs.c.target,
    signoffs.c.rag,
    signoffs.c.created_at,
    signoffs.c.completed_at,
)


class SqlOverview:
    def __init__(self, connection: Connection, routes: RouteCache) -> None:
        self.connection = connection
        self._routes = routes
        self._versions_of: dict[str | None, dict[str, Route]] = {}
        self._lead_emails: tuple[str, ...] | None = None

    def _route(self, row: Any) -> Route:  # a row of HEADLINE
        sha = row.route_sha256
        return self._routes.route(sha, text=lambda: route_text(self.connection, sha), signoff_id=row.id)

    def organisations(self, scope: Scope) -> tuple[str, ...]:
        """One query (two for a lead): the distinct route versions in scope, each parsed once."""
        found = {route.organisation for route in self._versions(scope).values()}
        return tuple(sorted(o for o in found if scope.organisations is None or o in scope.organisations))

    def count(self, query: SummaryQuery) -> int:
        statement = select(func.count()).select_from(signoffs).where(*self._admitted(query))
        return int(self.connection.execute(statement).scalar_one())

    def summaries(
        self, query: SummaryQuery = SummaryQuery(), *, offset: int = 0, limit: int | None = None
    ) -> list[SignOffSummary]:
        """The sign-offs sorted, filtered and sliced by the database, then their open stages."""
        order = urgency_order(key_date(meeting_stages(self._versions(query.scope))))
        statement = select(*HEADLINE).where(*self._admitted(query)).order_by(*order)
        rows = self.connection.execute(statement.offset(offset).limit(limit)).all()
        routes = {row.id: self._route(row) for row in rows}
        open_query = select(stage_runs).where(stage_runs.c.state == StageState.OPEN.value)
        if limit is not None:  # a page: its own stages (every open stage when the list is whole)
            open_query = open_query.where(stage_runs.c.signoff_id.in_(list(routes)))
        opened: dict[str, list[OpenStage]] = defaultdict(list)
        for stage in self.connection.execute(
            open_query.order_by(stage_runs.c.signoff_id, stage_runs.c.position)
        ):
            if stage.signoff_id in routes:
                opened[stage.signoff_id].append(open_stage(routes[stage.signoff_id], stage))
        return [summary_of(row, routes[row.id], tuple(opened[row.id])) for row in rows]

    def _admitted(self, query: SummaryQuery) -> list[ColumnElement[bool]]:
        organisations = {sha: route.organisation for sha, route in self._versions(query.scope).items()}
        return admitted(query, organisations=organisations, leads=self._leads(query.scope.lead))

    def _versions(self, scope: Scope) -> dict[str, Route]:
        """The route versions of the sign-offs ``scope``'s lead leads (of all, for no lead), parsed;
        kept for the unit of work, which reads one snapshot."""
        key = scope.lead.casefold() if scope.lead is not None else None
        if key not in self._versions_of:
            statement = select(signoffs.c.route_sha256, func.min(signoffs.c.id).label("id"))
            leads = self._leads(scope.lead)
            if leads is not None:
                statement = statement.where(signoffs.c.lead_email.in_(list(leads)))
            rows = self.connection.execute(statement.group_by(signoffs.c.route_sha256)).all()
            self._versions_of[key] = {row.route_sha256: self._route(row) for row in rows}
        return self._versions_of[key]

    def _leads(self, lead: str | None) -> tuple[str, ...] | None:
        """The lead emails stored that are ``lead``'s, in any case (Account.may_see casefolds)."""
        if lead is None:
            return None
        if self._lead_emails is None:
            statement = select(signoffs.c.lead_email).distinct()
            self._lead_emails = tuple(self.connection.execute(statement).scalars())
        return tuple(email for email in self._lead_emails if email.casefold() == lead.casefold())

    def histories(self) -> list[SignOffHistory]:
        """Five queries: sign-offs, stages, deferral counts, decisions and the first link of each."""
        rows = self.connection.execute(select(*HEADLINE).order_by(signoffs.c.created_at)).all()
        routes = {row.id: self._route(row) for row in rows}
        stages = self._spells(routes)
        responses = self._responses(stages)
        return [
            SignOffHistory(
                row.id,
                routes[row.id],
                row.lead_email,
                row.state,
                row.target,
                row.completed_at,
                tuple(stages.get(row.id, {}).values()),
                tuple(responses.get(row.id, ())),
            )
            for row in rows
        ]

    def _spells(self, routes: dict[str, Route]) -> dict[str, dict[str, StageSpell]]:
        deferred_query = select(deferrals.c.signoff_id, deferrals.c.stage_id, func.count()).group_by(
            deferrals.c.signoff_id, deferrals.c.stage_id
        )
        deferred = {(r[0], r[1]): int(r[2]) for r in self.connection.execute(deferred_query)}
        spells: dict[str, dict[str, StageSpell]] = defaultdict(dict)
        for stage in self.connection.execute(select(stage_runs).order_by(stage_runs.c.position)):
            route = routes.get(stage.signoff_id)
            described = stage_or_none(route, stage.stage_id) if route else None
            if described is None:
                continue
            spells[stage.signoff_id][stage.stage_id] = StageSpell(
                stage.stage_id,
                described.name,
                described.kind.value,
                stage.position,
                stage.state,
                stage.opened_at,
                stage.completed_at,
                deferred.get((stage.signoff_id, stage.stage_id), 0),
                stage.late_paper is not None,
            )
        return spells

    def _responses(self, spells: dict[str, dict[str, StageSpell]]) -> dict[str, list[Response]]:
        link_query = (
            select(
                action_tokens.c.signoff_id,
                action_tokens.c.stage_id,
                action_tokens.c.reviewer,
                action_tokens.c.document_version,
                func.min(action_tokens.c.created_at),
            )
            .where(action_tokens.c.purpose == "decide")
            .group_by(
                action_tokens.c.signoff_id,
                action_tokens.c.stage_id,
                action_tokens.c.reviewer,
                action_tokens.c.document_version,
            )
        )
        invited: dict[tuple[str, str, str, int], datetime] = {
            (r[0], r[1], r[2], r[3]): r[4] for r in self.connection.execute(link_query)
        }
        found: dict[str, list[Response]] = defaultdict(list)
        for d in self.connection.execute(select(decisions).order_by(decisions.c.at, decisions.c.id)):
            spell = spells.get(d.signoff_id, {}).get(d.stage_id)
            if spell is None or spell.kind != StageKind.REVIEW.value:
                continue
            link = invited.get((d.signoff_id, d.stage_id, d.reviewer, d.document_version))
            found[d.signoff_id].append(Response(d.stage_id, d.reviewer, link or spell.opened_at, d.at))
        return found


def summary_of(row: Any, route: Route, opened: tuple[OpenStage, ...]) -> SignOffSummary:  # a HEADLINE row
    return SignOffSummary(
        row.id, row.title, route.id, route.name, route.organisation, row.lead_email, row.state, row.target,
        row.rag, row.created_at, row.completed_at, opened,
    )  # fmt: skip


def open_stage(route: Route, row: Row[Any]) -> OpenStage:
    """An open stage's stored dates, named as its route names it."""
    stage = stage_or_none(route, row.stage_id)
    if stage is None:
        return OpenStage(row.stage_id, row.stage_id, StageKind.REVIEW.value, row.due)
    calendar = route.calendars.get(stage.calendar or "")
    return OpenStage(
        row.stage_id,
        stage.name,
        stage.kind.value,
        row.due,
        row.meeting,
        row.paper_deadline,
        row.paper_submitted_at is not None,
        calendar.name if calendar else "",
    )


def stage_or_none(route: Route, stage_id: str) -> Stage | None:
    return next((stage for stage in route.stages if stage.id == stage_id), None)
