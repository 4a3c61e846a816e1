"""Whether a stage needs the lead's attention: stalled, at risk of missing its decide-by, or late.

- stalled: open, and today is after the due date counted from the day it opened;
- at risk: the sign-off is running, the stage is undecided, and it is forecast to be decided after
  its planned decide-by (or never, when no meeting can take it);
- late: decided (or skipped), but after its planned decide-by.
Every edge (pages, the command line, the API, the emails) asks these, on dates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from governance.domain.reminders import is_stalled
from governance.domain.states import UNDECIDED, StageState


def stalled(state: StageState, *, due: date | None, today: date) -> bool:
    """Still open after the day it was due."""
    return state is StageState.OPEN and is_stalled(due, today)


def misses_decide_by(decide_by: date | None, decided: date | None) -> bool:
    """A (forecast) decision day that misses its decide-by: never decided, or after it."""
    return decided is None or (decide_by is not None and decided > decide_by)


def at_risk(state: StageState, *, decide_by: date | None, forecast: date | None, running: bool) -> bool:
    """Undecided while the sign-off runs, and forecast after its decide-by (or never)."""
    if not running or state not in UNDECIDED or decide_by is None:
        return False
    return misses_decide_by(decide_by, forecast)


def late(state: StageState, *, decide_by: date | None, decided: date | None) -> bool:
    """No longer undecided, and decided after its planned decide-by date."""
    if state in UNDECIDED or decide_by is None or decided is None:
        return False
    return misses_decide_by(decide_by, decided)


@dataclass(frozen=True)
class StageRisk:
    """The three flags together, as a stage's read model carries them."""

    stalled: bool
    at_risk: bool
    late: bool

    @property
    def needs_attention(self) -> bool:
        """What a lead must look at first: a stalled stage or one at risk."""
        return self.stalled or self.at_risk


def stage_risk(
    state: StageState,
    *,
    due: date | None,
    decide_by: date | None,
    forecast_decide: date | None,
    today: date,
    running: bool,
) -> StageRisk:
    """A stage's flags from its state, its due date, its planned decide-by and its forecast (or
    actual) decision day."""
    return StageRisk(
        stalled=stalled(state, due=due, today=today),
        at_risk=at_risk(state, decide_by=decide_by, forecast=forecast_decide, running=running),
        late=late(state, decide_by=decide_by, decided=forecast_decide),
    )
