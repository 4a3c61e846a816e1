"""One sentence for an email on what waiting does to the sign-off's target date."""

from __future__ import annotations

from datetime import date

from governance.domain.london_time import human_date
from governance.domain.signoff import SignOff


def forecast_effect(signoff: SignOff, *, today: date) -> str | None:
    """'At this pace the sign-off is forecast for ..., N working days after the ... target.'"""
    from governance.services.key_dates import key_dates_of

    dates = key_dates_of(signoff, today=today)
    if dates.target is None or dates.forecast is None or dates.slack_working_days is None:
        return None
    target, forecast, slack = human_date(dates.target), human_date(dates.forecast), dates.slack_working_days
    if slack < 0:
        late = _days(-slack)
        return f"At this pace the sign-off is forecast for {forecast}, {late} after the {target} target."
    return (
        f"The sign-off is forecast for {forecast}, {_days(slack)} before the {target} target; "
        "every day this stage waits uses some of that up."
    )


def _days(count: int) -> str:
    return f"{count} working day" + ("" if count == 1 else "s")
