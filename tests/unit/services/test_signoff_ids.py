"""Sign-off ids as people type them: any unique prefix names a sign-off, as git takes commits."""

from __future__ import annotations

import pytest

import governance.services.signoffs as signoffs
from governance.services.ports import SignOffNotFound
from governance.services.signoff_ids import (
    AmbiguousSignOffId,
    NotASignOffId,
    resolve_signoff_id,
    unique_prefix_length,
)
from governance.services.signoffs import start_signoff
from tests.fakes import FakeStore
from tests.unit.services.fake_signoffs import NOW, request

IDS = ("76669d29ab01", "76669d29cd02", "1234abcd0000")


@pytest.fixture
def store(settings, tmp_path, monkeypatch) -> FakeStore:
    """Three sign-offs with known ids, two of which share their first eight characters."""
    made = iter(IDS)
    monkeypatch.setattr(signoffs, "new_signoff_id", lambda: next(made))
    store = FakeStore()
    for _ in IDS:
        start_signoff(store, settings, request(tmp_path), now=NOW)
    return store


@pytest.mark.parametrize(
    ("given", "found"),
    [
        ("1", "1234abcd0000"),
        ("1234abcd0000", "1234abcd0000"),
        ("76669d29a", "76669d29ab01"),
        ("  76669D29CD  ", "76669d29cd02"),
    ],
)
def test_a_unique_prefix_names_its_signoff_whatever_its_case(store, given, found):
    assert resolve_signoff_id(store, given) == found


def test_an_ambiguous_prefix_is_refused_listing_every_candidate_with_its_title(store):
    with pytest.raises(AmbiguousSignOffId) as refused:
        resolve_signoff_id(store, "7666")
    assert [c.id for c in refused.value.candidates] == ["76669d29ab01", "76669d29cd02"]
    assert "'7666' starts 2 sign-off ids: 76669d29ab01 (VCSE partnership agreement)" in str(refused.value)


@pytest.mark.parametrize("given", ["", "  ", "nope", "7666-", "76%", "7_", "76669d29ab01x"])
def test_anything_but_hex_is_refused_before_the_store_is_asked(store, given):
    with pytest.raises(NotASignOffId, match="is not a sign-off id"):
        resolve_signoff_id(store, given)


def test_a_hex_prefix_no_id_starts_with_is_not_found(store):
    with pytest.raises(SignOffNotFound):
        resolve_signoff_id(store, "9")


@pytest.mark.parametrize(
    ("ids", "length"),
    [
        ((), 8),
        (("76669d29ab01",), 8),
        (("76669d29ab01", "1234abcd0000"), 8),
        (("76669d29ab01", "76669d29cd02"), 9),
        (("76669d29ab01", "76669d29ab02"), 12),
        (("76669d29ab01", "76669d29ab01"), 8),
    ],
)
def test_ids_are_shown_as_long_as_it_takes_to_tell_them_apart_and_never_below_eight(ids, length):
    assert unique_prefix_length(ids) == length
