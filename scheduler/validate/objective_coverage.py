"""`objective_coverage`: every objective of a session is declared by at least one of its speakers."""

from __future__ import annotations

from scheduler.domain import Event, Plan, Role
from scheduler.validate.registry import Violation, hard


@hard("objective_coverage")
def check(event: Event, plan: Plan) -> list[Violation]:
    """Every (session, objective) that no assigned speaker declared."""
    out = []
    people = event.applicant_by_id
    for session in event.sessions:
        speakers = [people[p] for p in plan.assigned(session.id, Role.SPEAKER) if p in people]
        for objective in session.objectives:
            if not any(objective in s.objectives for s in speakers):
                out.append(
                    Violation(
                        "objective_coverage", f"{session.id}: no speaker addresses objective {objective}"
                    )
                )
    return out
