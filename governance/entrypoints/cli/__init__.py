"""The ``signoff`` command. Prefect is imported only by the commands that run flows."""

from __future__ import annotations

import typer

from governance.entrypoints.cli import audit, bench, outbox, plan, routes, serve, signoffs, users

app = typer.Typer(
    help="signoff: multi-stage governance sign-off with key dates, emailed decisions and Prefect-run steps.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(routes.app, name="routes")
signoffs.register(app)
serve.register(app)
plan.register(app)
bench.register(app)
outbox.register(app)
users.register(app)
audit.register(app)


def main() -> None:
    app()
