"""`interest_only`: a person holds only a (session, role) they asked for, or their fixed assignment; every fixed
assignment holds. An assignment of an unknown person or session is reported here too."""

from __future__ import annotations

from scheduler.domain import Event, Plan
from scheduler.validate.registry import Violation, hard


@hard("interest_only")
def check(event: Event, plan: Plan) -> list[Violation]:
    """Every assignment nobody asked for, and every fixed assignment the plan does not hold."""
    out = []
    held = {(a.participant, a.session, a.role) for a in plan.assignments}
    for a in plan.assignments:
        applicant = event.applicant_by_id.get(a.participant)
        if applicant is None or a.session not in event.session_by_id:
            out.append(Violation("interest_only", f"{a.participant} {a.session}: unknown person or session"))
        elif (
            applicant.interest_rank(a.session, a.role) is None and (a.session, a.role) not in applicant.fixed
        ):
            out.append(Violation("interest_only", f"{a.participant} did not ask for {a.session} {a.role}"))
    for applicant in event.applicants:
        for session, role in applicant.fixed:
            if (applicant.id, session, role) not in held:
                out.append(
                    Violation(
                        "interest_only", f"{applicant.id} is fixed as {session} {role} but not assigned"
                    )
                )
    return out
