"""Databases for the figures, and sign-offs in them made through the product's own use cases.

Every figure that needs sign-offs gets them from here, so the figures measure the rows the product
really writes. ``clone_waiting`` copies one real sign-off's rows many times, in one transaction, for
the figures that need tens of thousands waiting (made one by one they would take longer than the
whole run).
"""

from __future__ import annotations

import itertools
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import create_engine, make_url, select, text

from governance.adapters.database.database import Database
from governance.adapters.database.tables import outbox, signoffs, stage_runs
from governance.adapters.route_files import parse_route
from governance.services.signoffs import NewSignOff, advance_signoff, start_signoff
from governance.services.tokens import token_from_nonce
from governance.settings import Settings

POSTGRES_VARIABLE = "SIGNOFF_BENCH_POSTGRES_URL"
CHUNK = 5000  # rows per executemany while cloning
DATABASES = ("sqlite", "postgresql")


class NoDatabase(LookupError):
    """This database kind cannot be measured here (no PostgreSQL server named)."""


def route_yaml(reviewers: int, *, next_reviewers: int = 2, approvals: str = "all") -> str:
    """A two-stage route: ``reviewers`` on the first stage, ``next_reviewers`` on the second."""
    first = ", ".join(f"reviewer{n}@icb.example.nhs.uk" for n in range(reviewers))
    second = ", ".join(f"next{n}@icb.example.nhs.uk" for n in range(next_reviewers))
    return (
        "id: bench-route\nname: Benchmark route\norganisation: NHS Bench ICB\nstages:\n"
        f"  - {{id: first, name: First review, kind: review, reviewers: [{first}], "
        f"approvals: {approvals}, due_working_days: 10}}\n"
        f"  - {{id: second, name: Second review, kind: review, reviewers: [{second}], "
        "approvals: all, due_working_days: 10}\n"
    )


def postgres_server() -> str:
    """The PostgreSQL server the figures may use (``SIGNOFF_BENCH_POSTGRES_URL``); NoDatabase if none."""
    base = os.environ.get(POSTGRES_VARIABLE)
    if not base:
        msg = f"{POSTGRES_VARIABLE} is not set"
        raise NoDatabase(msg)
    return base


@contextmanager
def database_url(kind: str, folder: Path) -> Iterator[str]:
    """A fresh, empty database of ``kind``: a SQLite file in ``folder`` or a PostgreSQL schema."""
    if kind == "sqlite":
        yield f"sqlite:///{folder / 'bench.db'}"
        return
    base = postgres_server()
    schema = f"signoff_bench_{secrets.token_hex(4)}"
    admin = create_engine(base)
    with admin.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    separator = "&" if "?" in base else "?"
    try:
        yield f"{base}{separator}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@contextmanager
def prefect_database() -> Iterator[str]:
    """A fresh PostgreSQL database for a Prefect server (asyncpg URL), dropped afterwards: a Prefect
    server keeps its own tables, so it is given a database of its own, never the product's."""
    base = postgres_server()
    name = f"signoff_bench_prefect_{secrets.token_hex(4)}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")  # CREATE DATABASE runs outside a transaction
    with admin.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {name}"))
    try:
        yield (
            make_url(base)
            .set(drivername="postgresql+asyncpg", database=name)
            .render_as_string(hide_password=False)
        )
    finally:
        with admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()


@dataclass
class Product:
    """The settings and database a figure runs the product on (the same a server would be given)."""

    settings: Settings
    db: Database

    @classmethod
    def create(cls, folder: Path, url: str) -> Product:
        data = folder / "data"
        data.mkdir(parents=True, exist_ok=True)
        settings = Settings(data_dir=data, database_url=url, secret_key=secrets.token_hex(16))
        db = Database(url)
        db.migrate()
        return cls(settings, db)

    def environment(self, **extra: str) -> dict[str, str]:
        """``SIGNOFF_*`` variables that give a child process these settings."""
        return {
            "SIGNOFF_DATA_DIR": str(self.settings.data_dir),
            "SIGNOFF_DATABASE_URL": self.settings.sqlalchemy_url,
            "SIGNOFF_SECRET_KEY": self.settings.signing_key().decode(),
            **extra,
        }

    def start(self, count: int, route: str, *, now: datetime, advance: bool = True) -> list[str]:
        """Start ``count`` sign-offs on ``route`` (YAML), their first stage opened when ``advance``."""
        document = self.settings.data_dir / "agreement.txt"
        document.write_text("A partnership agreement, for the benchmark.")
        parsed = parse_route(route, path="bench-route.yaml")
        request = NewSignOff(parsed, route, "Bench agreement", document, "lead@icb.example.nhs.uk", None)
        ids = []
        for _ in range(count):
            signoff_id = start_signoff(self.db, self.settings, request, now=now)
            if advance:
                advance_signoff(self.db, self.settings, signoff_id, now=now)
            ids.append(signoff_id)
        return ids

    def invitation_links(self, base_url: str) -> dict[str, list[tuple[str, str]]]:
        """Every queued action link, by sign-off: (recipient, absolute URL)."""
        query = select(outbox.c.signoff_id, outbox.c.recipient, outbox.c.token_nonce).where(
            outbox.c.token_nonce.is_not(None)
        )
        key = self.settings.signing_key()
        links: dict[str, list[tuple[str, str]]] = {}
        with self.db.transaction() as connection:
            for signoff_id, recipient, nonce in connection.execute(query.order_by(outbox.c.id)):
                url = f"{base_url.rstrip('/')}/a/{token_from_nonce(nonce, key)}"
                links.setdefault(signoff_id, []).append((recipient, url))
        return links

    def clone_waiting(self, template: str, count: int, *, next_check_at: datetime | None = None) -> None:
        """Copy sign-off ``template``'s own rows and its stages ``count`` times under new ids: as many
        sign-offs waiting on people, without their emails (those were sent long ago). One transaction
        of multi-row inserts; ``next_check_at``: when the watcher is next due to look at the copies."""
        with self.db.transaction() as connection:
            row = dict(connection.execute(select(signoffs).where(signoffs.c.id == template)).one()._mapping)
            stages = [
                dict(r._mapping)
                for r in connection.execute(select(stage_runs).where(stage_runs.c.signoff_id == template))
            ]
            copy = row | {"pending_advance": False, "next_check_at": next_check_at or row["next_check_at"]}
            prefix = template[:6]
            taken_ids = select(signoffs.c.id).where(signoffs.c.id.startswith(prefix, autoescape=True))
            taken = set(connection.execute(taken_ids).scalars())  # the template, and earlier copies
            fresh = (f"{prefix}{n:06x}" for n in itertools.count())
            new_ids = list(itertools.islice((i for i in fresh if i not in taken), count))
            for first in range(0, count, CHUNK):
                ids = new_ids[first : first + CHUNK]
                connection.execute(signoffs.insert(), [copy | {"id": i} for i in ids])
                connection.execute(stage_runs.insert(), [s | {"signoff_id": i} for i in ids for s in stages])
        if self.db.engine.dialect.name == "postgresql":  # what autovacuum would soon do for a real fleet
            with self.db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.execute(text("ANALYZE signoffs, stage_runs"))

    def dispose(self) -> None:
        self.db.dispose()
