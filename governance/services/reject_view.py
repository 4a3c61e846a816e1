"""What a reviewer's reject would do, in words, for the step that confirms it before it is recorded.

The stage's approval rule is asked, never restated: the reject is added to the verdicts recorded
so far on the version the stage is open for, and ``domain.rules.outcome`` says what follows.
"""

from __future__ import annotations

from dataclasses import dataclass

from governance.domain.route import RuleKind, Stage
from governance.domain.rules import StageOutcome, Verdict, outcome
from governance.domain.signoff import SignOff


@dataclass(frozen=True)
class RejectConsequence:
    ends_signoff: bool  # the reject settles the stage as rejected, which ends the sign-off
    words: str


def reject_consequence(signoff: SignOff, stage: Stage, reviewer: str) -> RejectConsequence:
    """What recording ``reviewer``'s reject on ``stage`` would do now."""
    verdicts = [d.verdict for d in signoff.stages[stage.id].current_decisions()]
    reviewers = len(stage.deciders)
    vetoed = reviewer in stage.veto
    after = outcome(stage.approvals, reviewers, [*verdicts, Verdict.REJECT], vetoed=vetoed)
    name = f"the {stage.name} stage"
    if after is not StageOutcome.REJECTED:
        still = stage.approvals.required(reviewers) - verdicts.count(Verdict.APPROVE)
        return RejectConsequence(
            False,
            f"{_needs(stage, reviewers)}: your reject counts as one vote against, and the "
            f"stage stays open. It is still approved if {still} of the other reviewers "
            f"approve{'s' if still == 1 else ''}.",
        )
    if vetoed:
        because = f"You hold a veto on {name}: your reject rejects it on its own, whatever its approval rule"
    elif reviewers == 1:
        because = f"You are the only reviewer of {name}: your reject settles it"
    elif stage.approvals.kind is RuleKind.ALL:
        because = f"{_needs(stage, reviewers)}: your reject means this stage cannot be approved"
    else:
        because = f"{_needs(stage, reviewers)}: with your reject that can no longer happen"
    return RejectConsequence(True, f"{because}. The stage ends as rejected, and so does the sign-off.")


def _needs(stage: Stage, reviewers: int) -> str:
    """The approval rule, as what the stage needs."""
    if stage.approvals.kind is RuleKind.ALL:
        return f"{stage.name} needs {'both' if reviewers == 2 else f'all {reviewers}'} reviewers to approve"
    required = stage.approvals.required(reviewers)
    return f"{stage.name} needs {required} of its {reviewers} reviewers to approve"
