"""``signoff away`` and ``signoff reassign``: who reviews while someone is away, and moving a review."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import typer

from governance.domain.london_time import london_date, utc_now
from governance.entrypoints.cli.common import fail, load_settings, open_database, print_json, signoff_id_of

if TYPE_CHECKING:
    from governance.services.loop_ports import Absence

OFFICE = "command line"


def register(app: typer.Typer) -> None:
    app.command("away")(away)
    app.command("reassign")(reassign)


def away(
    person: str = typer.Argument("", metavar="EMAIL", help="Who is away (not needed with --list)."),
    deputy: str = typer.Option("", "--deputy", help="Who reviews on their behalf meanwhile."),
    starts: str = typer.Option("", "--from", help="The first day away, YYYY-MM-DD (today or later)."),
    ends: str = typer.Option("", "--until", help="The last day away, YYYY-MM-DD (at most a year on)."),
    listing: bool = typer.Option(False, "--list", help="Show the absences not over yet instead."),
    as_json: bool = typer.Option(False, "--json", help="Print the absence (or the list) as JSON."),
) -> None:
    """Record an absence: invitations and reminders to EMAIL in that window go to the deputy."""
    from governance.services.audit import Actor
    from governance.services.delegation import AbsenceRefused, absences_from, record_absence

    settings = load_settings()
    if listing:
        if person or deputy or starts or ends:
            fail("--list takes no EMAIL, --deputy, --from or --until: it shows every absence not over yet")
        _show(absences_from(open_database(settings), today=london_date(utc_now())), as_json=as_json)
        return
    if not person or not deputy or not starts or not ends:
        fail("give EMAIL, --deputy, --from and --until (or --list to see the absences recorded)")
    first, last = _day(starts, option="--from"), _day(ends, option="--until")
    db = open_database(settings)
    try:
        absence = record_absence(
            db, person, deputy, starts=first, ends=last, actor=Actor(OFFICE), now=utc_now()
        )
    except AbsenceRefused as error:
        fail(str(error))
    if as_json:
        print_json(_as_json(absence))
    else:
        typer.echo(
            f"{absence.person} is away {absence.starts} to {absence.ends}: reviews go to {absence.deputy}"
        )


def reassign(
    signoff_id: str = typer.Argument(..., help="The sign-off."),
    stage: str = typer.Option(..., "--stage", help="The open stage whose review moves."),
    from_whom: str = typer.Option(..., "--from", help="Who has the outstanding review now."),
    to_whom: str = typer.Option(..., "--to", help="Who reviews instead; they are emailed a link."),
) -> None:
    """Move an outstanding review to someone else; their decision counts on behalf of the reviewer."""
    from governance.domain.errors import TransitionNotAllowed
    from governance.services.audit import Actor
    from governance.services.delegation import reassign_review
    from governance.services.ports import SignOffNotFound

    settings = load_settings()
    db = open_database(settings)
    signoff_id = signoff_id_of(db, signoff_id)
    try:
        reassign_review(
            db,
            settings,
            signoff_id,
            stage,
            from_whom=from_whom,
            to_whom=to_whom,
            now=utc_now(),
            actor=Actor(OFFICE),
        )
    except (SignOffNotFound, TransitionNotAllowed) as error:
        fail(str(error))
    typer.echo(
        f"{signoff_id}: the review of stage {stage!r} moved from {from_whom} to {to_whom} (emailed a link)"
    )


def _day(value: str, *, option: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        fail(f"{option} {value!r} is not a date; use YYYY-MM-DD, e.g. 2027-03-31")


def _show(absences: list[Absence], *, as_json: bool) -> None:
    if as_json:
        print_json([_as_json(a) for a in absences])
        return
    if not absences:
        typer.echo("No absences recorded from today on.")
    for a in absences:
        typer.echo(f"{a.person}  away {a.starts} to {a.ends}  deputy {a.deputy}  (recorded by {a.by})")


def _as_json(a: Absence) -> dict[str, object]:
    return {"id": a.id, "person": a.person, "deputy": a.deputy, "from": str(a.starts), "until": str(a.ends)}
