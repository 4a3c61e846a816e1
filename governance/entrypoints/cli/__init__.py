"""The ``signoff`` command.

``signoff --help`` imports typer and nothing else of weight: each subcommand's module is imported
only when that subcommand runs (or shows its own help). The list the top-level help prints comes
from ``COMMANDS``; a test checks it says what each command's own docstring says.
"""

from __future__ import annotations

import importlib
from difflib import get_close_matches
from typing import Any

import typer
from typer._click.exceptions import UsageError  # click as typer vendors it; typer does not re-export it
from typer.core import TyperGroup
from typer.main import get_group

# name -> (module that registers it, the one line the top-level help shows)
COMMANDS: dict[str, tuple[str, str]] = {
    "start": (
        "signoffs",
        "Start a sign-off of a document on a route; prints its id, timeline address and who was invited.",
    ),
    "status": ("signoffs", "Show one sign-off's stages and decisions, or a line per sign-off."),
    "cancel": (
        "signoffs",
        "Cancel a sign-off in progress; reviewers still awaited are told they need not act.",
    ),
    "serve": (
        "serve",
        "Run everything on this machine: web app, Prefect flows, scheduled jobs, and the mail sink.",
    ),
    "web": (
        "serve",
        "Run the web app alone (no Prefect server, no jobs, no mail sink), any number side by side.",
    ),
    "deploy": (
        "deploy",
        "Register the work pool, deployments and schedules on the Prefect server PREFECT_API_URL names.",
    ),
    "db": ("database", "The product's database: bring its schema up to date."),
    "demo": ("serve", "Set up a demo route and sign-off on the embedded defaults, then serve them."),
    "timeline": (
        "timeline",
        "Draw a sign-off's timeline in the terminal: each stage planned, actual and forecast, and key dates.",
    ),
    "plan": (
        "plan",
        "When each stage must start, which meeting each paper goes to, and whether the target is reachable.",
    ),
    "bench": ("bench", "Measure each figure beside its baseline and print the ratio and the target."),
    "remind": ("outbox", "Remind everyone outstanding now; counts as a reminder and restarts the interval."),
    "routes": ("routes", "Check and show sign-off route files."),
    "users": ("users", "Officers and leads who may sign in to the web pages."),
    "audit": (
        "audit",
        "Export a sign-off's audit trail, or check that the audit trail has not been tampered with.",
    ),
    "certificate": (
        "audit",
        'Write the completion certificate (marked "in progress" until the sign-off ends) as a PDF.',
    ),
    "paper-submitted": (
        "committees",
        "Record that a meeting stage's paper reached the committee secretary; reminders to the lead stop.",
    ),
    "late-paper": (
        "committees",
        "Put a meeting stage on the committee's next meeting as a late paper agreed by the chair.",
    ),
    "chairs-action": (
        "committees",
        "Ask a meeting stage's chair to act between meetings; the chair is emailed a review link.",
    ),
    "committees": (
        "committees",
        "The forward plan: each committee's coming meetings and the papers each will take.",
    ),
    "revise": (
        "loop",
        "Send a revised version after a request for changes; the stage that asked reopens for it.",
    ),
    "away": (
        "deputies",
        "Record an absence: invitations and reminders to EMAIL in that window go to the deputy.",
    ),
    "reassign": (
        "deputies",
        "Move an outstanding review to someone else; their decision counts on behalf of the reviewer.",
    ),
    "report": ("report", "Reports over every sign-off: cycle times per route and stage (--csv for CSV)."),
    "outbox": (
        "outbox",
        "Notifications waiting to be sent, and failed ones. Lists them without a subcommand.",
    ),
}


def load_command(name: str) -> Any:
    """Import the module behind ``name`` and return its click command."""
    module = importlib.import_module(f"governance.entrypoints.cli.{COMMANDS[name][0]}")
    holder = typer.Typer()
    module.register(holder)
    return get_group(holder).commands[name]


class LazyCommands(TyperGroup):
    """A command group that imports a subcommand's module only when the subcommand is used."""

    def list_commands(self, ctx: Any) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name not in COMMANDS:
            return None
        if cmd_name not in self.commands:
            self.commands[cmd_name] = load_command(cmd_name)
        return self.commands[cmd_name]

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        with formatter.section("Commands"):
            formatter.write_dl([(name, summary) for name, (_module, summary) in COMMANDS.items()])

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        if args and args[0] in COMMANDS:
            self.get_command(ctx, args[0])
        try:
            return super().resolve_command(ctx, args)
        except UsageError as error:
            matches = get_close_matches(args[0], list(COMMANDS)) if args else []
            if matches and "Did you mean" not in error.message:
                suggestions = ", ".join(f"{match!r}" for match in matches)
                error.message = f"{error.message.rstrip('.')}. Did you mean {suggestions}?"
            raise


app = typer.Typer(
    cls=LazyCommands,
    help="signoff: multi-stage governance sign-off with key dates, emailed decisions and Prefect-run steps.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain help text: formatting it with rich would import rich for every --help
)


@app.callback()
def root() -> None:
    """The top level has no options of its own: it hands over to a command."""


def main() -> None:
    app()
