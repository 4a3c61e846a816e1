"""Loads a sign-off aggregate from its rows and writes its changes back."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Row, insert, select, update

from governance.adapters.database.committee_rows import load_deferrals, load_stage, minutes_of
from governance.adapters.database.delegation_repository import load_handovers
from governance.adapters.database.route_cache import RouteCache
from governance.adapters.database.route_versions import route_text, store_route_version
from governance.adapters.database.signoff_changes import AsRead, as_read, write_changes
from governance.adapters.database.tables import decisions, signoffs, stage_runs
from governance.adapters.database.watch_repository import watch_columns
from governance.domain.route import Route, StageKind
from governance.domain.rules import Verdict
from governance.domain.signoff import Decision, SignOff, SignOffState, StageProgress, StageState
from governance.services.ports import SignOffNotFound
from governance.services.stored_records import SignOffLine, SignOffRecord, SignOffToAdvance


class SqlSignOffs:
    """Sign-offs in the database; ``get(..., for_update=True)`` locks the row on PostgreSQL.

    On SQLite the write unit of work already holds the database's write lock from its start."""

    def __init__(self, connection: Connection, routes: RouteCache) -> None:
        self.connection = connection
        self._routes = routes
        self._as_read: dict[str, AsRead] = {}  # each sign-off as read or last saved, for ``save``

    def add(self, signoff: SignOff, *, route_yaml: str, document_filename: str, document_path: str) -> None:
        """Insert a new sign-off and its stages (and its route version, the first time it is used)."""
        sha = store_route_version(self.connection, route_yaml, signoff.route.id, now=signoff.created_at)
        self.connection.execute(
            insert(signoffs).values(
                id=signoff.id,
                route_id=signoff.route.id,
                route_name=signoff.route.name,
                route_sha256=sha,
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
                **watch_columns(signoff.state),
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
        query = select(*columns, signoffs.c.rag, signoffs.c.route_sha256).where(signoffs.c.id == signoff_id)
        found = self.connection.execute(query).first()
        if found is None:
            raise SignOffNotFound(signoff_id)
        return _record_of(signoff_id, found)

    def get(self, signoff_id: str, *, for_update: bool = False) -> SignOff:
        """The aggregate with its stages and decisions."""
        return self.get_with_record(signoff_id, for_update=for_update)[0]

    def get_with_record(self, signoff_id: str, *, for_update: bool = False) -> tuple[SignOff, SignOffRecord]:
        """The aggregate and what is stored beside it (``record``), from one read of its row."""
        query = select(signoffs).where(signoffs.c.id == signoff_id)
        if for_update:
            query = query.with_for_update()
        row = self.connection.execute(query).first()
        if row is None:
            raise SignOffNotFound(signoff_id)
        signoff = self._aggregate(row)
        self._load_stages(signoff)
        self._as_read[signoff_id] = as_read(signoff, pending_advance=row.pending_advance)
        return signoff, _record_of(signoff_id, row)

    def _aggregate(self, row: Row[tuple[object, ...]]) -> SignOff:
        return SignOff(
            id=row.id,
            route=self.route_of(row.id, row.route_sha256),
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

    def route_of(self, signoff_id: str, sha256: str) -> Route:
        """The parsed route version ``sha256`` (its text read only when no unit of work parsed it yet)."""
        text = lambda: route_text(self.connection, sha256)  # noqa: E731 - read only on a cache miss
        return self._routes.route(sha256, text=text, signoff_id=signoff_id)

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
        if any(stage.kind is StageKind.MEETING for stage in signoff.route.stages):
            load_deferrals(self.connection, signoff)  # only a committee defers: a review stage never does
        load_handovers(self.connection, signoff)

    def save(self, signoff: SignOff, *, pending_advance: bool, completed_at: datetime | None = None) -> None:
        """Write back what changed since the sign-off was read: its row's flags, the stages that
        changed, and the new decisions and deferrals (never every stage, never every decision)."""
        before = self._as_read.get(signoff.id)
        if before is None:  # not read through this unit of work: compare with what is stored
            self.get(signoff.id)
            before = self._as_read[signoff.id]
        self._as_read[signoff.id] = write_changes(
            self.connection, signoff, before, pending_advance=pending_advance, completed_at=completed_at
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
            signoffs.c.route_sha256,
        ).order_by(signoffs.c.created_at.desc())
        return [
            SignOffLine(*row[:-1], organisation=self.route_of(row[0], row[-1]).organisation)
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


def _record_of(signoff_id: str, row: Row[*tuple[Any, ...]]) -> SignOffRecord:
    """What is stored beside the aggregate, from a ``signoffs`` row (or a row of those columns)."""
    return SignOffRecord(
        signoff_id,
        row.document_filename,
        row.document_path,
        row.completed_at,
        row.rag,
        route_sha256=row.route_sha256,
    )
