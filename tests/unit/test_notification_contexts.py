"""Each email kind has a typed context: a wrong or missing field fails where it is built, and every
kind's context renders its templates."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from notifications.contexts import (
    BODIES,
    DecisionFacts,
    DecisionReceiptEmail,
    EmailBody,
    EndedBy,
    Envelope,
    EscalationEmail,
    InvitationEmail,
    Links,
    MeetingChangedEmail,
    PaperDueEmail,
    QueuedEmail,
    RagChangedEmail,
    RatificationEmail,
    ReminderEmail,
    SettledStageFacts,
    SignOffFacts,
    SignOffFinishedEmail,
    StageClosedEmail,
    StageCompletedEmail,
    StageFacts,
    Waiting,
)
from notifications.loop_contexts import ChangesRequestedEmail, DelegatedEmail
from notifications.render import KINDS, render_email

SIGNOFF = SignOffFacts(
    "ab12", "VCSE agreement", "Route", "NHS Example ICB", "9f" * 32, 1, "Wed 31 March 2027", "l@nhs.net"
)
ENVELOPE = Envelope(
    SIGNOFF, "r@nhs.net", "l@nhs.net", Links("http://x/s/ab12", "http://x/s/ab12/runs"), "<t@x>"
)
STAGE = StageFacts(
    "legal", "ICB legal review", "review", "Tue 12 January 2027", "all of 2", ("r@nhs.net", "s@nhs.net")
)
MEETING = StageFacts(
    "committee",
    "Partnership committee",
    "meeting",
    "Thu 14 January 2027",
    "any of 1",
    ("sec@nhs.net",),
    "Partnership Committee",
    "Tue 12 January 2027 at 2pm",
    "Tue 5 January 2027",
)
DECISIONS = (
    DecisionFacts("ICB legal review", "r@nhs.net", "approve", "Fine.", "Mon 11 January 2027 at 10:02am"),
)
LINKS = {"action_url": "http://x/a/tok", "document_url": "http://x/a/tok/document"}
BODY_SAMPLES: list[EmailBody] = [
    InvitationEmail("reviewer", "You review.", STAGE),
    ReminderEmail("reviewer", "You review.", STAGE, 2, "Tue 12 January 2027", None),
    StageCompletedEmail(
        "lead", "You lead.", SettledStageFacts(**vars(STAGE), outcome="approved"), DECISIONS, ()
    ),
    StageClosedEmail("reviewer", "You were asked.", STAGE),
    SignOffFinishedEmail(
        "reviewer", "You were a reviewer.", "rejected", EndedBy("Legal", "s@nhs.net", ""), True, ()
    ),
    EscalationEmail("escalation", "You are named.", STAGE, (Waiting("s@nhs.net", 6),), 2, "Forecast late."),
    RagChangedEmail("lead", "You lead.", "green", "red", "Legal", None, "Fri 26 March 2027", -3),
    DecisionReceiptEmail(
        "reviewer", "Your link.", STAGE, "Approved", "", "Mon 11 January 2027 at 10:02am", 1, "9f" * 32
    ),
    PaperDueEmail("lead", "You lead.", MEETING),
    MeetingChangedEmail("lead", "You lead.", MEETING, "deferred", "Tue 8 December 2026", "More data.", None),
    RatificationEmail(
        "reviewer", "You minute.", MEETING, "chair@nhs.net", "Mon 4 January 2027 at 10:02am", None
    ),
    ChangesRequestedEmail("lead", "You lead.", STAGE, 1, DECISIONS, "signoff revise abc --document FILE"),
    DelegatedEmail("reviewer", "You review.", STAGE, "deputy@nhs.net", "delegated"),
]


def test_every_kind_has_a_typed_context() -> None:
    assert sorted(body.kind for body in BODY_SAMPLES) == sorted(KINDS) == sorted(BODIES)


@pytest.mark.parametrize("body", BODY_SAMPLES, ids=lambda body: body.kind)
def test_a_typed_context_survives_the_outbox_and_renders_its_templates(body: EmailBody) -> None:
    email = QueuedEmail(ENVELOPE, body)
    stored = QueuedEmail.from_data(email.kind, email.to_data())
    assert stored == email
    rendered = render_email(stored, links=LINKS)
    assert "VCSE agreement" in rendered.subject
    assert "VCSE agreement" in rendered.text


def reminder(**changes: Any) -> dict[str, Any]:
    fields = {
        "role": "reviewer",
        "reason": "You review.",
        "stage": STAGE,
        "overdue_working_days": 2,
        "due": "Tue 12 January 2027",
        "forecast_effect": None,
    }
    return {key: value for key, value in (fields | changes).items() if value != "<missing>"}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"forecast_effect": "<missing>"}, "forecast_effect"),
        ({"overdue": 2}, "overdue"),  # a key the template does not read
        ({"overdue_working_days": "several"}, "overdue_working_days"),
        ({"role": "director"}, "role"),
        ({"stage": {"id": "legal", "name": "ICB legal review"}}, "stage"),
    ],
)
def test_a_wrong_or_missing_field_fails_where_the_context_is_built(
    changes: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError, match=field):
        ReminderEmail(**reminder(**changes))


def test_a_stored_context_of_another_kind_is_refused_when_read_back() -> None:
    data = QueuedEmail(ENVELOPE, BODY_SAMPLES[0]).to_data()
    with pytest.raises(ValidationError):
        QueuedEmail.from_data("rag_changed", data)
    with pytest.raises(ValueError, match="unknown email kind"):
        QueuedEmail.from_data("newsletter", data)
