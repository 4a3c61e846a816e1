"""The committee parts of a link's form: a secretary's minutes, a ratification, the lead's paper.

Every check says what is wrong in words for the person, and nothing is recorded until all pass.
"""

from __future__ import annotations

from dataclasses import dataclass

from governance.domain.committee_stage import Minutes
from governance.domain.route import StageKind
from governance.domain.rules import Verdict
from governance.services.action_view import ActionView

MAX_FIELD = 10_000
NOTHING_YET = "Nothing has been recorded yet."
MAX_MINUTE_REF = 200
QUORATE_NEEDED = frozenset({Verdict.APPROVE, Verdict.REJECT})
OUTCOME_WORDS = {
    Verdict.APPROVE: "Approved",
    Verdict.APPROVE_WITH_AMENDMENTS: "Approved with amendments",
    Verdict.DEFER: "Deferred to the next meeting",
    Verdict.REJECT: "Rejected",
    Verdict.CHANGES: "Changes asked for",
}


@dataclass(frozen=True)
class MinuteFields:
    """What the secretary's form posts beside ``decision`` and ``comment``."""

    minute_ref: str = ""
    amendments: str = ""
    quorate: str = ""
    interests: str = ""

    def too_long(self) -> str | None:
        if len(self.minute_ref) > MAX_MINUTE_REF:
            length = len(self.minute_ref)
            return f"The minute reference is {length:,} characters; keep it under {MAX_MINUTE_REF}."
        for name, text in (("amendments", self.amendments), ("declarations of interest", self.interests)):
            if len(text) > MAX_FIELD:
                return f"The {name} are {len(text):,} characters long; please keep them under {MAX_FIELD:,}."
        return None


def is_committee_outcome(view: ActionView) -> bool:
    """A secretary recording a committee's outcome (not a chair acting between meetings)."""
    return view.stage.kind is StageKind.MEETING and not view.committee.as_chair


def minutes_problem(view: ActionView, verdict: Verdict, fields: MinuteFields) -> str | None:
    """What the secretary must still give for this outcome; None when the form is complete."""
    if not is_committee_outcome(view):
        return None
    if verdict not in view.verdicts:
        return f"Choose one of the outcomes below. {NOTHING_YET}"
    if not fields.minute_ref.strip():
        return (
            "Enter the minute reference of this item (for example 2027/01/7). Nothing has been recorded yet."
        )
    if verdict is Verdict.APPROVE_WITH_AMENDMENTS and not fields.amendments.strip():
        return f"Enter the amendments the committee asked for. {NOTHING_YET}"
    if verdict in QUORATE_NEEDED and fields.quorate != "yes":
        return f"Confirm that the meeting was quorate: an inquorate meeting cannot decide. {NOTHING_YET}"
    return fields.too_long()


def minutes_of(view: ActionView, fields: MinuteFields) -> Minutes | None:
    """The minutes to record with a committee's outcome (None for a review or a chair)."""
    if not is_committee_outcome(view):
        return None
    return Minutes(
        minute_ref=fields.minute_ref.strip(),
        amendments=fields.amendments.strip(),
        quorate=fields.quorate == "yes",
        interests=fields.interests.strip(),
    )
