"""Sign-in rules: who sees which sign-off, lock-out after repeated failures, cross-site requests."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from governance.domain.access import (
    LOCK_OUT,
    MAX_FAILED_SIGN_INS,
    Account,
    Role,
    SignInRecord,
    after_failure,
    after_success,
    is_cross_site,
    is_locked,
)
from governance.domain.link_lifetime import last_deciding_day
from governance.domain.workdays import WorkingDays

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("account", "organisation", "lead", "sees"),
    [
        (Account("o@x.nhs.uk", Role.OFFICER), "NHS North ICB", "l@x.nhs.uk", True),
        (Account("o@x.nhs.uk", Role.OFFICER, ("NHS North ICB",)), "NHS North ICB", "l@x", True),
        (Account("o@x.nhs.uk", Role.OFFICER, ("NHS North ICB",)), "NHS South ICB", "l@x", False),
        (Account("lead@x.nhs.uk", Role.LEAD), "NHS North ICB", "Lead@X.nhs.uk", True),
        (Account("lead@x.nhs.uk", Role.LEAD), "NHS North ICB", "other@x.nhs.uk", False),
    ],
)
def test_officers_see_their_organisations_and_leads_their_own_signoffs(
    account: Account, organisation: str, lead: str, *, sees: bool
) -> None:
    assert account.may_see(organisation=organisation, lead=lead) is sees


def test_the_fifth_failure_locks_the_account_for_the_lock_out_period() -> None:
    record = SignInRecord(0, None)
    for _ in range(MAX_FAILED_SIGN_INS - 1):
        record = after_failure(record, now=NOW)
        assert not is_locked(record, now=NOW)
    record = after_failure(record, now=NOW)
    assert is_locked(record, now=NOW)
    assert is_locked(record, now=NOW + LOCK_OUT - timedelta(seconds=1))
    assert not is_locked(record, now=NOW + LOCK_OUT)


def test_a_success_clears_the_failures() -> None:
    assert after_success() == SignInRecord(0, None)


@pytest.mark.parametrize(
    ("origin", "fetch_site", "cross"),
    [
        (None, None, False),
        ("https://signoff.example.nhs.uk", None, False),
        ("https://signoff.example.nhs.uk/", "same-origin", False),
        ("https://evil.example", None, True),
        ("null", None, True),
        (None, "cross-site", True),
        (None, "same-origin", False),
        (None, "none", False),
        ("null", "same-origin", False),
        ("https://evil.example", "cross-site", True),
    ],
)
def test_a_request_from_another_site_is_recognised(
    origin: str | None, fetch_site: str | None, *, cross: bool
) -> None:
    own = ["https://signoff.example.nhs.uk"]
    assert is_cross_site(origin=origin, fetch_site=fetch_site, own_origins=own) is cross


WORKDAYS = WorkingDays.of([date(2026, 4, 3), date(2026, 4, 6)])  # Good Friday, Easter Monday


@pytest.mark.parametrize(
    ("due", "last"),
    [
        (date(2026, 3, 9), date(2026, 4, 8)),  # 20 working days after 9 March, skipping Easter
        (date(2026, 3, 13), date(2026, 4, 14)),
        (None, None),
    ],
)
def test_a_link_decides_until_twenty_working_days_after_its_stage_is_due(
    due: date | None, last: date | None
) -> None:
    assert last_deciding_day(due, WORKDAYS, working_days=20) == last
