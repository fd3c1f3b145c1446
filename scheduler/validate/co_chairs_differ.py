"""`co_chairs_differ`: the co-chairs of a session all differ in its `co_chairs_differ_in` column."""

from __future__ import annotations

from collections import defaultdict

from scheduler.domain import Event, Plan, Role
from scheduler.validate.registry import Violation, hard


@hard("co_chairs_differ")
def check(event: Event, plan: Plan) -> list[Violation]:
    """Every value of the column shared by two or more co-chairs of a session."""
    out = []
    for session in event.sessions:
        column = session.co_chairs_differ_in
        if not column:
            continue
        by_value: dict[str, list[str]] = defaultdict(list)
        for participant in plan.assigned(session.id, Role.CO_CHAIR):
            person = event.applicant_by_id.get(participant)
            if person is not None:
                by_value[str(getattr(person, column))].append(participant)
        for value, people in sorted(by_value.items()):
            if len(people) > 1:
                out.append(Violation(
                    "co_chairs_differ",
                    f"co-chairs {', '.join(sorted(people))} of {session.id} share {column} {value or 'blank'}",
                ))  # fmt: skip
    return out
