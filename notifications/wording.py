"""The words emails use for stored values: one map each, read by every template and context.

A decision is stored as its verdict (``changes``, ``approve_with_amendments``, ``defer``); people read
"Changes requested". A RAG is stored as ``red``; people read "Red" and what it means, never the colour
alone.
"""

from __future__ import annotations

DECISION_WORDS = {
    "approve": "Approved",
    "reject": "Rejected",
    "changes": "Changes requested",
    "approve_with_amendments": "Approved with amendments",
    "defer": "Deferred to the next meeting",
}
RAG_NAMES = {"green": "Green", "amber": "Amber", "red": "Red"}
RAG_MEANINGS = {
    "green": "on track",
    "amber": "at risk, with little spare time",
    "red": "likely to miss the target date",
}


def decision_words(verdict: str) -> str:
    """`decision_words("changes")` -> "Changes requested"; an unknown value reads as itself, tidied."""
    return DECISION_WORDS.get(verdict, verdict.replace("_", " ").capitalize())


def rag_words(rag: str) -> str:
    """`rag_words("red")` -> "Red (likely to miss the target date)"."""
    return f"{RAG_NAMES.get(rag, rag.capitalize())} ({RAG_MEANINGS.get(rag, 'status unknown')})"
