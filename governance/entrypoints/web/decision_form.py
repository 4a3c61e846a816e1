"""The decision form of a reviewer's link, as posted: what is wrong with it, and what it asks to record."""

from __future__ import annotations

from dataclasses import dataclass

from governance.domain.rules import REVIEW_VERDICTS, Verdict
from governance.entrypoints.web.committee_forms import MinuteFields, minutes_of, minutes_problem
from governance.services.action_view import ActionView
from governance.services.committee_view import CHAIR_VERDICTS
from governance.services.signoffs import Asked

MAX_COMMENT = 10_000
CHOOSE_ONE = "Choose one of the outcomes offered."
CHOOSE = {
    REVIEW_VERDICTS: "Choose Approve, Request changes or Reject.",
    CHAIR_VERDICTS: "Choose Approve by chair's action, or Leave it to the committee.",
}
REASON_NEEDED = "Say why you are rejecting the document. Nothing has been recorded yet."
CONFIRMED, GO_BACK = "yes", "back"  # the confirmation step's answers, posted as ``confirm``


@dataclass(frozen=True)
class Posted:
    """The decision form's own fields, as posted."""

    decision: str
    comment: str
    document_sha256: str
    confirm: str  # "yes" from the confirmation step of a reject, "back" to change one's mind
    fields: MinuteFields

    def asked(self, view: ActionView) -> Asked | None:
        """The decision to record now; None while the form has a problem or a reject awaits its
        confirming press (the page then says which, from ``problem`` and ``asks_reason``)."""
        if self.problem(view) is not None:
            return None
        if asks_reason(view, self.decision) and self.confirm != CONFIRMED:
            return None
        return Asked(Verdict(self.decision), self.comment, minutes_of(view, self.fields))

    def problem(self, view: ActionView) -> tuple[int, str] | None:
        """What is wrong with the form as posted: an HTTP status and words for the reviewer."""
        problem = _decision_problem(view, self.decision, self.comment, self.document_sha256)
        if problem is not None:
            return problem
        message = minutes_problem(view, Verdict(self.decision), self.fields)
        return None if message is None else (422, message)


def asks_reason(view: ActionView, decision: str) -> bool:
    """A reviewer's reject (not a chair's "leave it to the committee", nor a committee's outcome)
    needs a reason and a second, confirming press."""
    return decision == Verdict.REJECT and view.verdicts == REVIEW_VERDICTS


def _decision_problem(
    view: ActionView, decision: str, comment: str, document_sha256: str
) -> tuple[int, str] | None:
    if decision not in {verdict.value for verdict in view.verdicts}:
        return 422, f"{CHOOSE.get(view.verdicts, CHOOSE_ONE)} Nothing has been recorded yet."
    if len(comment) > MAX_COMMENT:
        return 422, f"Your comment is {len(comment):,} characters long; please keep it under {MAX_COMMENT:,}."
    if asks_reason(view, decision) and not comment.strip():
        return 422, REASON_NEEDED
    # The page carries the hash it showed: a decision is about that version, not a later one.
    if document_sha256 and document_sha256 != view.document_sha256:
        return 409, (
            "The document has changed since you opened this page. Nothing has been recorded: "
            "please download and check the current version before deciding."
        )
    return None
