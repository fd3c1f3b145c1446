"""`one_role`: at most `max_roles_per_person` roles per person, never two in one session or in sessions that
overlap."""

from __future__ import annotations

import itertools
from collections import defaultdict

from scheduler.domain import Event, Plan, Role
from scheduler.validate.registry import Violation, hard


@hard("one_role")
def check(event: Event, plan: Plan) -> list[Violation]:
    """Every person who holds too many roles, two in one session, or roles in overlapping sessions."""
    out = []
    when = {p.session: p for p in plan.placements}
    held: dict[str, list[tuple[str, Role]]] = defaultdict(list)
    for a in plan.assignments:
        if a.participant in event.applicant_by_id and a.session in event.session_by_id:
            held[a.participant].append((a.session, a.role))
    for person, roles in held.items():
        if len(roles) > event.rules.max_roles_per_person:
            out.append(Violation("one_role", f"{person} holds {len(roles)} roles"))
        sessions = sorted({s for s, _ in roles if s in when}, key=lambda s: (when[s].start, s))
        if len(sessions) < len(roles):
            out.append(Violation("one_role", f"{person} holds two roles in one session"))
        for first, second in itertools.pairwise(sessions):
            if when[second].start < when[first].end:
                out.append(Violation("one_role", f"{person} is in {first} and {second}, which overlap"))
    return out
