"""``signoff revise``, ``away`` and ``reassign``: versions of a document and who reviews it."""

from __future__ import annotations

from pathlib import Path

import typer

from governance.adapters.database.database import Database
from governance.domain.london_time import utc_now
from governance.entrypoints.cli.common import fail, load_settings, open_database, print_json, signoff_id_of
from governance.settings import Settings


def register(app: typer.Typer) -> None:
    app.command("revise")(revise)


def revise(
    signoff_id: str = typer.Argument(..., help="The sign-off that asked for changes."),
    document: Path = typer.Option(..., "--document", help="The revised document; it is copied and hashed."),
    note: str = typer.Option("", "--note", help="What changed, for the reviewers (shown in their email)."),
    as_json: bool = typer.Option(False, "--json", help='Print {"id", "version", "sha256"} as JSON.'),
) -> None:
    """Send a revised version after a request for changes; the stage that asked reopens for it."""
    from governance.adapters.documents.text_extract import extract_text
    from governance.domain.errors import TransitionNotAllowed
    from governance.services.audit import Actor
    from governance.services.ports import SignOffNotFound
    from governance.services.revisions import Revision, revise_signoff

    if not document.is_file():
        fail(f"--document {str(document)!r}: no such file")
    settings = load_settings()
    db = open_database(settings)
    signoff_id = signoff_id_of(db, signoff_id)
    revision = Revision(signoff_id, document, note, Actor("command line"))
    try:
        revised = revise_signoff(db, settings, revision, now=utc_now(), text_of=extract_text)
    except (SignOffNotFound, TransitionNotAllowed) as error:
        fail(str(error))
    version = revised.version
    _advance_now(settings, db, signoff_id, title=revised.title)
    if as_json:
        print_json({"id": signoff_id, "version": version.version, "sha256": version.sha256})
    else:
        typer.echo(f"{signoff_id}: version {version.version} recorded ({version.change_summary})")


def _advance_now(settings: Settings, db: Database, signoff_id: str, *, title: str) -> None:
    """Leave the reopening to a running ``signoff serve``, or run the advance step here."""
    from governance.adapters.runtime_file import read_runtime, server_alive

    if server_alive(read_runtime(settings.data_dir)):
        return
    from governance.entrypoints.composition import run_start_flow_here

    run_start_flow_here(settings, db, signoff_id, title=title, step="advance")
