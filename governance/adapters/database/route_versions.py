"""Route versions: each route text a sign-off started on, stored once under its SHA-256."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, insert, select
from sqlalchemy.exc import IntegrityError

from governance.adapters.database.tables import route_versions
from governance.services.stored_records import route_sha256


def store_route_version(connection: Connection, route_yaml: str, route_id: str, *, now: datetime) -> str:
    """The version's SHA-256, inserting its text the first time it is seen. Two sign-offs started
    at once on a new version both try: the one that loses the race rolls back only its savepoint."""
    sha = route_sha256(route_yaml)
    known = select(route_versions.c.sha256).where(route_versions.c.sha256 == sha)
    if connection.execute(known).first() is not None:
        return sha
    try:
        with connection.begin_nested():
            values = {"sha256": sha, "route_id": route_id, "yaml": route_yaml, "created_at": now}
            connection.execute(insert(route_versions).values(**values))
    except IntegrityError:
        pass  # stored meanwhile by a concurrent start: the same text under the same key
    return sha


def route_text(connection: Connection, sha256: str) -> str:
    """The YAML of route version ``sha256`` (a LookupError when it was never stored)."""
    found = connection.execute(
        select(route_versions.c.yaml).where(route_versions.c.sha256 == sha256)
    ).scalar()
    if found is None:
        msg = f"no route version {sha256} is stored"
        raise LookupError(msg)
    return str(found)
