"""Render a governance email from its templates: a subject, an HTML part and a plain-text part.

Each kind has `<kind>.txt` (subject block and plain text, no escaping) and `<kind>.html`
(autoescaped). Both extend a base layout that says why the recipient gets the email and whom
to ask. Missing context keys raise: StrictUndefined turns a forgotten key into an error rather
than a blank in an email to a director.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import jinja2
import markupsafe

from notifications.contexts import BODIES, QueuedEmail
from notifications.wording import RAG_MEANINGS, RAG_NAMES, decision_words, rag_words

KINDS = tuple(BODIES)
ROLES = ("lead", "reviewer", "escalation")

_LOADER = jinja2.PackageLoader("notifications", "templates")


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    html: str
    text: str


def plural(count: int, noun: str, plural_form: str | None = None) -> str:
    """`plural(1, "working day")` -> "1 working day"; `plural(3, ...)` -> "3 working days"."""
    word = noun if count == 1 else (plural_form or f"{noun}s")
    return f"{count} {word}"


def nl2br(text: str) -> markupsafe.Markup:
    """Escape a comment typed by a person and keep its line breaks (Outlook ignores pre-line)."""
    lines = str(markupsafe.escape(text)).splitlines()
    return markupsafe.Markup("<br>".join(lines))  # noqa: S704 - every line was escaped above


def _environment(*, autoescape: bool) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=_LOADER,
        autoescape=autoescape,  # noqa: S701 - False only for .txt: plain text must not show "&amp;"
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["plural"] = plural
    env.filters["nl2br"] = nl2br
    env.filters["decision_words"] = decision_words
    env.filters["rag_words"] = rag_words
    env.globals.update(RAG_NAMES=RAG_NAMES, RAG_MEANINGS=RAG_MEANINGS)
    return env


_HTML = _environment(autoescape=True)
_TEXT = _environment(autoescape=False)


def render(kind: str, context: Mapping[str, Any]) -> RenderedEmail:
    """Render the `kind` email for one recipient; raise ValueError on an unknown kind or role."""
    if kind not in KINDS:
        raise ValueError(f"unknown email kind {kind!r}; expected one of {', '.join(KINDS)}")
    if context.get("role") not in ROLES:
        raise ValueError(f"context role must be one of {', '.join(ROLES)}, not {context.get('role')!r}")
    text_template = _TEXT.get_template(f"{kind}.txt")
    subject = _subject(text_template, context)
    full = {**context, "subject": subject}
    return RenderedEmail(
        subject=subject,
        html=_HTML.get_template(f"{kind}.html").render(full),
        text=_tidy(text_template.render(full)),
    )


def render_email(email: QueuedEmail, *, links: Mapping[str, str] | None = None) -> RenderedEmail:
    """Render a queued email from its typed context, with the links added at send time."""
    return render(email.kind, {**email.to_data(), **(links or {})})


def _subject(template: jinja2.Template, context: Mapping[str, Any]) -> str:
    """The subject block on one line: titles typed by people may carry newlines."""
    block = template.blocks["subject"]
    return " ".join("".join(block(template.new_context(dict(context)))).split())


def _tidy(text: str) -> str:
    """At most one blank line in a row, no trailing spaces: plain text read in any client."""
    lines = [line.rstrip() for line in text.strip().splitlines()]
    tidy: list[str] = []
    for line in lines:
        if line or (tidy and tidy[-1]):
            tidy.append(line)
    return "\n".join(tidy) + "\n"
