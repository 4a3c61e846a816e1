"""What the pages say of key dates: RAG badges in words and slack in words.

The flags beside each stage (stalled, at risk, late) are the domain's rules, carried by the
status read model on dates.
"""

from __future__ import annotations

# The words carry the meaning; the colour only repeats it.
RAG_WORDS = {"green": "on track", "amber": "at risk", "red": "will miss the target"}


def rag_label(rag: str | None) -> str:
    """A RAG status in words: 'Red: will miss the target'."""
    if rag is None:
        return "No forecast"
    return f"{rag.capitalize()}: {RAG_WORDS.get(rag, rag)}"


def slack_words(slack: int | None) -> str:
    """Slack against the target in words: '12 working days to spare', '3 working days late'."""
    if slack is None:
        return "–"
    if slack == 0:
        return "None: the forecast is the target day itself"
    days = abs(slack)
    plural = "" if days == 1 else "s"
    return f"{days} working day{plural} " + ("to spare" if slack > 0 else "late")
