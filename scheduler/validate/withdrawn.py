"""`withdrawn`: a person who withdrew holds no role."""

from __future__ import annotations

from scheduler.domain import Event, Plan
from scheduler.validate.registry import Violation, hard


@hard("withdrawn")
def check(event: Event, plan: Plan) -> list[Violation]:
    """Every role held by a withdrawn person."""
    out = []
    for a in plan.assignments:
        applicant = event.applicant_by_id.get(a.participant)
        if applicant is not None and applicant.withdrawn and a.session in event.session_by_id:
            out.append(Violation("withdrawn", f"{a.participant} is withdrawn but holds {a.session} {a.role}"))
    return out
