"""`stakeholder_voice`: at least `min_stakeholder_speakers` of a session's speakers are stakeholders."""

from __future__ import annotations

from scheduler.domain import Category, Event, Plan, Role
from scheduler.validate.registry import Violation, hard


@hard("stakeholder_voice")
def check(event: Event, plan: Plan) -> list[Violation]:
    """Every session with too few stakeholder speakers."""
    out = []
    people = event.applicant_by_id
    for session in event.sessions:
        speakers = [people[p] for p in plan.assigned(session.id, Role.SPEAKER) if p in people]
        voices = sum(s.category is Category.STAKEHOLDER for s in speakers)
        if voices < session.min_stakeholder_speakers:
            out.append(
                Violation(
                    "stakeholder_voice",
                    f"{session.id} has {voices} stakeholder speaker(s), needs {session.min_stakeholder_speakers}",
                )
            )
    return out
