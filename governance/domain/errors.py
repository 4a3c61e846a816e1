"""Errors the core raises; each carries a message fit to show a person."""


class DomainError(Exception):
    """Base for every error the core raises."""


class TransitionNotAllowed(DomainError):
    """A state change that the sign-off's current state does not allow."""


class DecisionRefused(TransitionNotAllowed):
    """A reviewer's decision that cannot be recorded (stage closed, not a reviewer, already decided)."""


class PlanningError(DomainError):
    """A date computation that cannot be done (for example an invalid recurrence rule)."""
