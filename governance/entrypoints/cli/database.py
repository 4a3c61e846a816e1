"""``signoff db upgrade``: bring the product's database schema up to date, on purpose."""

from __future__ import annotations

import typer

from governance.entrypoints.cli.common import load_settings, open_database

app = typer.Typer(help="The product's database: bring its schema up to date.", no_args_is_help=True)


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="db")


@app.command("upgrade")
def upgrade() -> None:
    """Apply every migration the installed version has; run once per release, before starting it."""
    settings = load_settings()
    db = open_database(settings)  # migrates, or fails with one line
    typer.echo(f"the database {db.engine.url.render_as_string(hide_password=True)} is up to date")
    db.dispose()
