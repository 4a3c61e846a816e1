"""Sign-offs started over the in-memory store, and the links their emails carry."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from governance.adapters.route_files import parse_route
from governance.services.signoffs import NewSignOff, advance_signoff, start_signoff
from governance.services.tokens import token_from_nonce
from governance.settings import Settings
from tests.fakes import FakeStore

SPINE_ROUTE = Path(__file__).resolve().parents[2] / "fixtures" / "spine-route.yaml"
LEAD = "lead@icb.example.nhs.uk"
CHAIR, COORDINATOR = "chair@vcse.example.org", "coordinator@vcse.example.org"
NOW = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)


def request(
    tmp: Path, *, route_yaml: str | None = None, target: date | None = date(2027, 3, 31)
) -> NewSignOff:
    document = tmp / "agreement.pdf"
    document.write_bytes(b"%PDF-1.4 agreement")
    text = route_yaml if route_yaml is not None else SPINE_ROUTE.read_text()
    return NewSignOff(
        route=parse_route(text, path="route.yaml"),
        route_yaml=text,
        title="VCSE partnership agreement",
        document=document,
        lead=LEAD,
        target=target,
    )


def started(
    store: FakeStore, settings: Settings, tmp: Path, *, now: datetime = NOW, **options: object
) -> str:
    """A sign-off with its first stage opened (``options``: ``route_yaml``, ``target``)."""
    signoff_id = start_signoff(store, settings, request(tmp, **options), now=now)  # type: ignore[arg-type]
    advance_signoff(store, settings, signoff_id, now=now)
    return signoff_id


def queued(store: FakeStore, *, kind: str | None = None) -> list[tuple[str, str]]:
    """(kind, recipient) of every queued notification, in order."""
    with store.read() as uow:
        rows = uow.outbox.rows()
    return [(r.new.kind, r.new.recipient) for r in rows if kind in (None, r.new.kind)]


def links(store: FakeStore, settings: Settings) -> dict[tuple[str, str], str]:
    """The newest link token per (stage id, reviewer), re-derived from the queued emails."""
    with store.read() as uow:
        rows = uow.outbox.rows()
    return {
        (r.new.context["stage"]["id"], r.new.recipient): token_from_nonce(
            r.new.token_nonce, settings.signing_key()
        )
        for r in rows
        if r.new.token_nonce
    }
