"""`stability`: when re-planning, each published assignment not kept and each published session moved."""

from __future__ import annotations

from scheduler.domain import Event, Plan
from scheduler.validate.registry import Penalty, soft


@soft("stability")
def count(event: Event, plan: Plan, previous: Plan | None) -> list[Penalty]:
    """One item per change versus the published `previous` plan (none without it)."""
    if previous is None:
        return []
    items = []
    now = {(a.participant, a.session, a.role) for a in plan.assignments}
    for a in previous.assignments:
        if (a.participant, a.session, a.role) not in now:
            items.append(Penalty("stability", 1, f"{a.participant} no longer {a.role} of {a.session}"))
    starts = {p.session: p.start for p in plan.placements}
    for was in previous.placements:
        if was.session in starts and starts[was.session] != was.start:
            items.append(Penalty("stability", 1, f"{was.session} moved"))
    return items
