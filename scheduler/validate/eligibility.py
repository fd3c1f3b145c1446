"""`eligibility`: the person's category is one the session admits, and a member-State or observer speaker meets
the session's `min_level` of representation."""

from __future__ import annotations

from scheduler.domain import LEVELS, Event, Plan, Role
from scheduler.validate.registry import Violation, hard


@hard("eligibility")
def check(event: Event, plan: Plan) -> list[Violation]:
    """Every role held by someone the session does not admit in it."""
    out = []
    for a in plan.assignments:
        applicant = event.applicant_by_id.get(a.participant)
        session = event.session_by_id.get(a.session)
        if applicant is None or session is None:
            continue
        if applicant.category not in session.eligible:
            out.append(
                Violation("eligibility", f"{a.participant} ({applicant.category}) may not be in {a.session}")
            )
        elif (
            a.role is Role.SPEAKER
            and session.min_level
            and applicant.is_delegate
            # LEVELS runs from the highest rank down: a larger index is a lower rank.
            and LEVELS.index(applicant.level) > LEVELS.index(session.min_level)
        ):
            out.append(
                Violation(
                    "eligibility",
                    f"{a.participant} ({applicant.level}) is below {session.min_level} for {a.session}",
                )
            )
    return out
