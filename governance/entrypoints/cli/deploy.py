"""``signoff deploy``: register the product's Prefect deployments for workers to run."""

from __future__ import annotations

import typer

from governance.entrypoints.cli.common import fail, load_settings

STEPS_OPTION = typer.Option(8, "--limit", min=1, help="Steps (advance, watcher, reconciler) running at once.")
MAIL_OPTION = typer.Option(4, "--mail-limit", min=1, help="Delivery runs sending mail at once.")


def register(app: typer.Typer) -> None:
    app.command("deploy")(deploy)


def deploy(steps: int = STEPS_OPTION, mail: int = MAIL_OPTION) -> None:
    """Register the work pool, deployments and schedules on the Prefect server PREFECT_API_URL names.

    Run it once per release, after signoff db upgrade. It creates the signoff work pool (process
    type) if it is missing and creates or updates the rest; then run prefect worker start --pool
    signoff on each machine, with SIGNOFF_ORCHESTRATION=deployments and the same SIGNOFF_* settings
    everywhere."""
    from governance.entrypoints.composition.orchestration import deploy as register_deployments

    settings = load_settings()
    try:
        lines = register_deployments(settings, steps=steps, mail=mail)
    except RuntimeError as error:
        fail(str(error), code=1)
    for line in lines:
        typer.echo(line)
    if not settings.runs_on_workers:
        typer.echo(
            "note: SIGNOFF_ORCHESTRATION is not 'deployments' here: set it for every signoff web process "
            "so that recorded decisions start these deployments",
            err=True,
        )
