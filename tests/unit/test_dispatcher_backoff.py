"""A failing step waits longer after each failure, and is forgiven once it succeeds."""

from flows.dispatcher import FailureBackoff
from governance.services.signoffs import Work

WORK = Work("s1", "Agreement", "advance")


def test_a_step_is_ready_until_it_fails():
    backoff = FailureBackoff()
    assert backoff.ready(WORK)
    backoff.failed(WORK)
    assert not backoff.ready(WORK)


def test_a_failure_of_one_step_does_not_hold_up_another():
    backoff = FailureBackoff()
    backoff.failed(WORK)
    assert backoff.ready(Work("s2", "Other", "advance"))


def test_success_clears_the_failures():
    backoff = FailureBackoff()
    backoff.failed(WORK)
    backoff.succeeded(WORK)
    assert backoff.ready(WORK)
