"""Read a YAML node tree while keeping line numbers, so every problem can name its line.

PyYAML's composer gives nodes that remember where they start; values are converted here one
at a time and anything that does not fit becomes a ``Problem`` rather than an exception, so a
governance officer sees every mistake in a file at once.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.reader import ReaderError

from governance.adapters.route_files.yaml_depth import NestedTooDeep, compose, deepest, too_deep_message

NULL_TAG = "tag:yaml.org,2002:null"
WHOLE_NUMBER = re.compile(r"[+-]?\d+")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
EMAIL = re.compile(
    r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+"
)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a route file, at a 1-based line (0 when it is about the whole file)."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class RouteFileError(Exception):
    """A route file that cannot be used; ``problems`` lists everything found wrong with it."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


def line_of(node: Node) -> int:
    """The 1-based line a node starts on."""
    return int(node.start_mark.line) + 1


def shown(node: Node) -> str:
    """A short description of a node for messages: its text, or what kind of node it is."""
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    return "nothing" if node.tag == NULL_TAG else f"'{node.value}'"


@dataclass(frozen=True)
class Fields:
    """A YAML mapping's entries by key, each with its key node (for the key's line)."""

    node: MappingNode
    entries: dict[str, tuple[ScalarNode, Node]]
    line: int

    def get(self, key: str) -> Node | None:
        """The value node under ``key``, or None when the key is absent."""
        entry = self.entries.get(key)
        return entry[1] if entry else None

    def raw(self, key: str) -> str | None:
        """The text written under ``key`` when it is a plain scalar, else None (for labels)."""
        value = self.get(key)
        if isinstance(value, ScalarNode) and value.tag != NULL_TAG:
            return str(value.value)
        return None

    def __contains__(self, key: object) -> bool:
        return key in self.entries


def suggestion(word: str, known: Iterable[str]) -> str:
    """' (did you mean 'x'?)' for a likely misspelling, else the list of what is expected."""
    candidates = list(known)
    if not candidates:
        return ""
    close = difflib.get_close_matches(word, candidates, n=1, cutoff=0.6)
    if close:
        return f" (did you mean '{close[0]}'?)"
    return f" (expected one of: {', '.join(candidates)})"


def peek_id(text: str) -> str | None:
    """The top-level ``id`` of a route file without validating the rest; None when it has none.

    Raises ``yaml.YAMLError`` for text that is not YAML a route could be read from.
    """
    root = compose(text)
    if not isinstance(root, MappingNode):
        return None
    for key, value in root.value:
        if isinstance(key, ScalarNode) and key.value == "id" and isinstance(value, ScalarNode):
            return str(value.value)
    return None


