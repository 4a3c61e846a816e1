"""Who an open stage is waiting for: the route's reviewers, or whoever now holds a review handed on.

A seat handed on (to a deputy, by an officer's reassignment, or during an absence) is awaited from
its holder, who has the link that decides; the route's reviewer is kept as the seat it fills.
"""

from __future__ import annotations

from dataclasses import dataclass

from governance.domain.signoff import SignOff


@dataclass(frozen=True)
class HandedOver:
    """An outstanding review held by someone other than the reviewer the route names."""

    reviewer: str  # the seat: the route's reviewer whose review it is
    holder: str  # who is awaited for it now
    how: str  # delegated, reassigned or away


@dataclass(frozen=True)
class Awaited:
    """The people an open stage is waiting for, once each in route order, and the seats handed on."""

    people: tuple[str, ...] = ()
    handed_over: tuple[HandedOver, ...] = ()


def awaited(signoff: SignOff, stage_id: str) -> Awaited:
    """Who holds each outstanding review of the stage now (nobody when it is not open)."""
    seats = signoff.outstanding(stage_id)
    in_force = signoff.stages[stage_id].in_force()
    handed = tuple(
        HandedOver(seat, in_force[seat].deputy, in_force[seat].how.value)
        for seat in seats
        if seat in in_force
    )
    holders = {h.reviewer: h.holder for h in handed}
    return Awaited(tuple(dict.fromkeys(holders.get(seat, seat) for seat in seats)), handed)
