"""The web form that starts a sign-off: what was typed, and every problem with it, field by field.

The rules are those of ``signoff start``: a route one may use, a title, a document, the lead's
email, a target from today up to five years ahead (``governance.domain.start_rules``), tags as
``when: {tag: ...}`` takes them. Nothing is stored until every field is right.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from governance.adapters.route_files import RouteFileError, UnknownRoute, find_route, routes_in
from governance.adapters.route_files.loop_keys import valid_tag
from governance.adapters.route_files.yaml_nodes import EMAIL
from governance.domain.access import Account
from governance.domain.route import Route
from governance.domain.start_rules import target_refusal
from governance.services.signoffs import NewSignOff

TITLE_MAX = 300
UNSAFE_IN_NAME = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]+")
TAG_SPLIT = re.compile(r"[\s,]+")


@dataclass(frozen=True)
class StartFields:
    """The form's text fields as typed (the file travels separately)."""

    route: str = ""
    title: str = ""
    lead: str = ""
    target_day: str = ""
    target_month: str = ""
    target_year: str = ""
    tags: str = ""


@dataclass(frozen=True)
class Upload:
    """The chosen file: its name as the browser sent it, its size, and where it was spooled."""

    filename: str
    size: int


@dataclass
class Checked:
    """The request when every field is right; else ``errors`` by field id, in the form's order."""

    errors: dict[str, str] = field(default_factory=dict)
    route: Route | None = None
    route_yaml: str = ""
    target: date | None = None
    tags: frozenset[str] = frozenset()

    def request(self, fields: StartFields, document: Path) -> NewSignOff:
        assert self.route is not None  # only asked for once there are no errors
        return NewSignOff(
            self.route,
            self.route_yaml,
            fields.title.strip(),
            document,
            fields.lead.strip().lower(),
            self.target,
            self.tags,
        )


def routes_for(account: Account | None, routes_dir: Path) -> list[Route]:
    """The routes ``account`` may start a sign-off on, by name: an officer's organisations' (all for
    an officer of every organisation); a lead may use any route, for sign-offs they lead."""
    found = routes_in(routes_dir)
    if account is not None and account.is_officer and account.organisations:
        found = [route for route in found if route.organisation in account.organisations]
    return sorted(found, key=lambda route: route.name)


def check(
    fields: StartFields, upload: Upload | None, *, account: Account | None, routes_dir: Path, today: date,
    max_bytes: int,
) -> Checked:  # fmt: skip
    """Every problem with the form, worded for the person filling it in."""
    checked = Checked()
    check_route(checked, fields.route, account=account, routes_dir=routes_dir)
    if not fields.title.strip():
        checked.errors["title"] = "Enter the document's title"
    elif len(fields.title.strip()) > TITLE_MAX:
        checked.errors["title"] = f"The title must be {TITLE_MAX} characters or fewer"
    if problem := upload_problem(upload, max_bytes=max_bytes):
        checked.errors["document"] = problem
    if problem := lead_problem(fields.lead, account):
        checked.errors["lead"] = problem
    check_target(checked, fields, today=today)
    check_tags(checked, fields.tags)
    return checked


def check_route(checked: Checked, route_id: str, *, account: Account | None, routes_dir: Path) -> None:
    allowed = {route.id for route in routes_for(account, routes_dir)}
    if not route_id:
        checked.errors["route"] = "Choose the route the document goes through"
        return
    if route_id not in allowed:
        checked.errors["route"] = f"There is no route {route_id!r} that you can start a sign-off on"
        return
    try:
        checked.route, path = find_route(route_id, routes_dir=routes_dir)
        checked.route_yaml = path.read_text()
    except (UnknownRoute, RouteFileError, OSError):
        checked.errors["route"] = f"The route {route_id!r} cannot be read just now: ask a governance officer"


def upload_problem(upload: Upload | None, *, max_bytes: int) -> str | None:
    if upload is None or not safe_filename(upload.filename):
        return "Choose the document to sign off"
    if upload.size == 0:
        return "The chosen file is empty: choose the document itself"
    if upload.size > max_bytes:
        return f"The document must be smaller than {megabytes(max_bytes)}"
    return None


def lead_problem(lead: str, account: Account | None) -> str | None:
    email = lead.strip().lower()
    if not email:
        return "Enter the lead's email address"
    if not EMAIL.fullmatch(email):
        return "Enter the lead's email address in the right format, like name@example.nhs.uk"
    if account is not None and not account.is_officer and email != account.email.lower():
        return f"As a lead you start sign-offs that you lead: enter your own address, {account.email}"
    return None


def check_target(checked: Checked, fields: StartFields, *, today: date) -> None:
    parts = (fields.target_day.strip(), fields.target_month.strip(), fields.target_year.strip())
    if not any(parts):
        return
    if not all(part.isdigit() for part in parts):
        checked.errors["target-day"] = "The target date must be a real date, with a day, month and year"
        return
    try:
        target = date(int(parts[2]), int(parts[1]), int(parts[0]))
    except ValueError:
        checked.errors["target-day"] = "The target date must be a real date, for example 31 3 2027"
        return
    if refusal := target_refusal(target, today=today):
        checked.errors["target-day"] = refusal[0].upper() + refusal[1:]
        return
    checked.target = target


def check_tags(checked: Checked, text: str) -> None:
    tags = [tag for tag in TAG_SPLIT.split(text.strip().lower()) if tag]
    bad = [tag for tag in tags if not valid_tag(tag)]
    if bad:
        checked.errors["tags"] = (
            f"{bad[0]!r} is not a tag: use lower-case letters, digits, '-' and '_' (up to 40 characters, "
            "starting with a letter or digit)"
        )
        return
    checked.tags = frozenset(tags)


def safe_filename(name: str) -> str:
    """The file's own name without any folder a browser sent, safe to store ('' when nothing is left)."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    return UNSAFE_IN_NAME.sub("-", base).strip(" .-")[:200]


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g} MB"
