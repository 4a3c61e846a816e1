"""``signoff serve``, ``signoff web`` and ``signoff demo``."""

from __future__ import annotations

import ipaddress

import typer

from governance.adapters.database.database import Database
from governance.entrypoints.cli.common import fail, load_settings, open_database
from governance.settings import Settings

HOST_OPTION = typer.Option("127.0.0.1", "--host", help="Address to listen on.")
PORT_OPTION = typer.Option(8000, "--port", help="Port for the web app.")


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
    app.command("web")(web)
    app.command("demo")(demo)


def serve(host: str = HOST_OPTION, port: int = PORT_OPTION) -> None:
    """Run everything on this machine: web app, Prefect flows, scheduled jobs, and the mail sink."""
    settings = load_settings()
    _serve_until_stopped(settings, open_database(settings), host=host, port=port)


def web(host: str = HOST_OPTION, port: int = PORT_OPTION) -> None:
    """Run the web app alone (no Prefect server, no jobs, no mail sink), any number side by side."""
    from governance.entrypoints import composition

    settings = load_settings()
    refuse_public_address_without_base_url(settings, host)
    try:
        composition.serve_web(settings, open_database(settings), host=host, port=port)
    except RuntimeError as error:  # scaled out and no Prefect server to ask for the steps
        fail(str(error), code=1)
    except KeyboardInterrupt:
        typer.echo("signoff web stopped.")


def demo(host: str = HOST_OPTION, port: int = PORT_OPTION) -> None:
    """Set up a demo route and sign-off on the embedded defaults, then serve them."""
    from governance.entrypoints.demo import DEMO_OFFICER, already_running, demo_sign_in_token, prepare_demo

    settings = load_settings()
    running = already_running(settings)
    if running:
        fail(
            f"signoff is already running for {settings.data_dir} ({running}); "
            "nothing was changed: use that one, or stop it with Ctrl+C and run signoff demo again",
            code=1,
        )
    db = open_database(settings)
    refuse_public_address_without_base_url(settings, host)
    signoff_id = prepare_demo(settings, db)
    base = settings.base_url if "base_url" in settings.model_fields_set else f"http://{host}:{port}"
    sign_in = f"  Sign in:       {base.rstrip('/')}/login/link/{demo_sign_in_token(db)}"
    typer.echo(f"Demo sign-off {signoff_id}: sign in as {DEMO_OFFICER}, then open the dev mailbox.")
    _serve_until_stopped(settings, db, host=host, port=port, extra_line=sign_in)


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name other than localhost


def refuse_public_address_without_base_url(settings: Settings, host: str) -> None:
    """Links are built from SIGNOFF_BASE_URL only: off loopback, guessing it would email wrong links."""
    if not is_loopback(host) and "base_url" not in settings.model_fields_set:
        fail(
            f"--host {host} listens beyond this machine, so emailed links need a public address: "
            "set SIGNOFF_BASE_URL (for example https://signoff.example.nhs.uk) and start again"
        )


def _serve_until_stopped(
    settings: Settings, db: Database, *, host: str, port: int, extra_line: str | None = None
) -> None:
    from governance.entrypoints import composition

    refuse_public_address_without_base_url(settings, host)

    def announce(banner: str) -> None:
        lines = banner.splitlines()
        if extra_line:
            lines.insert(-1, extra_line)  # beside the addresses, above "Press Ctrl+C to stop."
        typer.echo("\n".join(lines))

    try:
        composition.serve(settings, db, host=host, port=port, announce=announce)
    except RuntimeError as error:
        fail(str(error), code=1)
    except KeyboardInterrupt:
        typer.echo("signoff stopped.")
