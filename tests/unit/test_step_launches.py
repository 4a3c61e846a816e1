"""Scaled out, each owed step becomes one deployment run, unless a run waiting to start stands for it."""

from __future__ import annotations

from flows.launch import ADVANCE, DELIVER, launch_for, still_to_launch
from governance.services.signoffs import Work

ADVANCE_A = Work("a1", "Agreement", "advance")
MAIL_A = Work("a1", "Agreement", "send email")
MAIL_B = Work("b2", "Budget", "send email")


def test_an_owed_advance_is_a_run_of_the_advance_deployment_tagged_and_named_after_its_signoff():
    launch = launch_for(ADVANCE_A)
    assert (launch.deployment, launch.name, launch.tag) == (ADVANCE, "Agreement · advance", "signoff:a1")
    assert launch.parameters == {"signoff_id": "a1", "document": "Agreement", "step": "advance"}


def test_mail_owed_outside_any_signoff_is_one_delivery_run_for_all_of_it():
    launch = launch_for(Work(None, "notifications", "send email"))
    assert (launch.deployment, launch.tag, launch.parameters["signoff_id"]) == (DELIVER, "signoff:none", None)


def test_a_step_that_already_waits_in_prefect_is_not_asked_for_again():
    launches = still_to_launch([ADVANCE_A, MAIL_A, MAIL_B], {(DELIVER, "signoff:a1")})
    assert [(one.deployment, one.tag) for one in launches] == [
        (ADVANCE, "signoff:a1"),
        (DELIVER, "signoff:b2"),
    ]


def test_the_same_step_owed_twice_in_one_pass_is_one_run():
    assert len(still_to_launch([MAIL_A, MAIL_A], set())) == 1
