"""The automation that marks a dead worker's runs Crashed agrees with what the deployments send."""

from __future__ import annotations

from datetime import timedelta

from governance.entrypoints.deployments import deployments, worker_environment
from governance.entrypoints.unresponsive_runs import DEPLOYMENT_TAG, unresponsive_runs_automation
from governance.settings import Settings


def test_a_run_is_crashed_after_three_missed_heartbeats_of_the_frequency_its_deployment_sets():
    settings = Settings(run_heartbeat_seconds=45)
    trigger = unresponsive_runs_automation(settings.run_heartbeat_seconds).trigger

    assert worker_environment(settings)["PREFECT_FLOWS_HEARTBEAT_FREQUENCY"] == "45"
    assert trigger.within == timedelta(seconds=135)  # type: ignore[attr-defined]


def test_only_runs_of_the_signoff_deployments_are_watched():
    trigger = unresponsive_runs_automation(30).trigger
    related = trigger.match_related  # type: ignore[attr-defined]
    specification = related[0] if isinstance(related, list) else related

    assert specification["prefect.resource.id"] in (
        f"prefect.tag.{DEPLOYMENT_TAG}",
        [f"prefect.tag.{DEPLOYMENT_TAG}"],
    )
    assert all(DEPLOYMENT_TAG in deployment.tags for deployment, _ in deployments(Settings()))


def test_a_run_that_goes_pending_and_never_beats_is_crashed_too():
    trigger = unresponsive_runs_automation(30).trigger

    assert "prefect.flow-run.Pending" in trigger.after  # type: ignore[attr-defined]
    assert "prefect.flow-run.Completed" in trigger.expect  # type: ignore[attr-defined]
    assert "prefect.flow-run.Pending" not in trigger.expect  # type: ignore[attr-defined]
