"""``signoff start``, ``status`` and ``cancel``: the lead's commands."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import typer

from governance.adapters.database.database import Database
from governance.adapters.route_files import RouteFileError, UnknownRoute, find_route
from governance.adapters.route_files.loop_keys import valid_tag
from governance.adapters.route_files.yaml_nodes import EMAIL
from governance.domain.london_time import london_date, utc_now
from governance.entrypoints.cli.common import (
    fail,
    load_settings,
    open_database,
    parse_date,
    print_json,
    signoff_id_of,
)
from governance.services.ports import SignOffNotFound
from governance.services.signoffs import NewSignOff
from governance.settings import Settings

TAG_HELP = (
    "Run the route's stages marked 'when: {tag: TAG}' (repeatable; lower-case letters, digits, '-' and "
    "'_'); without their tag those stages are skipped. 'signoff routes show ROUTE' names the tags its "
    "stages use."
)


def register(app: typer.Typer) -> None:
    app.command("start")(start)
    app.command("status")(status)
    app.command("cancel")(cancel)


def start(
    route: str = typer.Argument(
        ..., help="A route file's path, or the id written inside a file in the routes directory."
    ),
    title: str = typer.Option(
        ..., "--title", help="The document's title, e.g. 'VCSE partnership agreement'."
    ),
    document: Path = typer.Option(
        ..., "--document", help="The document file; it is copied and its SHA-256 recorded."
    ),
    lead: str = typer.Option(..., "--lead", help="The lead's email: gets progress emails."),
    target: str | None = typer.Option(
        None,
        "--target",
        help="The date it must be signed off by (YYYY-MM-DD): from today up to five years ahead.",
    ),
    tag: list[str] = typer.Option([], "--tag", help=TAG_HELP),
    as_json: bool = typer.Option(
        False, "--json", help='Print {"id", "route", "opened_by", "timeline_url", "invited"} as JSON.'
    ),
) -> None:
    """Start a sign-off of a document on a route; prints its id, timeline address and who was invited."""
    from governance.services.signoffs import start_signoff

    settings = load_settings()
    request = _new_signoff(
        settings.routes_dir, route, title=title, document=document, lead=lead, target=target, tags=tag
    )
    _warn_before_start(request)
    db = open_database(settings)
    signoff_id = start_signoff(db, settings, request, now=utc_now())
    opened_by = _open_first_stage(settings, db, signoff_id, title=request.title)
    timeline_url = f"{settings.base_url.rstrip('/')}/signoffs/{signoff_id}"
    invited = _invited(db, signoff_id) if opened_by == "here" else None
    if as_json:
        started = {"id": signoff_id, "route": request.route.id, "opened_by": opened_by}
        print_json(started | {"timeline_url": timeline_url, "invited": invited})
        return
    _print_started(signoff_id, timeline_url=timeline_url, invited=invited, opened_by=opened_by)


def _print_started(
    signoff_id: str, *, timeline_url: str, invited: list[dict[str, Any]] | None, opened_by: str
) -> None:
    """The id alone on the first line (for scripts), then where to follow it and who was invited."""
    typer.echo(signoff_id)
    typer.echo(f"Timeline: {timeline_url}")
    if opened_by == "workers":
        typer.echo("Invited: the first stage opens on a Prefect worker; its reviewers are emailed shortly.")
    elif invited is None:
        typer.echo(
            "Invited: the first stage opens when signoff serve runs; it is running, "
            "so its reviewers are emailed within seconds."
        )
    elif not invited:
        typer.echo("Invited: nobody yet (no stage is open).")
    for stage in invited or ():
        typer.echo(f"Invited to {stage['name']} ({stage['stage']}): {', '.join(stage['reviewers'])}")


def _new_signoff(
    routes_dir: Path,
    route: str,
    *,
    title: str,
    document: Path,
    lead: str,
    target: str | None,
    tags: list[str],
) -> NewSignOff:
    """The request, checked before anything is stored; fails with one line on bad input."""
    try:
        found, path = find_route(route, routes_dir=routes_dir)
    except (UnknownRoute, RouteFileError) as error:
        fail(str(error).replace("\n", "; "))
    if not title.strip():
        fail("--title must not be empty")
    if not document.is_file():
        fail(f"--document {str(document)!r}: no such file")
    if not EMAIL.fullmatch(lead.strip()):
        fail(f"--lead {lead!r} is not a valid email address")
    return NewSignOff(
        route=found,
        route_yaml=path.read_text(),
        title=title.strip(),
        document=document,
        lead=lead.strip().lower(),
        target=_target(target),
        tags=_tags(tags),
    )


def _target(value: str | None) -> date | None:
    """The --target date, refused when it is in the past or more than five years ahead."""
    from governance.domain.start_rules import target_refusal

    target = parse_date(value, option="--target")
    if target is None:
        return None
    refusal = target_refusal(target, today=london_date(utc_now()))
    if refusal:
        fail(f"--target {target}: {refusal}; nothing was started")
    return target


def _tags(values: list[str]) -> frozenset[str]:
    """The --tag values as lower-case slugs; fails on the first that is not one."""
    tags = [value.strip().lower() for value in values]
    for given, tag in zip(values, tags, strict=True):
        if not valid_tag(tag):
            fail(
                f"--tag {given!r} is not a tag: use lower-case letters, digits, '-' and '_' "
                "(up to 40 characters, starting with a letter or digit), e.g. --tag financial"
            )
    return frozenset(tags)


def _warn_before_start(request: NewSignOff) -> None:
    """Warn on stderr about tags no stage uses and a plan that cannot meet the target; never refuses."""
    from governance.domain.start_rules import tags_used, unused_tags

    unused = unused_tags(request.route, request.tags)
    if unused:
        used = tags_used(request.route)
        uses = f"its stages use: {', '.join(used)}" if used else "it has no conditional stages"
        names = ", ".join(unused)
        typer.echo(
            f"signoff: warning: no stage of route '{request.route.id}' uses --tag {names} ({uses})", err=True
        )
    if request.target is not None:
        from governance.services.start_checks import infeasibility

        today = london_date(utc_now())
        found = infeasibility(request.route, tags=request.tags, target=request.target, start=today)
        if found is not None:
            typer.echo(f"signoff: warning: {found}", err=True)


def _open_first_stage(settings: Settings, db: Database, signoff_id: str, *, title: str) -> str:
    """Leave it to a running ``signoff serve``, or run the start flow here."""
    from governance.adapters.runtime_file import read_runtime, server_alive

    if server_alive(read_runtime(settings.data_dir)):
        return "server"
    from governance.entrypoints.composition import run_start_flow_here

    run_start_flow_here(settings, db, signoff_id, title=title)  # scaled out: asks Prefect's workers
    if settings.runs_on_workers:
        return "workers"
    typer.echo(
        "note: signoff serve is not running; the first stage is open and its emails are queued "
        "until it runs.",
        err=True,
    )
    return "here"


def _invited(db: Database, signoff_id: str) -> list[dict[str, Any]]:
    """Each stage open now, with the people emailed a link to it."""
    from governance.domain.signoff import StageState
    from governance.services.status import signoff_status

    stages = signoff_status(db, signoff_id).stages
    return [
        {"stage": stage.id, "name": stage.name, "reviewers": list(stage.awaiting)}
        for stage in stages
        if stage.state is StageState.OPEN
    ]


def status(
    signoff_id: str | None = typer.Argument(
        None, help="A sign-off's id, or any unique start of it; without it, all sign-offs."
    ),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
) -> None:
    """Show one sign-off's stages and decisions, or a line per sign-off."""
    from governance.entrypoints.cli.show import print_overview, print_signoff
    from governance.entrypoints.status_json import lines_to_json, status_to_json
    from governance.services.status import all_signoffs, signoff_status

    settings = load_settings()
    db = open_database(settings)
    if signoff_id is None:
        overview = all_signoffs(db)
        print_json(lines_to_json(overview)) if as_json else print_overview(overview)
        return
    try:
        found = signoff_status(db, signoff_id_of(db, signoff_id))
    except SignOffNotFound as error:
        fail(str(error))
    if as_json:
        from governance.entrypoints.prefect_links import addresses

        print_json(status_to_json(found, prefect=addresses(settings)))
    else:
        print_signoff(found)


def cancel(
    signoff_id: str = typer.Argument(..., help="The sign-off to cancel: its id, or any unique start of it."),
) -> None:
    """Cancel a sign-off in progress; reviewers still awaited are told they need not act."""
    from governance.domain.errors import TransitionNotAllowed
    from governance.services.audit import Actor
    from governance.services.signoffs import cancel_signoff

    settings = load_settings()
    db = open_database(settings)
    signoff_id = signoff_id_of(db, signoff_id)
    try:
        cancel_signoff(db, settings, signoff_id, now=utc_now(), actor=Actor("command line"))
    except (SignOffNotFound, TransitionNotAllowed) as error:
        fail(str(error))
    typer.echo(f"{signoff_id} cancelled")
