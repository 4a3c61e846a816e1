"""Property-based tests (hypothesis) of the two parsers that read what strangers send: the action-link
token parser and the route YAML parser. Whatever the input, they answer or refuse clearly, never crash."""

from __future__ import annotations

import secrets
import string

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from governance.adapters.route_files import parse_route
from governance.adapters.route_files.yaml_nodes import Problem, RouteFileError
from governance.domain.route import Route
from governance.services.tokens import looks_like_token, token_from_nonce, token_hash

KEY = b"property-test-key"
URL_SAFE = string.ascii_letters + string.digits + "-_"
ROUTE = """\
id: example-route
name: Example route
organisation: NHS Example ICB
stages:
  - id: finance
    name: Finance review
    kind: review
    reviewers: [finance@example.nhs.uk]
    due_working_days: 5
"""


@given(st.text(min_size=1, max_size=32))
def test_every_link_token_has_the_shape_the_parser_accepts(nonce: str) -> None:
    token = token_from_nonce(nonce, KEY)
    assert looks_like_token(token)
    assert len(token) == 43


@given(st.text(max_size=200))
def test_the_token_parser_refuses_any_text_not_of_the_link_shape(text: str) -> None:
    accepted = looks_like_token(text)
    assert accepted == (len(text) == 43 and all(c in URL_SAFE for c in text))


@given(st.integers(min_value=0, max_value=42), st.sampled_from(URL_SAFE))
def test_changing_any_one_character_of_a_token_changes_what_it_unlocks(
    position: int, replacement: str
) -> None:
    token = token_from_nonce(secrets.token_urlsafe(32), KEY)
    changed = token[:position] + replacement + token[position + 1 :]
    if changed != token:
        assert token_hash(changed) != token_hash(token)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=400))
def test_the_route_parser_answers_any_text_with_a_route_or_located_problems(text: str) -> None:
    route, problems = parsed(text, "random.yaml")
    assert (route is None) == bool(problems)
    assert all(str(problem).startswith("random.yaml:") for problem in problems)
    assert route is None or route.stages


VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=100, deadline=None)
@given(
    st.sampled_from(["id", "name", "organisation", "stages", "defaults", "calendars", "closures"]),
    VALUES,
)
def test_a_route_with_any_one_key_replaced_by_any_value_parses_or_says_where_it_is_wrong(
    key: str, value: object
) -> None:
    document = yaml.safe_load(ROUTE)
    document[key] = value
    text = yaml.safe_dump(document, allow_unicode=True)
    _, problems = parsed(text, "edited.yaml")
    assert all(problem.path == "edited.yaml" and problem.line >= 0 for problem in problems)


def parsed(text: str, path: str) -> tuple[Route | None, list[Problem]]:
    """The route, or the problems found; any other exception fails the test."""
    try:
        return parse_route(text, path=path), []
    except RouteFileError as error:
        return None, error.problems
