"""`early_placement`: each possible start earlier than the one a placed session takes (fixed sessions cost
nothing)."""

from __future__ import annotations

from scheduler.domain import Event, Plan
from scheduler.validate.clock import possible_starts
from scheduler.validate.registry import Penalty, soft


@soft("early_placement")
def count(event: Event, plan: Plan, previous: Plan | None) -> list[Penalty]:
    """One item per session placed after the first of its possible starts."""
    items = []
    when = {p.session: p.start for p in plan.placements}
    for session in event.sessions:
        if session.is_fixed or session.id not in when:
            continue
        starts = possible_starts(event, session)
        if when[session.id] not in starts:
            continue  # a start off the grid has no rank among the possible ones
        earlier = starts.index(when[session.id])
        if earlier:
            items.append(
                Penalty(
                    "early_placement", earlier, f"{session.id}: {earlier} earlier possible start(s) not taken"
                )
            )
    return items
