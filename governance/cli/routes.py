"""``signoff routes``: check and show route files."""

from __future__ import annotations

from pathlib import Path

import typer

from governance.cli.common import fail, load_settings, print_json
from governance.routes import (
    RouteFileError,
    UnknownRoute,
    describe_route,
    find_route,
    load_route,
    route_to_json,
)

app = typer.Typer(help="Check and show sign-off route files.", no_args_is_help=True)


@app.command("validate")
def validate(paths: list[Path] = typer.Argument(..., help="Route files to check.")) -> None:
    """Check route files; prints PATH:LINE: message for each problem and exits 1 if any."""
    problems = 0
    for path in paths:
        try:
            route = load_route(path)
        except RouteFileError as error:
            for problem in error.problems:
                typer.echo(str(problem))
            problems += len(error.problems)
        else:
            typer.echo(f"{path}: ok ({route.id}, {len(route.stages)} stages)")
    if problems:
        raise typer.Exit(1)


@app.command("show")
def show(
    route: str = typer.Argument(
        ..., help="A route file's path, or the id written inside a file in the routes directory."
    ),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
) -> None:
    """Print a route's stages in order, parallel groups visible."""
    settings = load_settings()
    try:
        found, _path = find_route(route, routes_dir=settings.routes_dir)
    except (UnknownRoute, RouteFileError) as error:
        fail(str(error).replace("\n", "; "))
    if as_json:
        print_json(route_to_json(found))
        return
    typer.echo(f"{found.name} ({found.id}) - {found.organisation}")
    for line in describe_route(found):
        typer.echo(line)
