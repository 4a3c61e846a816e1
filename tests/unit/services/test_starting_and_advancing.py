"""start_signoff and advance_signoff over the in-memory unit of work."""

from __future__ import annotations

import pytest

from governance.domain.events import StageOpened
from governance.entrypoints.status_json import status_to_json
from governance.services.ports import SignOffNotFound
from governance.services.signoffs import Work, advance_signoff, start_signoff, work_waiting
from governance.services.status import signoff_status
from tests.fakes import FakeStore
from tests.unit.services.fake_signoffs import CHAIR, COORDINATOR, NOW, queued, request, started


def test_a_started_signoff_waits_for_its_first_advance(settings, tmp_path):
    store = FakeStore()
    signoff_id = start_signoff(store, settings, request(tmp_path), now=NOW)
    assert work_waiting(store, now=NOW) == [Work(signoff_id, "VCSE partnership agreement", "start")]
    assert queued(store) == []


def test_the_first_advance_opens_the_first_stage_and_invites_each_reviewer_with_a_personal_link(
    settings, tmp_path
):
    store = FakeStore()
    signoff_id = start_signoff(store, settings, request(tmp_path), now=NOW)
    events = advance_signoff(store, settings, signoff_id, now=NOW)
    assert [(type(e), e.stage_id, e.reviewers) for e in events] == [
        (StageOpened, "vcse", (CHAIR, COORDINATOR))
    ]
    assert queued(store) == [("invitation", CHAIR), ("invitation", COORDINATOR)]
    with store.read() as uow:
        assert all(row.new.token_nonce for row in uow.outbox.rows())
        assert sorted(link.reviewer for link in uow.data.links.values()) == [CHAIR, COORDINATOR]
    status = status_to_json(signoff_status(store, signoff_id, now=NOW))
    assert [s["state"] for s in status["stages"]] == ["open", "pending", "pending", "pending"]
    assert work_waiting(store, now=NOW) == [Work(signoff_id, "VCSE partnership agreement", "send email")]


def test_advancing_again_with_nothing_new_changes_nothing(settings, tmp_path):
    store = FakeStore()
    signoff_id = started(store, settings, tmp_path)
    assert advance_signoff(store, settings, signoff_id, now=NOW) == []
    assert len(queued(store)) == 2


def test_a_use_case_that_raises_commits_nothing(settings):
    store = FakeStore()
    with pytest.raises(SignOffNotFound):
        advance_signoff(store, settings, "no-such-id", now=NOW)
    assert store.commits == 0


def test_reading_the_status_writes_nothing(settings, tmp_path):
    store = FakeStore()
    signoff_id = started(store, settings, tmp_path)
    commits = store.commits
    assert status_to_json(signoff_status(store, signoff_id, now=NOW))["state"] == "in_progress"
    assert store.commits == commits
