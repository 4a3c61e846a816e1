"""``signoff audit ID [--json|--csv]`` exports a sign-off's audit trail; ``signoff audit verify [ID]``
checks the hash chains (exit 0 when intact, 1 naming the first broken entry)."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from governance.domain.london_time import human_time, utc_now
from governance.entrypoints.cli.common import fail, load_settings, open_database, print_json, signoff_id_of

VERIFY = "verify"


def register(root: typer.Typer) -> None:
    root.command("audit")(audit)
    root.command("certificate")(certificate)


def certificate(
    signoff_id: str = typer.Argument(..., help="The sign-off."),
    output: Path = typer.Option(..., "--output", help="Where to write the PDF, e.g. certificate.pdf."),
) -> None:
    """Write the completion certificate (marked "in progress" until the sign-off ends) as a PDF."""
    from governance.adapters.certificate_pdf import certificate_pdf
    from governance.services import audit as trail
    from governance.services.certificate import certificate_of

    db = open_database(load_settings())
    signoff_id = signoff_id_of(db, signoff_id)
    try:
        made = certificate_of(db, signoff_id, actor=trail.Actor("command line"), now=utc_now())
    except trail.SignOffNotFound:
        fail(f"there is no sign-off with id {signoff_id!r}")
    try:
        output.write_bytes(certificate_pdf(made))
    except OSError as error:
        fail(f"cannot write {output}: {error.strerror}")
    progress = " (in progress)" if made.in_progress else ""
    typer.echo(f"certificate for {signoff_id}{progress} written to {output}")


def audit(
    signoff_or_verify: str = typer.Argument(..., metavar="ID|verify", help="A sign-off id, or `verify`."),
    signoff_id: str | None = typer.Argument(None, metavar="[ID]", help="With `verify`: only this sign-off."),
    as_json: bool = typer.Option(False, "--json", help="Export as JSON."),
    as_csv: bool = typer.Option(False, "--csv", help="Export as CSV."),
) -> None:
    """Export a sign-off's audit trail, or check that the audit trail has not been tampered with."""
    if signoff_or_verify == VERIFY:
        verify_chains(signoff_id)
        return
    if signoff_id is not None:
        fail(f"unexpected argument {signoff_id!r}: use `signoff audit ID` or `signoff audit verify [ID]`")
    if as_json and as_csv:
        fail("choose one of --json and --csv")
    export_trail(signoff_or_verify, as_json=as_json, as_csv=as_csv)


def export_trail(signoff_id: str, *, as_json: bool, as_csv: bool) -> None:
    from governance.services import audit as trail

    db = open_database(load_settings())
    signoff_id = signoff_id_of(db, signoff_id)
    try:
        entries = trail.export(db, signoff_id, actor=trail.Actor("command line"), now=utc_now())
    except trail.SignOffNotFound:
        fail(f"there is no sign-off with id {signoff_id!r}")
    if as_json:
        print_json(trail.as_json(entries))
    elif as_csv:
        sys.stdout.write(trail.as_csv(entries))
    else:
        for entry in entries:
            facts = entry.facts
            where = f" from {facts.client_address}" if facts.client_address else ""
            typer.echo(
                f"{entry.sequence:>4}  {human_time(facts.at)}  {facts.kind:<13} {facts.actor}{where}  "
                f"{entry.entry_hash[:12]}"
            )


def verify_chains(signoff_id: str | None) -> None:
    from governance.services import audit as trail

    db = open_database(load_settings())
    if signoff_id is not None:
        signoff_id = signoff_id_of(db, signoff_id)
    try:
        checked, broken = trail.verify(db, signoff_id)
    except trail.SignOffNotFound:
        fail(f"there is no sign-off with id {signoff_id!r}")
    for found in broken:
        typer.echo(f"audit chain {found.chain}: entry {found.sequence} is broken: {found.reason}", err=True)
    if broken:
        raise typer.Exit(1)
    typer.echo(f"audit trail intact: {checked} entries checked")
