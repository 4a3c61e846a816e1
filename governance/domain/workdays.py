"""Working days: Monday to Friday, not a bank holiday, not a closure day.

The holiday set is passed in, so the core never looks anything up itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

ONE_DAY = timedelta(days=1)
SATURDAY = 5


@dataclass(frozen=True)
class WorkingDays:
    """A calendar of non-working dates on top of weekends."""

    non_working: frozenset[date]

    @classmethod
    def of(cls, *date_sets: Iterable[date]) -> WorkingDays:
        """Working days excluding every date in the given sets (bank holidays, closures)."""
        return cls(frozenset(d for dates in date_sets for d in dates))

    def is_working_day(self, day: date) -> bool:
        """True on a weekday that is neither a holiday nor a closure."""
        return day.weekday() < SATURDAY and day not in self.non_working

    def after(self, day: date, count: int) -> date:
        """The count-th working day after ``day`` (``day`` itself not counted); ``day`` when 0."""
        return self._step(day, count, ONE_DAY)

    def before(self, day: date, count: int) -> date:
        """The count-th working day before ``day`` (``day`` itself not counted); ``day`` when 0."""
        return self._step(day, count, -ONE_DAY)

    def _step(self, day: date, count: int, direction: timedelta) -> date:
        if count < 0:
            msg = f"a count of working days cannot be negative, got {count}"
            raise ValueError(msg)
        while count:
            day += direction
            if self.is_working_day(day):
                count -= 1
        return day

    def on_or_after(self, day: date) -> date:
        """``day`` when it is a working day, else the next one."""
        while not self.is_working_day(day):
            day += ONE_DAY
        return day

    def between(self, start: date, end: date) -> int:
        """Working days d with start < d <= end (negative count when end is before start)."""
        if end < start:
            return -self.between(end, start)
        count = 0
        day = start
        while day < end:
            day += ONE_DAY
            count += self.is_working_day(day)
        return count