@dataclass
class Reader:
    """Converts YAML nodes to values, recording a Problem for each one that does not fit."""

    path: str
    problems: list[Problem] = field(default_factory=list)

    def report(self, where: Node | int, message: str) -> None:
        """Record a problem at a node's line, or at an explicit line number."""
        line = where if isinstance(where, int) else line_of(where)
        self.problems.append(Problem(self.path, line, message))

    def error(self) -> RouteFileError:
        """An error listing every problem recorded so far, in line order."""
        return RouteFileError(sorted(self.problems, key=lambda problem: problem.line))

    def parse(self, text: str) -> Node | None:
        """The document's node tree, or None after reporting a syntax error or an empty file."""
        try:
            root = compose(text)
        except NestedTooDeep as exc:
            self.report(exc.line, too_deep_message(exc.depth))
            return None
        except yaml.MarkedYAMLError as exc:
            self.report(_error_line(exc), _syntax_message(exc))
            return None
        except ReaderError as exc:
            line = text.count("\n", 0, int(exc.position)) + 1
            self.report(line, f"YAML syntax error: {exc.reason} (character U+{int(exc.character):04X})")
            return None
        if root is None:
            self.report(1, "the file is empty: a route needs id, name, organisation and stages")
        elif (too_deep := deepest(root)) is not None:
            self.report(too_deep[0], too_deep_message(too_deep[1]))
            return None
        return root

    def fields(self, node: Node, *, what: str, owner: Node | None = None) -> Fields | None:
        """A mapping's entries; reports a non-mapping, odd keys and repeated keys.

        Missing keys are later reported at the line of ``owner`` (the key above the mapping, as
        ``exec:`` above a calendar) when given, else where the mapping starts.
        """
        if not isinstance(node, MappingNode):
            self.report(node, f"{what} should be a mapping of keys to values, got {shown(node)}")
            return None
        entries: dict[str, tuple[ScalarNode, Node]] = {}
        for key, value in node.value:
            if not isinstance(key, ScalarNode):
                self.report(key, f"keys in {what} should be plain words, got {shown(key)}")
            elif key.value in entries:
                first = line_of(entries[key.value][0])
                self.report(key, f"duplicate key '{key.value}' in {what} (first at line {first})")
            else:
                entries[str(key.value)] = (key, value)
        return Fields(node, entries, line_of(owner if owner is not None else node))

    def unknown_keys(self, fields: Fields, *, known: Sequence[str], where: str) -> None:
        """Report each key that is not one of ``known``, suggesting the likely intended one."""
        for name, (key, _) in fields.entries.items():
            if name not in known:
                self.report(key, f"unknown key '{name}' {where}{suggestion(name, known)}")

    def require(self, fields: Fields, key: str, *, where: str) -> Node | None:
        """The value under a required key; reports it missing at the mapping's line."""
        value = fields.get(key)
        if value is None:
            self.report(fields.line, f"missing required key '{key}' {where}")
        return value

    def required_text(self, fields: Fields, key: str, *, where: str) -> str | None:
        """The text under a required key, reporting it when missing or not text."""
        node = self.require(fields, key, where=where)
        return self.text(node, what=f"{key} {where}") if node is not None else None

    def text(self, node: Node, *, what: str) -> str | None:
        """A non-empty piece of text, exactly as written (so 'yes' stays 'yes')."""
        if not isinstance(node, ScalarNode):
            self.report(node, f"{what} should be text, got {shown(node)}")
            return None
        value = str(node.value).strip()
        if not value:
            self.report(node, f"{what} is empty")
            return None
        return value

    def whole_number(self, node: Node, *, what: str, minimum: int, maximum: int | None = None) -> int | None:
        """A whole number from ``minimum`` (to ``maximum``, when given) written in plain digits."""
        raw = str(node.value).strip() if isinstance(node, ScalarNode) else ""
        if WHOLE_NUMBER.fullmatch(raw) and int(raw) >= minimum and (maximum is None or int(raw) <= maximum):
            return int(raw)
        bounds = f"of at least {minimum}" if maximum is None else f"from {minimum} to {maximum}"
        self.report(node, f"{what} should be a whole number {bounds}, got {shown(node)}")
        return None

    def day(self, node: Node, *, what: str) -> date | None:
        """A calendar date written YYYY-MM-DD (quoted or not)."""
        raw = str(node.value).strip() if isinstance(node, ScalarNode) else ""
        if ISO_DATE.fullmatch(raw):
            try:
                return date.fromisoformat(raw)
            except ValueError as exc:
                self.report(node, f"{what}: '{raw}' is not a valid date ({exc})")
                return None
        self.report(node, f"{what} should be a date written YYYY-MM-DD, got {shown(node)}")
        return None

    def email(self, node: Node, *, what: str) -> str | None:
        """An email address, lower-cased; None after reporting one that is not."""
        value = self.text(node, what=what)
        if value is not None and not EMAIL.fullmatch(value):
            self.report(node, f"{what}: '{value}' is not an email address (expected name@domain.example)")
            return None
        return value.lower() if value else None

    @staticmethod
    def is_email(value: str) -> bool:
        """True for text shaped like local@domain.tld, with no spaces."""
        return EMAIL.fullmatch(value) is not None

    def items(self, node: Node, *, what: str) -> list[Node] | None:
        """The entries of a list; a single plain value counts as a list of one."""
        if isinstance(node, SequenceNode):
            return list(node.value)
        if isinstance(node, ScalarNode) and node.tag != NULL_TAG:
            return [node]
        self.report(node, f"{what} should be a list, got {shown(node)}")
        return None


def _error_line(exc: yaml.MarkedYAMLError) -> int:
    """The 1-based line a YAML syntax error points at."""
    mark = exc.problem_mark or exc.context_mark
    return mark.line + 1 if mark else 1


def _syntax_message(exc: yaml.MarkedYAMLError) -> str:
    """A syntax error's message, with where the enclosing construct began."""
    message = f"YAML syntax error: {exc.problem or exc.context}"
    if exc.problem and exc.context and exc.context_mark:
        message += f" ({exc.context} that starts at line {exc.context_mark.line + 1})"
    return message
