"""``signoff routes``: check and show route files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from governance.adapters.route_files import (
    Problem,
    RouteFileError,
    UnknownRoute,
    describe_route,
    find_route,
    route_to_json,
)
from governance.domain.london_time import london_date, utc_now
from governance.domain.route import Route
from governance.entrypoints.cli.common import fail, load_settings, print_json
from governance.services.route_picture import picture_for
from governance.services.route_svg import render_svg

app = typer.Typer(help="Check and show sign-off route files.", no_args_is_help=True)


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="routes")


@app.command("validate")
def validate(
    routes: list[str] = typer.Argument(
        ...,
        metavar="ROUTE...",
        help="Route files to check: their paths, or the ids written inside files in the routes directory.",
    ),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output: one object per file."),
) -> None:
    """Check route files; prints PATH:LINE: message for each problem and exits 1 if any."""
    routes_dir = load_settings().routes_dir
    checked = [_check(route, routes_dir=routes_dir) for route in routes]
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


def _check(ref: str, *, routes_dir: Path) -> dict[str, Any]:
    """One route, named by its file's path or by its id as every other command takes it."""
    try:
        route, path = find_route(ref, routes_dir=routes_dir)
    except UnknownRoute as error:
        return _invalid(ref, [Problem(ref, 0, str(error))])
    except RouteFileError as error:
        paths = {problem.path for problem in error.problems}
        return _invalid(paths.pop() if len(paths) == 1 else ref, error.problems)
    return {"path": str(path), "valid": True, "route": route.id, "stages": len(route.stages), "problems": []}


def _invalid(path: str, problems: list[Problem]) -> dict[str, Any]:
    """A failed check; a problem in another file than ``path`` names its file in its message."""
    listed = [
        {"line": p.line, "message": p.message if p.path == path else f"{p.path}: {p.message}"}
        for p in problems
    ]
    return {"path": path, "valid": False, "route": None, "stages": None, "problems": listed}


@app.command("show")
def show(
    route: str = typer.Argument(
        ..., help="A route file's path, or the id written inside a file in the routes directory."
    ),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
    svg: Path | None = typer.Option(
        None, "--svg", metavar="FILE", help="Also draw the route as SVG in FILE."
    ),
) -> None:
    """Print a route's stages in order, parallel groups visible; --svg also draws them."""
    settings = load_settings()
    try:
        found, _path = find_route(route, routes_dir=settings.routes_dir)
    except (UnknownRoute, RouteFileError) as error:
        fail(str(error).replace("\n", "; "))
    if svg is not None:
        _write_picture(found, svg)
        typer.echo(f"Wrote the route picture to {svg}", err=as_json)  # stdout stays JSON with --json
    if as_json:
        print_json(route_to_json(found))
        return
    typer.echo(f"{found.name} ({found.id}) - {found.organisation}")
    for line in describe_route(found):
        typer.echo(line)


def _write_picture(route: Route, path: Path) -> None:
    """Draw ``route`` as of today into ``path``; a path that cannot be written fails with one line."""
    problem = f"cannot write the route picture to {path}"
    if not path.parent.exists():
        fail(f"{problem}: the folder {path.parent} does not exist")
    if not path.parent.is_dir():
        fail(f"{problem}: {path.parent} is not a folder")
    if path.is_dir():
        fail(f"{problem}: it is a folder; give a file name such as {path / route.id}.svg")
    markup = render_svg(picture_for(route, today=london_date(utc_now())))
    try:
        path.write_text(markup + "\n", encoding="utf-8")
    except OSError as error:
        fail(f"{problem}: {error.strerror or error}")
