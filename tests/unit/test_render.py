"""Every email kind renders a short specific subject, safe HTML and a real plain-text part."""

from __future__ import annotations

import re
from typing import Any

import jinja2
import pytest

from notifications.render import KINDS, render

ACTION_URL = "https://signoff.example.nhs.uk/a/tok3n-abc123"
TIMELINE_URL = "https://signoff.example.nhs.uk/s/42/timeline"
PREFECT_URL = "http://127.0.0.1:4200/runs?signoff=42"
HOSTILE = "<script>alert('x')</script>"
TAG = re.compile(r"</?[a-zA-Z][^>]*>")

STAGE = {
    "id": "legal",
    "name": "ICB legal review",
    "kind": "review",
    "due": "12 Jan 2027",
    "approvals": "all of 2",
    "reviewers": ["legal.one@nhs.net", "legal.two@nhs.net"],
    "committee": None,
    "meeting": None,
    "paper_deadline": None,
}
MEETING_STAGE = {
    **STAGE,
    "id": "committee",
    "name": "Partnership committee",
    "kind": "meeting",
    "due": "Thu 14 January 2027",
    "reviewers": ["secretary@nhs.net"],
    "committee": "Partnership Committee",
    "meeting": "Tue 12 January 2027 at 2pm",
    "paper_deadline": "Tue 5 January 2027",
}
DECISIONS = [
    {
        "stage": "ICB legal review",
        "reviewer": "legal.one@nhs.net",
        "decision": "approved",
        "comment": "Fine.\nSee clause 4.",
        "at": "Mon 11 January 2027 10:02",
    },
    {
        "stage": "ICB legal review",
        "reviewer": "legal.two@nhs.net",
        "decision": "approved",
        "comment": "",
        "at": "Tue 12 January 2027 09:15",
    },
]


def common(role: str = "reviewer") -> dict[str, Any]:
    return {
        "signoff": {
            "id": 42,
            "title": "VCSE partnership agreement",
            "route_name": "Contracts over £250k",
            "organisation": "NHS Example ICB",
            "document_sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
            "document_version": "v3",
            "target": "Wed 31 March 2027",
            "lead": "lead@nhs.net",
        },
        "recipient": "legal.one@nhs.net" if role == "reviewer" else "lead@nhs.net",
        "reason": "you are a reviewer at the ICB legal review stage",
        "contact": "lead@nhs.net",
        "links": {"timeline": TIMELINE_URL, "prefect_runs": PREFECT_URL},
        "role": role,
    }


def sample(kind: str, *, comment: str = "Looks fine.") -> dict[str, Any]:
    """A realistic context for `kind`; `comment` lands in every comment the kind shows."""
    decisions = [{**d, "comment": comment} for d in DECISIONS]
    forecast = (
        "At this pace the sign-off is forecast for 12 Apr 2027, 8 working days after the 31 Mar 2027 target."
    )
    specific: dict[str, dict[str, Any]] = {
        "invitation": {
            "stage": STAGE,
            "action_url": ACTION_URL,
            "document_url": ACTION_URL + "/document",
            "chairs_action": None,
        },
        "paper_due": {"stage": MEETING_STAGE, "action_url": ACTION_URL, "reminder": False, "role": "lead"},
        "meeting_changed": {
            "stage": MEETING_STAGE,
            "why": "deferred",
            "from_meeting": "Tue 8 December 2026",
            "note": comment,
            "forecast_effect": forecast,
            "role": "lead",
        },
        "ratification": {
            "stage": MEETING_STAGE,
            "action_url": ACTION_URL,
            "chair": "chair@nhs.net",
            "acted_on": "Mon 4 January 2027 at 10:02am",
            "ratify_at": "Tue 12 January 2027",
        },
        "stage_completed": {
            "stage": {"id": "legal", "name": "ICB legal review", "outcome": "approved"},
            "decisions": decisions,
            "next_stages": ["Finance committee"],
            "role": "lead",
        },
        "stage_closed": {"stage": STAGE},
        "changes_requested": {
            "stage": STAGE,
            "version": 2,
            "comments": decisions,
            "revise_command": "signoff revise abc123 --document FILE",
            "role": "lead",
        },
        "delegated": {"stage": STAGE, "deputy": "deputy@nhs.net", "how": "delegated"},
        "decision_receipt": {
            "stage": STAGE,
            "decision_words": "Changes requested",
            "comment": comment,
            "decided_at": "Mon 11 January 2027 at 10:02am",
            "decided_version": 1,
            "decided_sha256": "9f" * 32,
        },
        "signoff_finished": {
            "outcome": "rejected",
            "ended_by": {"stage": "ICB legal review", "reviewer": "legal.two@nhs.net", "comment": comment},
            "need_not_act": True,
            "decisions": decisions,
        },
        "reminder": {
            "stage": STAGE,
            "action_url": ACTION_URL,
            "overdue_working_days": 3,
            "due": "12 Jan 2027",
            "forecast_effect": forecast,
        },
        "escalation": {
            "stage": {"id": "legal", "name": "ICB legal review", "due": "12 Jan 2027"},
            "outstanding": [{"reviewer": "legal.two@nhs.net", "waiting_working_days": 6}],
            "reminders_sent": 2,
            "forecast_effect": forecast,
            "role": "escalation",
        },
        "rag_changed": {
            "rag_from": "green",
            "rag_to": "amber",
            "cause_stage": "ICB legal review",
            "next_meeting": "Thu 4 February 2027",
            "next_meeting_committee": "ICB Executive Committee",
            "forecast": "Fri 26 March 2027",
            "slack_working_days": 2,
            "role": "lead",
        },
    }
    return {**common(), **specific[kind]}


