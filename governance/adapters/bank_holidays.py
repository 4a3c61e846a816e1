"""England's bank holidays and a route's working days (the edge: uses the ``holidays`` package)."""

from __future__ import annotations

from datetime import date
from functools import lru_cache

import holidays

from governance.domain.route import Route
from governance.domain.workdays import WorkingDays


@lru_cache(maxsize=32)
def bank_holidays(first_year: int, last_year: int) -> frozenset[date]:
    """Bank holidays in England from ``first_year`` to ``last_year``, both inclusive."""
    years = range(first_year, last_year + 1)
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=years))


def working_days_for(route: Route, *, around: date, years_each_side: int = 3) -> WorkingDays:
    """Working days for a route: no weekends, England's bank holidays, the route's closures."""
    first, last = around.year - years_each_side, around.year + years_each_side
    return WorkingDays.of(bank_holidays(first, last), route.closures)
