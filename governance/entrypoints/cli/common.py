"""What every command shares: settings, the database, and failing with one clear line."""

from __future__ import annotations

import json
import sys
from datetime import date
from typing import Any, NoReturn

import typer

from governance.adapters.database.database import Database
from governance.adapters.runtime_file import read_runtime, server_alive
from governance.domain.london_time import shift_clock
from governance.settings import Settings

BAD_INPUT = 2


def fail(message: str, *, code: int = BAD_INPUT) -> NoReturn:
    """Print one line to stderr and exit (2: bad input)."""
    typer.echo(f"signoff: {message}", err=True)
    raise typer.Exit(code)


def load_settings() -> Settings:
    """Settings from the environment; links point at a running ``signoff serve`` unless told otherwise."""
    try:
        settings = Settings()
    except ValueError as error:
        fail(f"invalid SIGNOFF_* setting: {' '.join(str(error).split())}")
    shift_clock(settings.clock_offset_days)
    facts = read_runtime(settings.data_dir)
    if "base_url" not in settings.model_fields_set and server_alive(facts) and facts.get("web_url"):
        return settings.model_copy(update={"base_url": str(facts["web_url"])})
    return settings


def open_database(settings: Settings) -> Database:
    """The product's database, created and migrated on first use."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    db = Database(settings.sqlalchemy_url)
    try:
        db.migrate()
    except Exception as error:
        fail(f"cannot open the database {db.engine.url!r}: {error}", code=1)
    return db


def signoff_id_of(db: Database, given: str) -> str:
    """The full id of the sign-off ``given`` names: its id or any unique prefix, as git takes commits.

    Fails with one line naming what was typed: not hex, no such sign-off, or the candidates."""
    from governance.services.ports import SignOffNotFound
    from governance.services.signoff_ids import AmbiguousSignOffId, NotASignOffId, resolve_signoff_id

    try:
        return resolve_signoff_id(db, given)
    except (NotASignOffId, SignOffNotFound, AmbiguousSignOffId) as error:
        fail(str(error))


def parse_date(value: str | None, *, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        fail(f"{option} {value!r} is not a date; use YYYY-MM-DD, e.g. 2027-03-31")


def print_json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, indent=2, default=str) + "\n")
