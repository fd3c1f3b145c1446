"""`interest_rank`: each rank below a person's first choice that their role has (a second choice is 1 unit)."""

from __future__ import annotations

from scheduler.domain import Event, Plan
from scheduler.validate.registry import Penalty, soft


@soft("interest_rank")
def count(event: Event, plan: Plan, previous: Plan | None) -> list[Penalty]:
    """One item per role that was not its holder's first choice."""
    items = []
    for a in plan.assignments:
        rank = event.applicant_by_id[a.participant].interest_rank(a.session, a.role)
        if rank and rank > 1:
            items.append(
                Penalty(
                    "interest_rank", rank - 1, f"{a.participant} got choice {rank} ({a.session} {a.role})"
                )
            )
    return items
