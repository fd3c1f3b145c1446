"""`session_roles`: each session gets exactly its moderators and rapporteurs, and min..max speakers."""

from __future__ import annotations

from scheduler.domain import Event, Plan, Role
from scheduler.validate.registry import Violation, hard


@hard("session_roles")
def check(event: Event, plan: Plan) -> list[Violation]:
    """Every (session, role) whose number of holders is out of its bounds."""
    out = []
    for session in event.sessions:
        for role in Role:
            held = len(plan.assigned(session.id, role))
            low, high = session.role_count(role)
            if not low <= held <= high:
                wanted = f"{low}" if low == high else f"{low}-{high}"
                out.append(Violation("session_roles", f"{session.id} has {held} {role}(s), needs {wanted}"))
    return out
