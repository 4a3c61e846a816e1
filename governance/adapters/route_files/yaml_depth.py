"""How deep a route file may nest, checked while composing so no file can exhaust the stack.

PyYAML's composer recurses once per nested list or mapping, so a file written as hundreds of
``[`` would otherwise end in a RecursionError before the file could be checked at all.
"""

from __future__ import annotations

import yaml
from yaml.events import CollectionStartEvent
from yaml.nodes import MappingNode, Node, ScalarNode

MOST_NESTING = 10  # a route's deepest part (a deputy in a stage in a parallel group) is 7 levels


class NestedTooDeep(yaml.YAMLError):
    """A file nesting lists or mappings deeper than any route needs, at a 1-based line."""

    def __init__(self, line: int, depth: int) -> None:
        self.line = line
        self.depth = depth
        super().__init__(too_deep_message(depth))


def too_deep_message(depth: int) -> str:
    """What to tell a governance officer whose file nests ``depth`` levels deep."""
    return f"the file nests {depth} levels deep here; no route needs more than {MOST_NESTING}"


class _BoundedLoader(yaml.SafeLoader):
    """A safe loader that refuses to open a list or mapping deeper than ``MOST_NESTING``."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.depth = 0

    def compose_node(self, parent: Node | None, index: int) -> Node | None:
        self.depth += 1
        try:
            # check_event leaves the event it looked at in current_event: the list or mapping opening
            if self.depth > MOST_NESTING and self.check_event(CollectionStartEvent):
                raise NestedTooDeep(int(self.current_event.start_mark.line) + 1, self.depth)
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def compose(text: str) -> Node | None:
    """The node tree of one YAML document (None when empty).

    Raises ``yaml.YAMLError``: ``NestedTooDeep`` for a file nesting deeper than any route.
    """
    loader = _BoundedLoader(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def deepest(root: Node) -> tuple[int, int] | None:
    """The line and depth of the first node nested deeper than ``MOST_NESTING``, if any.

    Composing stops at deep lists and mappings; this also catches a deep plain value and
    aliases (``*name``) that repeat a nested part inside another.
    """
    stack: list[tuple[Node, int]] = [(root, 1)]
    seen: set[int] = set()
    while stack:
        node, depth = stack.pop()
        if depth > MOST_NESTING:
            return int(node.start_mark.line) + 1, depth
        if id(node) in seen or isinstance(node, ScalarNode):
            continue
        seen.add(id(node))
        children = [n for pair in node.value for n in pair] if isinstance(node, MappingNode) else node.value
        stack.extend((child, depth + 1) for child in children)
    return None
