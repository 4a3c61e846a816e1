"""A stage's document-loop keys: ``veto``, ``when``, ``deputies`` and ``reapprove_on_new_version``."""

from __future__ import annotations

import re
from typing import Any

from yaml.nodes import Node, ScalarNode

from governance.adapters.route_files.people import people_list
from governance.adapters.route_files.yaml_nodes import Fields, Reader, shown

LOOP_KEYS = ("veto", "when", "deputies", "reapprove_on_new_version")
TAG = re.compile(r"[a-z0-9][a-z0-9_-]{0,39}")
BOOLEANS = {"true": True, "yes": True, "false": False, "no": False}


def loop_keys(reader: Reader, fields: Fields, *, label: str, deciders: tuple[str, ...]) -> dict[str, Any]:
    """The Stage fields these keys set (only those given), reporting each problem."""
    found: dict[str, Any] = {}
    if "veto" in fields:
        found["veto"] = _veto(reader, fields, label=label, deciders=deciders)
    if "when" in fields:
        found["when_tag"] = _when(reader, fields.entries["when"][1], label=label)
    if "deputies" in fields:
        found["deputies"] = _deputies(reader, fields.entries["deputies"][1], label=label, deciders=deciders)
    if "reapprove_on_new_version" in fields:
        node = fields.entries["reapprove_on_new_version"][1]
        found["reapprove_on_new_version"] = _flag(reader, node, what=f"reapprove_on_new_version in {label}")
    return found


def valid_tag(value: str) -> bool:
    """A tag as ``when: {tag: ...}`` and ``signoff start --tag`` take it."""
    return TAG.fullmatch(value) is not None


def _veto(reader: Reader, fields: Fields, *, label: str, deciders: tuple[str, ...]) -> tuple[str, ...]:
    """Reviewers of the stage whose single reject rejects it."""
    people = people_list(reader, fields, key="veto", label=label) or ()
    for person in people:
        if deciders and person not in deciders:
            node = fields.entries["veto"][1]
            reader.report(node, f"veto in {label}: {person} is not one of the stage's reviewers")
    return people


def _when(reader: Reader, node: Node, *, label: str) -> str | None:
    """``when: {tag: NAME}``: the stage runs only for sign-offs started with that tag."""
    condition = reader.fields(node, what=f"when in {label}")
    if condition is None:
        return None
    reader.unknown_keys(condition, known=("tag",), where=f"in the when of {label}")
    tag_node = condition.get("tag")
    if tag_node is None:
        reader.report(node, f"when in {label} needs a tag, e.g. when: {{tag: financial}}")
        return None
    tag = reader.text(tag_node, what=f"tag in the when of {label}")
    if tag is not None and not valid_tag(tag):
        rule = "lower-case letters, digits, '-' and '_', up to 40 characters"
        reader.report(tag_node, f"tag '{tag}' in the when of {label} should use only {rule}")
        return None
    return tag


def _deputies(
    reader: Reader, node: Node, *, label: str, deciders: tuple[str, ...]
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """``deputies: {reviewer: [deputy, ...]}``: whom each reviewer may hand the review to."""
    mapping = reader.fields(node, what=f"deputies in {label}")
    if mapping is None:
        return ()
    allowed: list[tuple[str, tuple[str, ...]]] = []
    for key, (key_node, _value) in mapping.entries.items():
        reviewer = reader.email(key_node, what=f"a reviewer under deputies in {label}")
        if reviewer is None:
            continue
        if deciders and reviewer not in deciders:
            reader.report(key_node, f"deputies in {label}: {reviewer} is not one of the stage's reviewers")
        people = people_list(reader, mapping, key=key, label=f"the deputies of {reviewer} in {label}")
        allowed.append((reviewer, people or ()))
    return tuple(allowed)


def _flag(reader: Reader, node: Node, *, what: str) -> bool:
    """true or false."""
    raw = str(node.value).strip().lower() if isinstance(node, ScalarNode) else ""
    if raw in BOOLEANS:
        return BOOLEANS[raw]
    reader.report(node, f"{what} should be true or false, got {shown(node)}")
    return False
