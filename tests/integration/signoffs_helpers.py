"""Helpers for tests that drive real sign-offs through the services (a plain module, not fixtures)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from sqlalchemy import select

from governance.adapters.database.database import Database
from governance.adapters.database.tables import outbox
from governance.adapters.route_files import parse_route
from governance.services.signoffs import NewSignOff, advance_signoff, start_signoff
from governance.services.tokens import token_from_nonce
from governance.settings import Settings

SPINE_ROUTE = Path(__file__).resolve().parent.parent / "fixtures" / "spine-route.yaml"


def start_spine_signoff(
    db: Database,
    settings: Settings,
    *,
    now: datetime,
    tmp: Path,
    target: date | None = date(2027, 3, 31),
    title: str = "VCSE partnership agreement",
    route_text: str | None = None,
) -> str:
    """A sign-off on the spine route (or ``route_text``, a version of it), its first stage opened."""
    document = tmp / "agreement.pdf"
    document.write_bytes(b"%PDF-1.4 agreement")
    text = SPINE_ROUTE.read_text() if route_text is None else route_text
    request = NewSignOff(
        route=parse_route(text, path=str(SPINE_ROUTE)),
        route_yaml=text,
        title=title,
        document=document,
        lead="lead@icb.example.nhs.uk",
        target=target,
    )
    signoff_id = start_signoff(db, settings, request, now=now)
    advance_signoff(db, settings, signoff_id, now=now)
    return signoff_id


def queued(db: Database, signoff_id: str) -> list[tuple[str, str]]:
    """(kind, recipient) of every queued notification of a sign-off, in order."""
    query = (
        select(outbox.c.kind, outbox.c.recipient)
        .where(outbox.c.signoff_id == signoff_id)
        .order_by(outbox.c.id)
    )
    with db.transaction() as connection:
        return [(r.kind, r.recipient) for r in connection.execute(query)]


def links(db: Database, settings: Settings, signoff_id: str) -> dict[tuple[str, str], str]:
    """The newest action-link token per (stage id, reviewer), re-derived as the sender would."""
    query = (
        select(outbox.c.recipient, outbox.c.context, outbox.c.token_nonce)
        .where(outbox.c.signoff_id == signoff_id, outbox.c.token_nonce.is_not(None))
        .order_by(outbox.c.id)
    )
    import json

    found = {}
    with db.transaction() as connection:
        for row in connection.execute(query):
            stage_id = json.loads(row.context)["stage"]["id"]
            found[stage_id, row.recipient] = token_from_nonce(row.token_nonce, settings.signing_key())
    return found
