"""Sign-off ids as people type them: any unique prefix of an id names it, as git does with commits.

Ids are lower-case hex (``secrets.token_hex``), so a prefix is refused unless it is hex; that also
keeps ``%`` and ``_`` out of the ``LIKE 'prefix%'`` the repository runs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from governance.services.ports import SignOffNotFound, UnitsOfWork

HEX_DIGITS = frozenset("0123456789abcdef")
CANDIDATES_SHOWN = 10  # an ambiguous prefix lists this many sign-offs at most
SHORTEST_SHOWN = 8  # ids are shown no shorter than this, so they stay unique as sign-offs are added


class NotASignOffId(ValueError):
    """What was typed cannot be (the start of) a sign-off id."""

    def __init__(self, given: str) -> None:
        super().__init__(
            f"{given!r} is not a sign-off id: ids are made of the digits 0-9 and letters a-f "
            "(run `signoff status` to list them)"
        )
        self.given = given


@dataclass(frozen=True)
class Candidate:
    id: str
    title: str


class AmbiguousSignOffId(LookupError):
    """A prefix that starts more than one sign-off's id."""

    def __init__(self, prefix: str, candidates: Sequence[Candidate], *, more: bool) -> None:
        listed = ", ".join(f"{c.id} ({c.title})" for c in candidates)
        many = f"{len(candidates)}{' or more' if more else ''}"
        super().__init__(f"{prefix!r} starts {many} sign-off ids: {listed}; type more of the id")
        self.prefix = prefix
        self.candidates = tuple(candidates)


def resolve_signoff_id(uows: UnitsOfWork, given: str) -> str:
    """The full id of the one sign-off whose id starts with ``given`` (case and spaces ignored).

    Raises NotASignOffId for anything but hex, SignOffNotFound for no match and
    AmbiguousSignOffId (listing the candidates) for more than one."""
    prefix = given.strip().lower()
    if not prefix or not set(prefix) <= HEX_DIGITS:
        raise NotASignOffId(given)
    with uows.read() as uow:
        found = uow.signoffs.ids_starting_with(prefix, limit=CANDIDATES_SHOWN + 1)
        if prefix in found or len(found) == 1:
            return prefix if prefix in found else found[0]
        if not found:
            raise SignOffNotFound(given)
        shown = sorted(found)[:CANDIDATES_SHOWN]
        titles = uow.signoffs.titles(shown)
    candidates = [Candidate(signoff_id, titles.get(signoff_id, "")) for signoff_id in shown]
    raise AmbiguousSignOffId(prefix, candidates, more=len(found) > CANDIDATES_SHOWN)


def unique_prefix_length(ids: Sequence[str], *, shortest: int = SHORTEST_SHOWN) -> int:
    """How many leading characters tell every one of ``ids`` apart (at least ``shortest``)."""
    ordered = sorted(set(ids))
    longest_shared = max(
        (_shared_length(first, second) for first, second in pairwise(ordered)),
        default=0,
    )
    return min(max(shortest, longest_shared + 1), max(map(len, ordered), default=shortest))


def _shared_length(first: str, second: str) -> int:
    """How many leading characters two strings have in common."""
    count = 0
    for a, b in zip(first, second, strict=False):
        if a != b:
            break
        count += 1
    return count
