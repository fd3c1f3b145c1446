"""`availability`: each session a person holds a role in lies inside one of their windows, on their own clock."""

from __future__ import annotations

from scheduler.domain import Event, Plan
from scheduler.timeline import local_span
from scheduler.validate.clock import is_available
from scheduler.validate.registry import Violation, hard


@hard("availability")
def check(event: Event, plan: Plan) -> list[Violation]:
    """Every role whose session is placed outside the holder's windows."""
    out = []
    when = {p.session: p for p in plan.placements}
    for a in plan.assignments:
        applicant = event.applicant_by_id.get(a.participant)
        place = when.get(a.session)
        if applicant is None or place is None or a.session not in event.session_by_id:
            continue
        if not is_available(event, applicant, place.start, place.end):
            span = local_span(event, applicant, place.start, place.end)
            out.append(
                Violation("availability", f"{a.participant} is not available for {a.session} ({span})")
            )
    return out
