"""The fake overview: summaries and histories read off the fake store's aggregates."""

from __future__ import annotations

from governance.domain.route import StageKind
from governance.domain.signoff import SignOff, StageState
from governance.services.dashboard import urgency
from governance.services.overview_ports import (
    OpenStage,
    Response,
    Scope,
    SignOffHistory,
    SignOffSummary,
    StageSpell,
    SummaryQuery,
)
from tests.fakes.data import FakeSignOffRow, Repository


class FakeOverview(Repository):
    def _by_age(self) -> list[FakeSignOffRow]:
        return sorted(self.data.signoffs.values(), key=lambda row: row.signoff.created_at)

    def organisations(self, scope: Scope) -> tuple[str, ...]:
        found = {s.organisation for s in map(summary_of, self._by_age()) if scope.admits(s)}
        return tuple(sorted(found))

    def count(self, query: SummaryQuery) -> int:
        return len(self.summaries(query))

    def summaries(
        self, query: SummaryQuery = SummaryQuery(), *, offset: int = 0, limit: int | None = None
    ) -> list[SignOffSummary]:
        admitted = [s for s in map(summary_of, self._by_age()) if query.admits(s)]
        newest_first = sorted(admitted, key=lambda s: (s.created_at, s.id), reverse=True)
        ordered = sorted(newest_first, key=urgency)
        return ordered[offset : None if limit is None else offset + limit]

    def histories(self) -> list[SignOffHistory]:
        return [history_of(row) for row in self._by_age()]


def summary_of(row: FakeSignOffRow) -> SignOffSummary:
    s = row.signoff
    opened = tuple(
        OpenStage(
            stage.id,
            stage.name,
            stage.kind.value,
            progress.due,
            progress.meeting,
            progress.paper_deadline,
            progress.paper_submitted_at is not None,
            s.route.calendars[stage.calendar].name if stage.calendar else "",
        )
        for stage in s.route.stages
        if (progress := s.stages[stage.id]).state is StageState.OPEN
    )
    route = s.route
    return SignOffSummary(
        s.id, s.title, route.id, route.name, route.organisation, s.lead, s.state.value, s.target, row.rag,
        s.created_at, row.completed_at, opened,
    )  # fmt: skip


def history_of(row: FakeSignOffRow) -> SignOffHistory:
    s = row.signoff
    return SignOffHistory(
        s.id,
        s.route,
        s.lead,
        s.state.value,
        s.target,
        row.completed_at,
        tuple(
            StageSpell(
                stage.id,
                stage.name,
                stage.kind.value,
                position,
                p.state.value,
                p.opened_at,
                p.completed_at,
                len(p.deferrals),
                p.late_paper is not None,
            )
            for position, stage in enumerate(s.route.stages)
            if (p := s.stages[stage.id])
        ),
        responses_of(s),
    )


def responses_of(signoff: SignOff) -> tuple[Response, ...]:
    return tuple(
        Response(stage.id, d.reviewer, signoff.stages[stage.id].opened_at, d.at)
        for stage in signoff.route.stages
        if stage.kind is StageKind.REVIEW
        for d in signoff.stages[stage.id].decisions
    )
