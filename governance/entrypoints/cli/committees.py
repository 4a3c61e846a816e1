"""Committee commands: a paper submitted, a late paper, chair's action, and the forward plan."""

from __future__ import annotations

import typer

from governance.domain.london_time import human_date, human_meeting, london_date, utc_now
from governance.entrypoints.cli.common import fail, load_settings, open_database, print_json, signoff_id_of
from governance.services.audit import Actor
from governance.services.ports import SignOffNotFound

SIGNOFF = typer.Argument(..., help="The sign-off's id, or any unique start of it.")
STAGE = typer.Option(..., "--stage", help="The id of the meeting stage.")
COMMAND_LINE = Actor("command line")
REASON = typer.Option(..., "--reason", help="Why: recorded, and shown on the forward plan and timeline.")


def register(root: typer.Typer) -> None:
    root.command("paper-submitted")(paper_submitted)
    root.command("late-paper")(late_paper)
    root.command("chairs-action")(chairs_action)
    root.command("committees")(committees)


def paper_submitted(signoff_id: str = SIGNOFF, stage: str = STAGE) -> None:
    """Record that a meeting stage's paper reached the committee secretary; reminders to the lead stop."""
    from governance.services.committees import CommitteeActionRefused
    from governance.services.committees import paper_submitted as record_paper

    db = open_database(load_settings())
    signoff_id = signoff_id_of(db, signoff_id)
    try:
        newly = record_paper(db, signoff_id, stage_id=stage, now=utc_now(), actor=COMMAND_LINE)
    except (SignOffNotFound, CommitteeActionRefused) as error:
        fail(str(error))
    typer.echo(
        f"{signoff_id}: paper for {stage} " + ("marked as submitted" if newly else "was already submitted")
    )


def late_paper(signoff_id: str = SIGNOFF, stage: str = STAGE, reason: str = REASON) -> None:
    """Put a meeting stage on the committee's next meeting as a late paper agreed by the chair."""
    from governance.services.committees import CommitteeActionRefused
    from governance.services.committees import late_paper as accept

    settings = load_settings()
    db = open_database(settings)
    signoff_id = signoff_id_of(db, signoff_id)
    try:
        changed = accept(
            db,
            settings,
            signoff_id,
            stage_id=stage,
            reason=reason,
            now=utc_now(),
            actor=COMMAND_LINE,
        )
    except (SignOffNotFound, CommitteeActionRefused) as error:
        fail(str(error))
    typer.echo(
        f"{signoff_id}: {stage} goes to the meeting on {human_date(changed.to_meeting)} as a late paper "
        f"(instead of {human_date(changed.from_meeting)}); the secretary has been sent a new link"
    )


def chairs_action(signoff_id: str = SIGNOFF, stage: str = STAGE, reason: str = REASON) -> None:
    """Ask a meeting stage's chair to act between meetings; the chair is emailed a review link."""
    from governance.services.committees import CommitteeActionRefused
    from governance.services.committees import chairs_action as ask

    settings = load_settings()
    db = open_database(settings)
    signoff_id = signoff_id_of(db, signoff_id)
    try:
        chairs = ask(
            db,
            settings,
            signoff_id,
            stage_id=stage,
            reason=reason,
            now=utc_now(),
            actor=COMMAND_LINE,
        )
    except (SignOffNotFound, CommitteeActionRefused) as error:
        fail(str(error))
    typer.echo(f"{signoff_id}: chair's action on {stage} asked of {', '.join(chairs)}")


def committees(
    as_json: bool = typer.Option(
        False, "--json", help="Machine-readable output, keyed by ROUTE_ID/CALENDAR_ID."
    ),
    days: int = typer.Option(366, "--days", min=1, max=3660, help="How many days ahead to list meetings."),
) -> None:
    """The forward plan: each committee's coming meetings and the papers each will take."""
    from governance.adapters.route_files import routes_in
    from governance.entrypoints.forward_plan_json import forward_plan_to_json
    from governance.services.forward_plan import forward_plan

    settings = load_settings()
    db = open_database(settings)
    plans = forward_plan(db, routes_in(settings.routes_dir), today=london_date(utc_now()), days=days)
    if as_json:
        print_json(forward_plan_to_json(plans))
        return
    for plan in plans:
        typer.echo(f"{plan.name} ({plan.key})")
        for meeting in plan.meetings.values():
            when = human_meeting(meeting.day, meeting.at)
            typer.echo(f"  {when}: papers due {human_date(meeting.paper_deadline)}")
            for paper in meeting.papers:
                typer.echo(
                    f"    {paper.status.replace('_', ' ')}: {paper.title} ({paper.stage}, {paper.signoff})"
                )
            for done in meeting.ratifications:
                typer.echo(f"    to ratify: chair's action on {done.title} ({done.stage}, {done.signoff})")
        for day in plan.cancelled:
            typer.echo(f"  cancelled: {human_date(day)}")
