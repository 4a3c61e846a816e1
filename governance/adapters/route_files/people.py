"""Lists of people in a route file: distinct email addresses, each checked, lower-cased."""

from __future__ import annotations

from governance.adapters.route_files.yaml_nodes import Fields, Reader, line_of


def people_list(reader: Reader, fields: Fields, *, key: str, label: str) -> tuple[str, ...] | None:
    """Distinct email addresses, lower-cased; None when missing or when any entry is wrong."""
    node = reader.require(fields, key, where=f"in {label}")
    items = reader.items(node, what=f"{key} in {label}") if node is not None else None
    if node is None or items is None:
        return None
    if not items:
        reader.report(node, f"{key} in {label} is empty: list at least one email address")
    people: dict[str, int] = {}
    for item in items:
        email = reader.email(item, what=f"{key} in {label}")
        if email in people:
            reader.report(
                item, f"duplicate {key.removesuffix('s')} '{email}' in {label} (also at line {people[email]})"
            )
        elif email:
            people[email] = line_of(item)
    return tuple(people) if len(people) == len(items) else None
