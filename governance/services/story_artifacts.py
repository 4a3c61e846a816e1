"""What the sign-off's Prefect artifacts say: a markdown timeline with key dates, a table of stages.

Dates are for people in England: London time, the GOV.UK way ('Wed 31 March 2027'). Keys are
stable per sign-off, so the Artifacts page shows the latest of each.
"""

from __future__ import annotations

from governance.domain.london_time import human_date, human_time
from governance.domain.states import SignOffState, StageState
from governance.services.status import SignOffStatus, StageStatus
from governance.services.story import slug

SIGNOFF_STATES = {
    SignOffState.IN_PROGRESS: "In progress",
    SignOffState.APPROVED: "Approved",
    SignOffState.REJECTED: "Rejected",
    SignOffState.CHANGES_REQUESTED: "Changes requested",
    SignOffState.CANCELLED: "Cancelled",
}
STAGE_STATES = {
    StageState.PENDING: "Not started",
    StageState.OPEN: "Open",
    StageState.APPROVED: "Approved",
    StageState.REJECTED: "Rejected",
    StageState.CHANGES_REQUESTED: "Changes requested",
    StageState.SKIPPED: "Skipped",
}


def timeline_key(signoff_id: str) -> str:
    return f"signoff-{slug(signoff_id)}-timeline"


def stages_key(signoff_id: str) -> str:
    return f"signoff-{slug(signoff_id)}-stages"


def stage_state(stage: StageStatus) -> str:
    label = STAGE_STATES[stage.state]
    return f"{label} (stalled)" if stage.state is StageState.OPEN and stage.stalled else label


def timeline_markdown(status: SignOffStatus) -> str:
    """The stage timeline and the key dates, as markdown."""
    lines = [
        f"# {status.title}",
        "",
        f"{status.route_name} · {status.organisation} · lead {status.lead}",
        "",
        f"**{SIGNOFF_STATES[status.state]}**" + (f" · RAG {status.rag}" if status.rag else ""),
        "",
        "## Key dates",
        "",
        f"- Started: {human_time(status.created_at)}",
        f"- Target: {human_date(status.target) or 'none set'}",
        f"- Forecast: {human_date(status.forecast) or 'none'}",
    ]
    if status.slack_working_days is not None:
        lines.append(f"- Working days to spare: {status.slack_working_days}")
    if status.completed_at is not None:
        lines.append(f"- Ended: {human_time(status.completed_at)}")
    lines += ["", "## Stages", ""]
    lines += [f"{n}. {_stage_line(stage)}" for n, stage in enumerate(status.stages, start=1)]
    return "\n".join(lines) + "\n"


def _stage_line(stage: StageStatus) -> str:
    line = f"**{stage.name}**: {stage_state(stage).lower()}"
    facts = []
    if stage.opened_at is not None:
        facts.append(f"opened {human_time(stage.opened_at)}")
    if stage.completed_at is not None:
        facts.append(f"closed {human_time(stage.completed_at)}")
    if stage.decide_by is not None:
        facts.append(f"planned decision by {human_date(stage.decide_by)}")
    if stage.completed_at is None and stage.forecast_decide is not None:
        facts.append(f"forecast decision {human_date(stage.forecast_decide)}")
    return line + (f" ({'; '.join(facts)})" if facts else "")


def stages_table(status: SignOffStatus) -> list[dict[str, str]]:
    """A row per stage: its planned, forecast and actual dates ('' where there is none)."""
    return [
        {
            "Stage": stage.name,
            "State": stage_state(stage),
            "Start by (planned)": human_date(stage.start_by) or "",
            "Decide by (planned)": human_date(stage.decide_by) or "",
            "Decision (forecast)": human_date(stage.forecast_decide) or "",
            "Opened": human_time(stage.opened_at) or "",
            "Closed": human_time(stage.completed_at) or "",
            "Due": human_date(stage.due) or "",
        }
        for stage in status.stages
    ]
