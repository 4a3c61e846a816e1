"""``signoff demo``: a demo route and sign-off, so a newcomer can play every role from one browser."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from governance.adapters.database.database import Database
from governance.adapters.route_files import parse_route
from governance.adapters.runtime_file import read_runtime, server_alive
from governance.domain.access import Account, Role
from governance.domain.london_time import utc_now
from governance.services.accounts import LinkPurpose, account_of, add_account, issue_link
from governance.services.signoffs import NewSignOff, start_signoff
from governance.settings import Settings

DEMO_ROUTE = Path(__file__).with_name("demo_route.yaml")
DEMO_OFFICER = "demo.officer@icb.example.nhs.uk"
DEMO_TITLE = "Demo: VCSE partnership agreement"
DEMO_DOCUMENT = """VCSE partnership agreement (demo)

Between NHS Demo ICB and the Demo VCSE Alliance.
This is a demonstration document for the signoff product.
"""


def already_running(settings: Settings) -> str | None:
    """Where the ``signoff serve`` or ``demo`` already running on this data directory is, or None.

    Asked before anything is touched: a second demo must not start (and email) a sign-off and then
    find it cannot serve."""
    facts = read_runtime(settings.data_dir)
    if not server_alive(facts) or facts.get("pid") == os.getpid():
        return None
    web = facts.get("web_url")
    return f"pid {facts['pid']}" + (f", open {web}/signoffs" if web else "")


def prepare_demo(settings: Settings, db: Database) -> str:
    """The demo sign-off in progress, started now if there is none yet; returns its id."""
    with db.read() as uow:
        existing = uow.signoffs.in_progress_titled(DEMO_TITLE)
    if existing:
        return existing
    text = DEMO_ROUTE.read_text()
    document = settings.data_dir / "demo-agreement.txt"
    document.write_text(DEMO_DOCUMENT)
    request = NewSignOff(
        route=parse_route(text, path=str(DEMO_ROUTE)),
        route_yaml=text,
        title=DEMO_TITLE,
        document=document,
        lead="lead@icb.example.nhs.uk",
        target=date(2027, 3, 31),
    )
    return start_signoff(db, settings, request, now=utc_now())


def demo_sign_in_token(db: Database) -> str:
    """A one-time sign-in link token for the demo officer (the account is made the first time)."""
    if account_of(db, DEMO_OFFICER) is None:
        add_account(db, Account(DEMO_OFFICER, Role.OFFICER), password=None, now=utc_now())
    return issue_link(db, DEMO_OFFICER, LinkPurpose.SIGN_IN, now=utc_now())
