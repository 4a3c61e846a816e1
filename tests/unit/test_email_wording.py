"""What emails say, in words a person reads: a RAG that starts red, the committee of every meeting, decisions
as words, the finished email's heading, whom the lead is told to ask, and a fluid layout."""

from __future__ import annotations

import re
from typing import Any

import pytest

from governance.domain.rules import Verdict
from notifications.render import KINDS, render
from notifications.wording import DECISION_WORDS
from tests.unit.test_render import MEETING_STAGE, sample

COMMITTEE = MEETING_STAGE["committee"]
MEETING = "Tue 12 January 2027"  # the sample meeting stage's meeting, and the ratification's
BLOCK = re.compile(r"<(?:p|h1|h2|title)\b")
OUTLOOK_ONLY = re.compile(r"<!--\[if mso\]>.*?<!\[endif\]-->", re.DOTALL)
LEAD = "lead@nhs.net"


def parts(kind: str, context: dict[str, Any]) -> dict[str, list[str]]:
    """The subject, the text part's lines and the html's paragraphs and headings of one email."""
    email = render(kind, context)
    return {"text": [email.subject, *email.text.splitlines()], "html": BLOCK.split(email.html)}


def rag(rag_from: str | None, rag_to: str) -> dict[str, Any]:
    return {**sample("rag_changed"), "rag_from": rag_from, "rag_to": rag_to, "slack_working_days": -3}


def meeting_emails() -> list[tuple[str, dict[str, Any]]]:
    """Every email that mentions a meeting, with the meeting stage where the kind has a stage."""
    on_meeting = {"stage": MEETING_STAGE}
    return [
        ("invitation", {**sample("invitation"), **on_meeting}),
        ("invitation", {**sample("invitation"), **on_meeting, "chairs_action": "The contract starts soon."}),
        ("paper_due", sample("paper_due")),
        ("paper_due", {**sample("paper_due"), "reminder": True}),
        ("meeting_changed", sample("meeting_changed")),
        ("meeting_changed", {**sample("meeting_changed"), "why": "late_paper"}),
        ("ratification", sample("ratification")),
        ("reminder", {**sample("reminder"), **on_meeting}),
        (
            "rag_changed",
            {**sample("rag_changed"), "next_meeting": MEETING, "next_meeting_committee": COMMITTEE},
        ),
    ]


def test_a_signoff_whose_first_status_is_red_is_said_to_be_red_never_changed_from() -> None:
    email = render("rag_changed", rag(None, "red"))
    assert email.subject == "Red from the start: VCSE partnership agreement sign-off"
    for part in (email.text, email.html):
        assert "is Red: likely to miss the target date" in part
        assert "changed from" not in part
        assert "Green" not in part.split("What the statuses mean")[0]


def test_a_change_of_status_says_what_it_changed_from_and_to() -> None:
    email = render("rag_changed", rag("amber", "red"))
    assert email.subject == "Now Red: VCSE partnership agreement sign-off"
    for part in (email.text, email.html):
        assert (
            "changed from Amber (at risk, with little spare time) to Red (likely to miss the target date)"
            in part
        )


@pytest.mark.parametrize(("kind", "context"), meeting_emails(), ids=lambda v: v if isinstance(v, str) else "")
def test_every_mention_of_a_meeting_names_its_committee(kind: str, context: dict[str, Any]) -> None:
    for name, blocks in parts(kind, context).items():
        mentions = [block for block in blocks if MEETING in block]
        assert mentions, f"the {name} part never mentions the meeting"
        for block in mentions:
            assert COMMITTEE in block, f"{name}: {block!r}"


def test_the_next_meeting_of_a_status_email_reads_committee_then_date() -> None:
    context = {**sample("rag_changed"), "next_meeting": MEETING, "next_meeting_committee": COMMITTEE}
    assert f"Next meeting: {COMMITTEE}, {MEETING}" in render("rag_changed", context).text


@pytest.mark.parametrize("kind", ["stage_completed", "signoff_finished", "changes_requested"])
def test_decisions_read_as_words_never_as_their_stored_values(kind: str) -> None:
    context = sample(kind)
    listed = "comments" if kind == "changes_requested" else "decisions"
    first = context[listed][0]
    context[listed] = [{**first, "decision": verdict} for verdict in DECISION_WORDS]
    email = render(kind, context)
    for part in (email.text, email.html):
        for verdict, words in DECISION_WORDS.items():
            assert words in part
            assert f": {verdict}," not in part
        assert "approve_with_amendments" not in part


def test_every_verdict_has_its_words_in_the_one_map_emails_use() -> None:
    assert set(DECISION_WORDS) == {verdict.value for verdict in Verdict}


def test_a_finished_email_heads_its_decisions_by_stage_not_so_far() -> None:
    email = render("signoff_finished", sample("signoff_finished"))
    for part in (email.text, email.html):
        assert "How each stage was decided" in part
        assert "so far" not in part
        assert "ICB legal review, " in part  # each decision says its stage


@pytest.mark.parametrize("kind", KINDS)
def test_an_email_to_the_lead_without_a_governance_contact_names_no_one_to_ask(kind: str) -> None:
    context = {**sample(kind), "recipient": LEAD, "contact": None}
    email = render(kind, context)
    for part in (email.text, email.html):
        assert "Questions?" not in part
        for phrase in (f"Contact {LEAD}", f"tell {LEAD}", f"Tell {LEAD}", f"with {LEAD}", f"mailto:{LEAD}"):
            assert phrase not in part


@pytest.mark.parametrize("kind", KINDS)
def test_the_html_email_is_fluid_up_to_600px_and_fixes_no_width(kind: str) -> None:
    html = render(kind, sample(kind)).html
    for_everyone = OUTLOOK_ONLY.sub("", html)  # Outlook on Windows alone ignores max-width
    assert "max-width:600px" in for_everyone
    assert re.search(r"width\s*=\s*\"?\d", for_everyone.replace('width="100%"', "")) is None
    assert re.search(r"(?<!max-)width:\s*\d+px", for_everyone) is None