@pytest.mark.parametrize("kind", KINDS)
def test_the_subject_names_the_document_on_one_short_line(kind: str) -> None:
    subject = render(kind, sample(kind)).subject
    assert "VCSE partnership agreement" in subject
    assert "\n" not in subject
    assert len(subject) <= 100


@pytest.mark.parametrize("kind", ["invitation", "stage_completed", "reminder", "escalation"])
def test_the_subject_names_the_stage(kind: str) -> None:
    assert "ICB legal review" in render(kind, sample(kind)).subject


def test_an_invitation_subject_says_what_is_needed_and_by_when() -> None:
    subject = render("invitation", sample("invitation")).subject
    assert subject == "Action needed by 12 Jan 2027: ICB legal review of VCSE partnership agreement"


@pytest.mark.parametrize("kind", ["stage_completed", "signoff_finished"])
def test_a_script_in_a_comment_is_escaped_in_the_html(kind: str) -> None:
    html = render(kind, sample(kind, comment=HOSTILE)).html
    assert HOSTILE not in html
    assert "&lt;script&gt;" in html


def test_a_script_in_a_title_is_escaped_in_the_html() -> None:
    context = sample("invitation")
    context["signoff"] = {**context["signoff"], "title": HOSTILE}
    assert HOSTILE not in render("invitation", context).html


def test_line_breaks_in_a_comment_survive_in_the_html() -> None:
    html = render("stage_completed", sample("stage_completed", comment="Fine.\nSee clause 4.")).html
    assert "Fine.<br>See clause 4." in html


@pytest.mark.parametrize("kind", KINDS)
def test_the_text_part_has_no_html_tags(kind: str) -> None:
    rendered = render(kind, sample(kind))
    assert TAG.findall(rendered.text) == []
    assert "&lt;" not in rendered.text
    assert "&amp;" not in rendered.text


@pytest.mark.parametrize("kind", KINDS)
def test_the_html_uses_inline_styles_only_and_no_scripts_or_images(kind: str) -> None:
    html = render(kind, sample(kind)).html.lower()
    for forbidden in ("<style", "<script", "<img", "<link", "class="):
        assert forbidden not in html


@pytest.mark.parametrize("kind", KINDS)
def test_every_email_says_why_it_was_sent_and_whom_to_ask(kind: str) -> None:
    rendered = render(kind, sample(kind))
    for part in (rendered.html, rendered.text):
        assert "you are a reviewer at the ICB legal review stage" in part
        assert "lead@nhs.net" in part


