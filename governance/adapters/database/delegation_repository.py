"""Reviews handed on (the ``delegations`` table): stored one by one, loaded with their sign-off."""

from __future__ import annotations

from sqlalchemy import Connection, insert, select

from governance.adapters.database.loop_tables import delegations
from governance.domain.handovers import Handover, HandoverHow
from governance.domain.signoff import SignOff


class SqlDelegations:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def add(self, signoff_id: str, stage_id: str, handover: Handover) -> None:
        self.connection.execute(
            insert(delegations).values(
                signoff_id=signoff_id,
                stage_id=stage_id,
                version=handover.version,
                reviewer=handover.reviewer,
                deputy=handover.deputy,
                how=handover.how.value,
                made_by=handover.by,
                at=handover.at,
            )
        )


def load_handovers(connection: Connection, signoff: SignOff) -> None:
    """Put each stage's handovers, oldest first, into the sign-off's progress."""
    query = (
        select(delegations)
        .where(delegations.c.signoff_id == signoff.id)
        .order_by(delegations.c.at, delegations.c.id)
    )
    for row in connection.execute(query):
        progress = signoff.stages.get(row.stage_id)
        if progress is not None:
            handover = Handover(
                row.reviewer, row.deputy, HandoverHow(row.how), row.version, row.made_by, row.at
            )
            progress.handovers.append(handover)
