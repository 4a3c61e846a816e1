"""Signing in with a one-time link over the in-memory unit of work."""

from __future__ import annotations

from datetime import UTC, datetime

from governance.domain.access import Account, Role
from governance.services.access_ports import ACCESS_CHAIN
from governance.services.accounts import Client, LinkPurpose, add_account, issue_link, sign_in_by_link
from tests.fakes import FakeStore

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
OFFICER = "Officer@Example.nhs.uk"


def test_a_one_time_link_signs_its_person_in_once_and_the_sign_in_is_audited():
    store = FakeStore()
    add_account(store, Account(OFFICER, Role.OFFICER), password=None, now=NOW)
    token = issue_link(store, OFFICER, LinkPurpose.SIGN_IN, now=NOW)
    first = sign_in_by_link(store, token, now=NOW, client=Client("127.0.0.1"))
    again = sign_in_by_link(store, token, now=NOW, client=Client("127.0.0.1"))
    assert first is not None
    assert first.email == OFFICER.lower()
    assert again is None
    with store.read() as uow:
        assert [entry.facts.kind for entry in uow.audit.entries(ACCESS_CHAIN)] == ["signed_in"]