@pytest.mark.parametrize("kind", ["invitation", "reminder"])
def test_the_personal_action_link_appears_exactly_once_in_each_part(kind: str) -> None:
    rendered = render(kind, sample(kind))
    assert rendered.html.count(ACTION_URL + '"') == 1
    assert rendered.text.count(ACTION_URL + "\n") == 1
    # the html writes each link out as its own text too: count the links, not the addresses shown
    links = rendered.html.count('href="https://signoff.example.nhs.uk/a/')
    assert links == rendered.text.count("/a/") == 1 + (kind == "invitation")


def test_an_invitation_whose_document_is_on_the_action_page_links_only_once() -> None:
    context = {**sample("invitation"), "document_url": ACTION_URL}
    rendered = render("invitation", context)
    assert rendered.html.count(f'href="{ACTION_URL}') == rendered.text.count(ACTION_URL) == 1


@pytest.mark.parametrize("kind", ["stage_completed", "signoff_finished", "escalation", "rag_changed"])
def test_emails_that_need_no_decision_carry_no_action_link(kind: str) -> None:
    rendered = render(kind, sample(kind))
    assert "/a/" not in rendered.html
    assert "/a/" not in rendered.text


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(("role", "shown"), [("lead", True), ("reviewer", False), ("escalation", False)])
def test_timeline_and_prefect_links_go_only_to_the_lead(kind: str, role: str, shown: bool) -> None:
    rendered = render(kind, {**sample(kind), "role": role})
    for part in (rendered.html, rendered.text):
        assert (TIMELINE_URL in part) is shown
        assert (PREFECT_URL in part) is shown


def test_a_missing_context_key_is_an_error_not_a_blank() -> None:
    context = sample("reminder")
    del context["due"]
    with pytest.raises(jinja2.UndefinedError):
        render("reminder", context)


def test_an_unknown_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown email kind"):
        render("newsletter", sample("invitation"))


def test_a_reminder_before_the_due_date_is_not_called_overdue() -> None:
    rendered = render("reminder", {**sample("reminder"), "overdue_working_days": 0, "forecast_effect": None})
    assert rendered.subject == "Reminder, due 12 Jan 2027: ICB legal review of VCSE partnership agreement"
    assert "late" not in rendered.text
    assert "Why it matters" not in rendered.text


def test_an_overdue_reminder_says_by_how_many_working_days() -> None:
    rendered = render("reminder", sample("reminder"))
    assert rendered.subject.startswith("Overdue by 3 working days:")
    assert "8 working days after the 31 Mar 2027 target" in rendered.text


@pytest.mark.parametrize(
    ("outcome", "need_not_act", "subject"),
    [
        ("approved", False, "Signed off: VCSE partnership agreement"),
        ("rejected", False, "Rejected: VCSE partnership agreement"),
        ("changes_requested", False, "Changes requested: VCSE partnership agreement"),
        ("cancelled", True, "No action needed: VCSE partnership agreement sign-off was cancelled"),
    ],
)
def test_a_finished_sign_off_names_its_outcome(outcome: str, need_not_act: bool, subject: str) -> None:
    context = {
        **sample("signoff_finished"),
        "outcome": outcome,
        "need_not_act": need_not_act,
        "ended_by": None,
    }
    rendered = render("signoff_finished", context)
    assert rendered.subject == subject
    assert ("no longer need to do anything" in rendered.text) is need_not_act


def test_a_stage_with_no_next_stages_says_so() -> None:
    rendered = render("stage_completed", {**sample("stage_completed"), "next_stages": []})
    assert "No new stages start" in rendered.text


@pytest.mark.parametrize(
    ("slack", "expected"),
    [(2, "Spare time before the target: 2 working days"), (-1, "Forecast to be late by: 1 working day")],
)
def test_a_status_change_explains_the_slack(slack: int, expected: str) -> None:
    rendered = render("rag_changed", {**sample("rag_changed"), "slack_working_days": slack})
    assert expected in rendered.text
    assert rendered.subject == "Now Amber: VCSE partnership agreement sign-off"


def test_a_committees_amendments_and_minute_reference_reach_the_lead() -> None:
    context = sample("stage_completed")
    context["decisions"][0] |= {"minute_ref": "2027/01/7", "amendments": "Add the finance annex."}
    email = render("stage_completed", context)
    for part in (email.text, email.html):
        assert "2027/01/7" in part
        assert "Add the finance annex." in part
