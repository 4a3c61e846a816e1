"""D1 (run when named): a stage-closing decision and the next stage opened, services only, SQLite.

Kept from before P1..P6 for comparison with earlier runs; P1 and P3 measure the same path end to end.
"""

from __future__ import annotations

import secrets
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from governance.entrypoints.demo import DEMO_ROUTE

if TYPE_CHECKING:
    from governance.adapters.database.database import Database
    from governance.settings import Settings


def measure() -> dict[str, object]:
    """Median time to record a decision that closes a stage and open the next (SQLite, no Prefect)."""
    from governance.adapters.database.database import Database
    from governance.settings import Settings

    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(data_dir=Path(folder), secret_key=secrets.token_hex(16))
        settings.data_dir.mkdir(exist_ok=True)
        db = Database(settings.sqlalchemy_url)
        db.migrate()
        document = Path(folder) / "agreement.txt"
        document.write_text("agreement")
        timings = [_one_decision(db, settings, document) for _ in range(30)]
        db.dispose()
    description = "record the decision that closes a stage, then open the next two (SQLite, services only)"
    return {
        "value": statistics.median(timings),
        "unit": "ms",
        "target": "< 50 ms",
        "description": description,
    }


def _one_decision(db: Database, settings: Settings, document: Path) -> float:
    """Start a sign-off, decide its first stage but one reviewer, then time the closing decision."""
    from governance.adapters.route_files import parse_route
    from governance.domain.rules import Verdict
    from governance.services.signoffs import NewSignOff, advance_signoff, decide_by_token, start_signoff

    text = DEMO_ROUTE.read_text()
    now = datetime(2026, 12, 1, 10, tzinfo=UTC)
    request = NewSignOff(parse_route(text, path="demo"), text, "Bench", document, "lead@example.org", None)
    signoff_id = start_signoff(db, settings, request, now=now)
    advance_signoff(db, settings, signoff_id, now=now)
    tokens = _queued_tokens(db, settings, signoff_id)
    decide_by_token(db, tokens[0], verdict=Verdict.APPROVE, comment="", now=now, settings=settings)
    began = time.perf_counter()
    later = now + timedelta(minutes=1)
    decide_by_token(db, tokens[1], verdict=Verdict.APPROVE, comment="", now=later, settings=settings)
    advance_signoff(db, settings, signoff_id, now=later)
    return (time.perf_counter() - began) * 1000


def _queued_tokens(db: Database, settings: Settings, signoff_id: str) -> list[str]:
    """The link tokens of the sign-off's queued invitations, as the emails would carry them."""
    from sqlalchemy import select

    from governance.adapters.database.tables import outbox
    from governance.services.tokens import token_from_nonce

    with db.transaction() as connection:
        query = select(outbox.c.token_nonce).where(outbox.c.signoff_id == signoff_id)
        nonces = connection.execute(query).scalars().all()
    return [token_from_nonce(n, settings.signing_key()) for n in nonces if n]
