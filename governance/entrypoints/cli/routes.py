"""``signoff routes``: check and show route files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from governance.adapters.route_files import (
    RouteFileError,
    UnknownRoute,
    describe_route,
    find_route,
    load_route,
    route_to_json,
)
from governance.entrypoints.cli.common import fail, load_settings, print_json

app = typer.Typer(help="Check and show sign-off route files.", no_args_is_help=True)


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="routes")


@app.command("validate")
def validate(
    paths: list[Path] = typer.Argument(..., help="Route files to check."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output: one object per file."),
) -> None:
    """Check route files; prints PATH:LINE: message for each problem and exits 1 if any."""
    checked = [_check(path) for path in paths]
    if as_json:
        print_json(checked)
    else:
        for result in checked:
            for problem in result["problems"]:
                typer.echo(f"{result['path']}:{problem['line']}: {problem['message']}")
            if result["valid"]:
                typer.echo(f"{result['path']}: ok ({result['route']}, {result['stages']} stages)")
    if any(not result["valid"] for result in checked):
        raise typer.Exit(1)


def _check(path: Path) -> dict[str, Any]:
    try:
        route = load_route(path)
    except RouteFileError as error:
        problems = [{"line": p.line, "message": p.message} for p in error.problems]
        return {"path": str(path), "valid": False, "route": None, "stages": None, "problems": problems}
    return {"path": str(path), "valid": True, "route": route.id, "stages": len(route.stages), "problems": []}


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
