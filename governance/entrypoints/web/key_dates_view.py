"""What the pages show of key dates: RAG badges in words, slack in words, and each stage's planned
dates beside its actual ones, flagged when it is stalled or forecast to be decided after its decide-by.

The flags are the domain's rules (``stage_risk``), asked on dates.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from governance.domain.planning import Plan
from governance.domain.route import StageKind
from governance.domain.signoff import StageState
from governance.domain.stage_risk import at_risk, late
from governance.services.key_dates import key_dates_of
from governance.services.ports import UnitsOfWork

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


def stage_views(status: dict[str, Any], plan: Plan | None) -> list[dict[str, Any]]:
    """The status JSON's stages with a meeting stage's ``meeting`` and ``paper_deadline`` from the
    plan, and ``at_risk`` (forecast after its decide-by) and ``late`` (decided after it)."""
    meetings = {s.id: s for s in plan.stages if s.kind is StageKind.MEETING} if plan else {}
    running = status["state"] == "in_progress"
    views = []
    for stage in status["stages"]:
        planned = meetings.get(stage["id"])
        views.append(
            {
                **stage,
                "meeting": planned.meeting if planned else None,
                "paper_deadline": planned.paper_deadline if planned else None,
                "at_risk": is_at_risk(stage, running=running),
                "late": is_late(stage),
            }
        )
    return views


def is_at_risk(stage: dict[str, Any], *, running: bool = True) -> bool:
    """Undecided and forecast to be decided after its decide-by (or never): the domain's rule."""
    return at_risk(
        StageState(stage["state"]),
        decide_by=_day(stage["decide_by"]),
        forecast=_day(stage["forecast_decide"]),
        running=running,
    )


def is_late(stage: dict[str, Any]) -> bool:
    """Decided, but after its planned decide-by date: the domain's rule."""
    return late(
        StageState(stage["state"]), decide_by=_day(stage["decide_by"]), decided=_day(stage["forecast_decide"])
    )


def _day(iso: str | None) -> date | None:
    return date.fromisoformat(iso) if iso else None


def needing_attention(stages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The stages a lead must look at first, in route order: stalled ones and those at risk."""
    return [stage for stage in stages if stage.get("stalled") or stage["at_risk"]]


def live_rags(uows: UnitsOfWork, rows: list[dict[str, Any]], *, today: date) -> dict[str, str | None]:
    """Each listed sign-off's RAG as of ``today`` (as its timeline shows it), by id.

    The stored RAG is refreshed only in sending hours, so it can lag the timeline for a morning.
    """
    rags: dict[str, str | None] = {}
    with uows.read() as uow:
        for row in rows:
            if row["target"] is None:
                rags[row["id"]] = None
                continue
            rags[row["id"]] = key_dates_of(uow.signoffs.get(row["id"]), today=today).rag
    return rags
