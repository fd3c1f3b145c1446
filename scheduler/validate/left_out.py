"""The costs of leaving an active applicant with wishes without a role:

- `unassigned`: 1 unit for each;
- `written_submission`: 1 unit more for a member-State delegate who sent a written submission;
- `level_of_representation`: 1 unit more for each protocol step above `LEVEL_BASE` of a member-State or observer
  delegate.
"""

from __future__ import annotations

from scheduler.domain import LEVELS, Applicant, Category, Event, Plan
from scheduler.rulebook import LEVEL_BASE
from scheduler.validate.registry import Penalty, soft


def _left_out(event: Event, plan: Plan) -> list[Applicant]:
    """Active applicants who asked for something (or have a fixed assignment) and hold no role."""
    held = {a.participant for a in plan.assignments}
    return [p for p in event.applicants if not p.withdrawn and (p.interests or p.fixed) and p.id not in held]


@soft("unassigned")
def unassigned(event: Event, plan: Plan, previous: Plan | None) -> list[Penalty]:
    """One item per applicant left out."""
    return [Penalty("unassigned", 1, f"{p.id} has no role") for p in _left_out(event, plan)]


@soft("written_submission")
def written_submission(event: Event, plan: Plan, previous: Plan | None) -> list[Penalty]:
    """One item per member-State delegate left out who sent a written submission."""
    return [
        Penalty("written_submission", 1, f"{p.id} ({p.country}) sent a submission and has no role")
        for p in _left_out(event, plan)
        if p.category is Category.MEMBER_STATE and p.submission_date is not None
    ]


@soft("level_of_representation")
def level_of_representation(event: Event, plan: Plan, previous: Plan | None) -> list[Penalty]:
    """One item per member-State or observer delegate left out who ranks above `LEVEL_BASE`."""
    base = LEVELS.index(LEVEL_BASE)
    return [
        Penalty(
            "level_of_representation",
            base - LEVELS.index(p.level),
            f"{p.id} ({p.level}, {p.country or p.organisation}) has no role",
        )
        for p in _left_out(event, plan)
        if p.is_delegate and LEVELS.index(p.level) < base
    ]
