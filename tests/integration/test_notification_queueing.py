"""A notification is checked when it is queued: a wrong context fails the transaction that queues it,
so nothing reaches the outbox to fail later at send time."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from governance.services.notify import Notifier
from notifications.contexts import RagChangedEmail
from tests.integration.signoffs_helpers import queued, start_spine_signoff

NOW = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
LEAD = "lead@icb.example.nhs.uk"


def test_a_context_with_a_wrong_key_fails_at_queue_time_and_queues_nothing(database, settings, tmp_path):
    signoff_id = start_spine_signoff(database, settings, now=NOW, tmp=tmp_path)
    before = queued(database, signoff_id)
    wrong = {"role": "lead", "reason": "You lead this sign-off.", "rag_form": "green", "rag_to": "red"}

    def queue_wrong() -> None:
        with database.write() as uow:
            signoff = uow.signoffs.get(signoff_id, for_update=True)
            Notifier(uow, settings, now=NOW).queue(signoff, LEAD, wrong)  # type: ignore[arg-type]

    with pytest.raises(ValidationError, match="rag_form"):
        queue_wrong()
    assert queued(database, signoff_id) == before


def test_a_typed_context_is_queued_in_its_stored_form(database, settings, tmp_path):
    signoff_id = start_spine_signoff(database, settings, now=NOW, tmp=tmp_path)
    body = RagChangedEmail("lead", "You lead this sign-off.", "green", "red", "Legal", None, None, -2)
    with database.write() as uow:
        signoff = uow.signoffs.get(signoff_id, for_update=True)
        assert Notifier(uow, settings, now=NOW).queue(signoff, LEAD, body)
    assert queued(database, signoff_id)[-1] == ("rag_changed", LEAD)
