"""`inscription_deadline`: nobody registered after `inscription_closes` holds a role they were not fixed in."""

from __future__ import annotations

from scheduler.domain import Event, Plan
from scheduler.validate.registry import Violation, hard


@hard("inscription_deadline")
def check(event: Event, plan: Plan) -> list[Violation]:
    """Every role granted to a wish registered after the inscription closed (fixed assignments excepted)."""
    closes = event.inscription_closes
    out = []
    for a in plan.assignments:
        person = event.applicant_by_id.get(a.participant)
        if closes is None or person is None or person.registered_at is None:
            continue
        if person.registered_at > closes and (a.session, a.role) not in person.fixed:
            out.append(Violation(
                "inscription_deadline",
                f"{a.participant} registered {person.registered_at:%Y-%m-%d %H:%M}, after the inscription closed, "
                f"but holds {a.session} {a.role}",
            ))  # fmt: skip
    return out
