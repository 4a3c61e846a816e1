"""Loads a sign-off aggregate from its rows and writes its changes back."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import Connection, Row, insert, select, update

from governance.adapters.database.committee_rows import (
    decision_values,
    load_deferrals,
    load_stage,
    minutes_of,
    save_deferrals,
    stage_values,
)
from governance.adapters.database.delegation_repository import load_handovers
from governance.adapters.database.route_cache import RouteCache
from governance.adapters.database.tables import decisions, signoffs, stage_runs
from governance.domain.rules import Verdict
from governance.domain.signoff import Decision, SignOff, SignOffState, StageProgress, StageState
from governance.services.ports import SignOffNotFound
from governance.services.stored_records import SignOffLine, SignOffRecord, SignOffToAdvance, route_sha256


class SqlSignOffs:
    """Sign-offs in the database; ``get(..., for_update=True)`` locks the row on PostgreSQL.

    On SQLite the write unit of work already holds the database's write lock from its start."""

    def __init__(self, connection: Connection, routes: RouteCache) -> None:
        self.connection = connection
        self._routes = routes

    def add(self, signoff: SignOff, *, route_yaml: str, document_filename: str, document_path: str) -> None:
        """Insert a new sign-off and its stages."""
        self.connection.execute(
            insert(signoffs).values(
                id=signoff.id,
                route_id=signoff.route.id,
                route_name=signoff.route.name,
                route_yaml=route_yaml,
                title=signoff.title,
                lead_email=signoff.lead,
                document_filename=document_filename,
                document_path=document_path,
                document_sha256=signoff.document_sha256,
                document_version=signoff.document_version,
                target=signoff.target,
                state=signoff.state.value,
                created_at=signoff.created_at,
                finished_announced=False,
                pending_advance=True,
                tags=" ".join(sorted(signoff.tags)),
            )
        )
        groups = {s.id: s.group for s in signoff.route.stages}
        self.connection.execute(
            insert(stage_runs),
            [
                {
                    "signoff_id": signoff.id,
                    "stage_id": p.stage_id,
                    "position": i,
                    "group_id": groups[p.stage_id],
                    "state": p.state.value,
                    "announced": False,
                    "skipped_reason": p.skipped_reason,
                }
                for i, p in enumerate(signoff.stages.values())
            ],
        )

    def record(self, signoff_id: str) -> SignOffRecord:
        """The sign-off's document file, completion time, stored RAG and route hash, or SignOffNotFound."""
        columns = (signoffs.c.document_filename, signoffs.c.document_path, signoffs.c.completed_at)
        query = select(*columns, signoffs.c.rag, signoffs.c.route_yaml).where(signoffs.c.id == signoff_id)
        found = self.connection.execute(query).first()
        if found is None:
            raise SignOffNotFound(signoff_id)
        return SignOffRecord(signoff_id, *found[:4], route_sha256=route_sha256(found.route_yaml))

    def get(self, signoff_id: str, *, for_update: bool = False) -> SignOff:
        """The aggregate with its stages and decisions."""
        query = select(signoffs).where(signoffs.c.id == signoff_id)
        if for_update:
            query = query.with_for_update()
        row = self.connection.execute(query).first()
        if row is None:
            raise SignOffNotFound(signoff_id)
        signoff = self._aggregate(row)
        self._load_stages(signoff)
        return signoff

    def _aggregate(self, row: Row[tuple[object, ...]]) -> SignOff:
        return SignOff(
            id=row.id,
            route=self._routes.route(row.route_yaml, signoff_id=row.id),
            title=row.title,
            lead=row.lead_email,
            document_sha256=row.document_sha256,
            created_at=row.created_at,
            target=row.target,
            document_version=row.document_version,
            state=SignOffState(row.state),
            finished_announced=row.finished_announced,
            tags=frozenset(row.tags.split()),
        )

    def _load_stages(self, signoff: SignOff) -> None:
        signoff_id = signoff.id
        for stage in self.connection.execute(
            select(stage_runs).where(stage_runs.c.signoff_id == signoff_id).order_by(stage_runs.c.position)
        ):
            progress = StageProgress(
                stage.stage_id,
                StageState(stage.state),
                stage.opened_at,
                stage.due,
                stage.completed_at,
                announced=stage.announced,
                version=stage.version,
                skipped_reason=stage.skipped_reason,
            )
            load_stage(progress, stage._mapping)
            signoff.stages[stage.stage_id] = progress
        for d in self.connection.execute(
            select(decisions)
            .where(decisions.c.signoff_id == signoff_id)
            .order_by(decisions.c.at, decisions.c.id)
        ):
            meeting = date.fromisoformat(d.meeting_key) if d.meeting_key else None
            signoff.stages[d.stage_id].decisions.append(
                Decision(
                    d.reviewer,
                    Verdict(d.decision),
                    d.comment,
                    d.at,
                    d.document_version,
                    meeting,
                    minutes_of(d._mapping),
                    d.on_behalf_of,
                )
            )
        load_deferrals(self.connection, signoff)
        load_handovers(self.connection, signoff)

    def save(self, signoff: SignOff, *, pending_advance: bool, completed_at: datetime | None = None) -> None:
        """Write the aggregate's state back: sign-off flags, stages, and any new decisions."""
        values: dict[str, object] = {
            "state": signoff.state.value,
            "finished_announced": signoff.finished_announced,
            "pending_advance": pending_advance,
            "document_version": signoff.document_version,
            "document_sha256": signoff.document_sha256,
        }
        if completed_at is not None:
            values["completed_at"] = completed_at
        self.connection.execute(update(signoffs).where(signoffs.c.id == signoff.id).values(**values))
        for progress in signoff.stages.values():
            self._save_stage(signoff.id, progress)

    def _save_stage(self, signoff_id: str, progress: StageProgress) -> None:
        self.connection.execute(
            update(stage_runs)
            .where(stage_runs.c.signoff_id == signoff_id, stage_runs.c.stage_id == progress.stage_id)
            .values(
                state=progress.state.value,
                opened_at=progress.opened_at,
                due=progress.due,
                completed_at=progress.completed_at,
                announced=progress.announced,
                version=progress.version,
                **stage_values(progress),
            )
        )
        save_deferrals(self.connection, signoff_id, progress)
        stored = {
            (r.reviewer, r.document_version, r.meeting_key)
            for r in self.connection.execute(
                select(decisions.c.reviewer, decisions.c.document_version, decisions.c.meeting_key).where(
                    decisions.c.signoff_id == signoff_id, decisions.c.stage_id == progress.stage_id
                )
            )
        }
        for d in progress.decisions:
            values = decision_values(d)
            if (d.reviewer, d.document_version, values["meeting_key"]) not in stored:
                self.connection.execute(
                    insert(decisions).values(
                        signoff_id=signoff_id,
                        stage_id=progress.stage_id,
                        reviewer=d.reviewer,
                        decision=d.verdict.value,
                        comment=d.comment,
                        at=d.at,
                        document_version=d.document_version,
                        on_behalf_of=d.on_behalf_of,
                        **values,
                    )
                )

    def set_rag(self, signoff_id: str, rag: str) -> None:
        self.connection.execute(update(signoffs).where(signoffs.c.id == signoff_id).values(rag=rag))

    def listing(self) -> list[SignOffLine]:
        """A line per sign-off, newest first."""
        query = select(
            signoffs.c.id,
            signoffs.c.title,
            signoffs.c.state,
            signoffs.c.route_id,
            signoffs.c.lead_email,
            signoffs.c.created_at,
            signoffs.c.target,
            signoffs.c.rag,
            signoffs.c.route_yaml,
        ).order_by(signoffs.c.created_at.desc())
        return [
            SignOffLine(*row[:-1], organisation=self._routes.route(row[-1], signoff_id=row[0]).organisation)
            for row in self.connection.execute(query)
        ]

    def in_progress_ids(self) -> list[str]:
        query = select(signoffs.c.id).where(signoffs.c.state == SignOffState.IN_PROGRESS.value)
        return list(self.connection.execute(query.order_by(signoffs.c.created_at)).scalars())

    def in_progress_titled(self, title: str) -> str | None:
        query = select(signoffs.c.id).where(
            signoffs.c.title == title, signoffs.c.state == SignOffState.IN_PROGRESS.value
        )
        found = self.connection.execute(query).scalar()
        return None if found is None else str(found)

    def waiting_to_advance(self) -> list[SignOffToAdvance]:
        """Sign-offs with a change the orchestrator has not yet acted on, oldest first."""
        started = (
            select(stage_runs.c.signoff_id)
            .where(stage_runs.c.signoff_id == signoffs.c.id, stage_runs.c.opened_at.is_not(None))
            .exists()
        )
        query = (
            select(signoffs.c.id, signoffs.c.title, started)
            .where(signoffs.c.pending_advance.is_(True))
            .order_by(signoffs.c.created_at)
        )
        return [SignOffToAdvance(r[0], r[1], bool(r[2])) for r in self.connection.execute(query)]

    def titles(self, signoff_ids: Sequence[str]) -> dict[str, str]:
        """Document titles by sign-off id (to name flow runs)."""
        query = select(signoffs.c.id, signoffs.c.title).where(signoffs.c.id.in_(list(signoff_ids)))
        return {r.id: r.title for r in self.connection.execute(query)}

    def ids_starting_with(self, prefix: str, *, limit: int) -> list[str]:
        """Up to ``limit`` ids that begin with ``prefix`` (a LIKE on the primary key's index)."""
        query = select(signoffs.c.id).where(signoffs.c.id.startswith(prefix, autoescape=True))
        return list(self.connection.execute(query.order_by(signoffs.c.id).limit(limit)).scalars())
