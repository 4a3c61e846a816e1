"""Use cases of the sign-off's story in Prefect: what to tell it now, and recording what was told.

The product's database stays the truth: a step reads the sign-off, works out what Prefect has not
been told (``governance.services.story``), ``flows.story`` tells it, and the record is written
back. A failure in between loses nothing: the next step works it out again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from governance.services.ports import UnitsOfWork
from governance.services.status import SignOffStatus, status_of
from governance.services.story import Ending, Transition, run_tags, transitions
from governance.services.story_artifacts import stages_key, stages_table, timeline_key, timeline_markdown
from governance.services.story_ports import StoryRecord


@dataclass(frozen=True)
class StoryPlan:
    """Everything one step tells Prefect about a sign-off; nothing to do when ``transitions`` is empty."""

    signoff_id: str
    title: str
    tags: tuple[str, ...]
    transitions: tuple[Transition, ...]
    record: StoryRecord
    resource: dict[str, str] = field(default_factory=dict)
    related: tuple[dict[str, str], ...] = ()
    artifacts: dict[str, tuple[str, Any]] = field(default_factory=dict)  # key -> (kind, data)

    @property
    def summary(self) -> str:
        """What the step did, in one line: 'Legal review approved by a@x; Board opened'."""
        return "; ".join(t.line for t in self.transitions)

    @property
    def ending(self) -> Ending | None:
        """How the sign-off ended, when this step tells it."""
        return next((t.ending for t in self.transitions if t.segment is None), None)

    def stage_related(self, transition: Transition) -> list[dict[str, str]]:
        """The related resources of an event: the route, and the stage when there is one."""
        found = list(self.related)
        if transition.segment is not None:
            found.append(
                {
                    "prefect.resource.id": f"signoff.{self.signoff_id}.stage.{transition.segment.stage_id}",
                    "prefect.resource.role": "stage",
                    "prefect.resource.name": transition.segment.name,
                }
            )
        return found


def plan_story(status: SignOffStatus, record: StoryRecord, *, now: datetime) -> StoryPlan:
    """The plan for one step: the transitions not told yet and the artifacts as they now read."""
    found = tuple(transitions(status, record, now=now))
    resource = {
        "prefect.resource.id": f"signoff.{status.id}",
        "prefect.resource.name": status.title,
        "signoff.route": status.route,
        "signoff.organisation": status.organisation,
    }
    route = {
        "prefect.resource.id": f"signoff.route.{status.route}",
        "prefect.resource.role": "route",
        "prefect.resource.name": status.route_name,
    }
    artifacts: dict[str, tuple[str, Any]] = {}
    if found:
        artifacts[timeline_key(status.id)] = ("markdown", timeline_markdown(status))
        artifacts[stages_key(status.id)] = ("table", stages_table(status))
    return StoryPlan(status.id, status.title, run_tags(status), found, record, resource, (route,), artifacts)


def story_to_tell(uows: UnitsOfWork, signoff_id: str, *, now: datetime) -> StoryPlan:
    """What Prefect has not been told yet about one sign-off (raises SignOffNotFound)."""
    with uows.read() as uow:
        status = status_of(uow, uow.signoffs.get(signoff_id), now=now)
        record = uow.stories.get(signoff_id)
    return plan_story(status, record, now=now)


def record_told(uows: UnitsOfWork, signoff_id: str, record: StoryRecord) -> None:
    """Keep what Prefect was told, merged with whatever a concurrent step recorded meanwhile."""
    with uows.write() as uow:
        before = uow.stories.get(signoff_id)
        merged = StoryRecord(
            flow_run_id=record.flow_run_id or before.flow_run_id,
            task_runs={**before.task_runs, **record.task_runs},
            told=before.told | record.told,
        )
        uow.stories.put(signoff_id, merged)


@dataclass(frozen=True)
class StepParents:
    """Where a step's run goes in the Prefect UI: inside the sign-off's story run, under the task
    runs of the stages open when it starts."""

    story_run_id: str
    stage_task_run_ids: tuple[str, ...]


def step_parents(uows: UnitsOfWork, signoff_id: str) -> StepParents | None:
    """The story run and its open stages' task runs; None before the story has one (the start)."""
    with uows.read() as uow:
        record = uow.stories.get(signoff_id)
    return parents_in(record)


def parents_in(record: StoryRecord) -> StepParents | None:
    """The stage task runs a record has opened and not yet closed, with their story run."""
    if record.flow_run_id is None:
        return None
    runs = sorted(record.task_runs.items())
    still_open = tuple(task_run for key, task_run in runs if f"completed:{key}" not in record.told)
    return StepParents(record.flow_run_id, still_open)
