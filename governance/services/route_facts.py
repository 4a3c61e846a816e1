"""What a route picture says about each stage, one sentence per fact: its condition, approval rule,
vetoes, a committee's next meetings and paper deadlines (dates as people read them, Europe/London),
and a one-sentence summary of the route; laid out by ``route_picture``."""

from __future__ import annotations

from datetime import date
from typing import Protocol

from governance.domain.committee_stage import Booking
from governance.domain.london_time import human_date, human_meeting
from governance.domain.route import Route, RuleKind, Stage, StageKind, Step, members_of

MEETINGS_SHOWN = 3
KIND_LABELS = {StageKind.MEETING: "Committee meeting", StageKind.REVIEW: "Review"}


class MeetingSource(Protocol):
    """Where a committee's coming meetings come from (``CommitteeDates``)."""

    def first_from(self, stage: Stage, day: date) -> Booking | None: ...

    def after(self, stage: Stage, meeting: date) -> Booking | None: ...


def meetings_of(
    route: Route, stage: Stage, dates: MeetingSource | None, today: date
) -> tuple[Booking, ...] | None:
    """A committee's next meetings from ``today`` with their paper deadlines; None when not known."""
    if dates is None or stage.kind is not StageKind.MEETING or stage.calendar not in route.calendars:
        return None
    found: list[Booking] = []
    booking = dates.first_from(stage, today)
    while booking is not None:
        found.append(booking)
        booking = dates.after(stage, booking.meeting) if len(found) < MEETINGS_SHOWN else None
    return tuple(found)


def stage_facts(route: Route, stage: Stage, meetings: tuple[Booking, ...] | None) -> tuple[str, ...]:
    """What a stage's box says, one sentence each."""
    facts = [f"Only when tagged {stage.when_tag}"] if stage.when_tag else []
    if stage.kind is StageKind.MEETING:
        facts += committee_facts(route, stage, meetings)
    else:
        facts += [f"Approvals: {rule_words(stage)}", f"Reviewers: {', '.join(stage.reviewers)}"]
    if stage.veto:
        facts.append(f"Veto: {', '.join(stage.veto)}")
    if stage.chairs_action:
        facts.append(f"Chair's action: {', '.join(stage.chairs_action)}")
    facts.append(due_words(stage))
    return tuple(facts)


def committee_facts(route: Route, stage: Stage, meetings: tuple[Booking, ...] | None) -> list[str]:
    calendar = route.calendars.get(stage.calendar) if stage.calendar else None
    if calendar is None:
        return ["No committee calendar"]
    facts = [f"Committee: {calendar.name}", f"Secretary: {', '.join(stage.reviewers)}"]
    if meetings == ():
        facts.append("No meetings in the coming year")
    for booking in meetings or ():
        when = human_meeting(booking.meeting, calendar.time)
        facts.append(f"Meeting {when}, papers due {human_date(booking.paper_deadline)}")
    return facts


def rule_words(stage: Stage) -> str:
    """'all of 3', 'any 1 of 4' or 'quorum 2 of 5'."""
    count = len(stage.reviewers)
    if stage.approvals.kind is RuleKind.ALL:
        return f"all of {count}"
    if stage.approvals.kind is RuleKind.ANY:
        return f"any 1 of {count}"
    return f"quorum {stage.approvals.quorum} of {count}"


def due_words(stage: Stage) -> str:
    days = stage.due_working_days
    span = f"{days} working day{'' if days == 1 else 's'}"
    if stage.kind is StageKind.MEETING:
        return f"Outcome due {span} after the meeting" if days else "Outcome due at the meeting"
    return f"Due {span} after it opens" if days else "No due date"


def summary(route: Route) -> str:
    """One sentence: the stages in order, a parallel group's together."""
    count = len(route.stages)
    steps = "; then ".join(step_words(step) for step in route.steps)
    return f"{route.name} has {count} stage{'' if count == 1 else 's'} in this order: {steps}."


def step_words(step: Step) -> str:
    words = [
        f"{stage.name} ({KIND_LABELS[stage.kind].lower()}"
        + (f", only when tagged {stage.when_tag})" if stage.when_tag else ")")
        for stage in members_of(step)
    ]
    if len(words) == 1:
        return words[0]
    return "together " + ", ".join(words[:-1]) + " and " + words[-1]
