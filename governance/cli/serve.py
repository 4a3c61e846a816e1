"""``signoff serve`` and ``signoff demo``."""

from __future__ import annotations

import typer

from governance.cli.common import fail, load_settings, open_database


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
    app.command("demo")(demo)


def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8000, "--port", help="Port for the web app."),
) -> None:
    """Run everything on this machine: web app, Prefect flows, scheduled jobs, and the mail sink."""
    from governance import bootstrap

    settings = load_settings()
    db = open_database(settings)
    try:
        bootstrap.serve(settings, db, host=host, port=port)
    except RuntimeError as error:
        fail(str(error), code=1)
    except KeyboardInterrupt:
        typer.echo("signoff stopped.")


def demo(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8000, "--port", help="Port for the web app."),
) -> None:
    """Set up a demo route and sign-off on the embedded defaults, then serve them."""
    from governance import bootstrap
    from governance.demo import prepare_demo

    settings = load_settings()
    db = open_database(settings)
    signoff_id = prepare_demo(settings, db)
    typer.echo(f"Demo sign-off {signoff_id}: open the dev mailbox to play each reviewer.")
    try:
        bootstrap.serve(settings, db, host=host, port=port)
    except RuntimeError as error:
        fail(str(error), code=1)
    except KeyboardInterrupt:
        typer.echo("signoff stopped.")
