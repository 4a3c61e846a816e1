"""``signoff serve`` and ``signoff demo``."""

from __future__ import annotations

import typer

from governance.adapters.database.database import Database
from governance.entrypoints.cli.common import fail, load_settings, open_database
from governance.settings import Settings

HOST_OPTION = typer.Option("127.0.0.1", "--host", help="Address to listen on.")
PORT_OPTION = typer.Option(8000, "--port", help="Port for the web app.")


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
    app.command("demo")(demo)


def serve(host: str = HOST_OPTION, port: int = PORT_OPTION) -> None:
    """Run everything on this machine: web app, Prefect flows, scheduled jobs, and the mail sink."""
    settings = load_settings()
    _serve_until_stopped(settings, open_database(settings), host=host, port=port)


def demo(host: str = HOST_OPTION, port: int = PORT_OPTION) -> None:
    """Set up a demo route and sign-off on the embedded defaults, then serve them."""
    from governance.entrypoints.demo import prepare_demo

    settings = load_settings()
    db = open_database(settings)
    signoff_id = prepare_demo(settings, db)
    typer.echo(f"Demo sign-off {signoff_id}: open the dev mailbox to play each reviewer.")
    _serve_until_stopped(settings, db, host=host, port=port)


def _serve_until_stopped(settings: Settings, db: Database, *, host: str, port: int) -> None:
    from governance.entrypoints import composition

    try:
        composition.serve(settings, db, host=host, port=port)
    except RuntimeError as error:
        fail(str(error), code=1)
    except KeyboardInterrupt:
        typer.echo("signoff stopped.")
