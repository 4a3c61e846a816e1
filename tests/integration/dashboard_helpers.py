"""Sign-offs for the dashboard and report tests: on two organisations' routes, in every state."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from governance.adapters.database.database import Database
from governance.adapters.route_files import parse_route
from governance.domain.rules import Verdict
from governance.services.signoffs import (
    NewSignOff,
    advance_signoff,
    cancel_signoff,
    decide_by_token,
    start_signoff,
)
from governance.settings import Settings
from tests.integration.web_fixtures import (
    DOCUMENT_BYTES,
    FINANCE,
    LEAD,
    ROUTE_YAML,
    STARTED,
    invitation_tokens,
)

SOUTH = "NHS South ICB"
SOUTH_YAML = ROUTE_YAML.replace("organisation: NHS Example ICB", f"organisation: {SOUTH}").replace(
    "id: contracts-over-250k", "id: south-contracts"
)


def text_of(html: str) -> str:
    """The page's words with tags dropped and white space squeezed, as a reader sees them."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def start(
    settings: Settings,
    db: Database,
    title: str,
    *,
    route_yaml: str = ROUTE_YAML,
    days_later: int = 0,
    target: date | None = date(2026, 4, 30),
    lead: str = LEAD,
) -> str:
    """A sign-off started ``days_later`` days after STARTED, its first stage open."""
    document = settings.data_dir / "uploads" / "agreement.pdf"
    document.parent.mkdir(parents=True, exist_ok=True)
    document.write_bytes(DOCUMENT_BYTES)
    now = STARTED + timedelta(days=days_later)
    route = parse_route(route_yaml, path="route.yaml")
    request = NewSignOff(route, route_yaml, title, document, lead, target)
    signoff_id = start_signoff(db, settings, request, now=now)
    advance_signoff(db, settings, signoff_id, now=now)
    return signoff_id


def decide(
    settings: Settings, db: Database, signoff_id: str, reviewer: str, verdict: Verdict, at: datetime
) -> None:
    token = invitation_tokens(settings, db, signoff_id)[reviewer]
    result = decide_by_token(db, token, verdict=verdict, comment="", now=at, settings=settings)
    assert result is not None
    assert result.recorded, result.message
    advance_signoff(db, settings, signoff_id, now=at)


def rejected(settings: Settings, db: Database, title: str) -> str:
    signoff_id = start(settings, db, title)
    decide(settings, db, signoff_id, FINANCE[0], Verdict.REJECT, STARTED + timedelta(days=1))
    return signoff_id


def cancelled(settings: Settings, db: Database, title: str) -> str:
    signoff_id = start(settings, db, title)
    cancel_signoff(db, settings, signoff_id, now=STARTED + timedelta(days=1))
    return signoff_id


def with_rag(db: Database, signoff_id: str, rag: str) -> None:
    with db.write() as uow:
        uow.signoffs.set_rag(signoff_id, rag)


def moment(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)
