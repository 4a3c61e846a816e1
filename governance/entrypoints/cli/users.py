"""``signoff users add|list|remove``: the officers and leads who may sign in."""

from __future__ import annotations

import sys
from enum import StrEnum

import typer

from governance.domain.access import Account, Role
from governance.domain.london_time import utc_now
from governance.entrypoints.cli.common import fail, load_settings, open_database, print_json
from governance.services.access_ports import StoredAccount

app = typer.Typer(help="Officers and leads who may sign in to the web pages.", no_args_is_help=True)
EMAIL_SHAPE = "@"


class RoleChoice(StrEnum):
    officer = "officer"
    lead = "lead"


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="users")


@app.command("add")
def add(
    email: str = typer.Argument(..., help="The person's email address (their sign-in name)."),
    role: RoleChoice = typer.Option(
        ..., "--role", help="officer: every sign-off of their organisations; lead: their own sign-offs."
    ),
    organisation: list[str] = typer.Option(
        [], "--organisation", help="An organisation an officer looks after (repeatable; none: every one)."
    ),
    password_stdin: bool = typer.Option(
        False, "--password-stdin", help="Read the password from standard input instead of printing a link."
    ),
) -> None:
    """Add an account; without --password-stdin, print a one-time link to set the password."""
    from governance.services.accounts import AccountProblem, LinkPurpose, add_account, issue_link

    email = email.strip()
    if EMAIL_SHAPE not in email:
        fail(f"{email!r} is not an email address")
    if organisation and role is RoleChoice.lead:
        fail("--organisation is for officers; a lead sees the sign-offs they lead")
    password = _password_from_stdin() if password_stdin else None
    settings = load_settings()
    db = open_database(settings)
    account = Account(email.lower(), Role(role.value), tuple(organisation))
    try:
        add_account(db, account, password=password, now=utc_now())
    except AccountProblem as problem:
        fail(str(problem))
    typer.echo(f"added {account.email} ({account.role.value})")
    if password is None:
        token = issue_link(db, account.email, LinkPurpose.SET_PASSWORD, now=utc_now())
        typer.echo(
            f"Set-password link (one use, 7 days): {settings.base_url.rstrip('/')}/set-password/{token}"
        )


def _password_from_stdin() -> str:
    password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        fail("--password-stdin: standard input held no password")
    return password


@app.command("list")
def listing(as_json: bool = typer.Option(False, "--json", help="Machine-readable output.")) -> None:
    """Every account: email, role, organisations, whether a password is set."""
    from governance.services.accounts import accounts

    found = accounts(open_database(load_settings()))
    if as_json:
        print_json([_as_json(stored) for stored in found])
        return
    if not found:
        typer.echo("no accounts yet: add one with `signoff users add EMAIL --role officer`")
    for stored in found:
        account = stored.account
        where = ", ".join(account.organisations) or "every organisation" if account.is_officer else ""
        typer.echo(f"{account.email}  {account.role.value}  {where}".rstrip())


def _as_json(stored: StoredAccount) -> dict[str, object]:
    return {
        "email": stored.account.email,
        "role": stored.account.role.value,
        "organisations": list(stored.account.organisations),
        "password_set": stored.password_hash is not None,
        "created_at": stored.created_at.isoformat(),
    }


@app.command("remove")
def remove(email: str = typer.Argument(..., help="The account's email address.")) -> None:
    """Remove an account; its sessions stop working at their next request."""
    from governance.services.accounts import remove_account

    if not remove_account(open_database(load_settings()), email):
        fail(f"there is no account for {email}")
    typer.echo(f"removed {email.strip().lower()}")
