"""eligibility: the person's category (and level, where a session asks for one) is allowed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from scheduler.domain import LEVELS, Applicant, Role, Session
from scheduler.solve.rules.base import Guards, Instance, Rule, Wish
from scheduler.solve.rules.common import forbidden_words, hold_forbidden
from scheduler.solve.rules.registry import register

if TYPE_CHECKING:
    from scheduler.solve.variables import Variables


def eligibility_problem(applicant: Applicant, session: Session, role: Role) -> str | None:
    """Why the applicant may not take the role in the session, or None when they may."""
    if applicant.category not in session.eligible:
        allowed = ", ".join(c.value for c in session.eligible)
        return f"category {applicant.category} is not eligible for {session.id} (only {allowed})"
    if (
        role is Role.SPEAKER
        and session.min_level is not None
        and applicant.is_delegate
        and applicant.level_rank > LEVELS.index(session.min_level)
    ):
        return f"level {applicant.level} is below the {session.min_level} level {session.id} asks of speakers"
    return None


@register
class Eligibility(Rule):
    """A wish the session's `eligible` categories (or its `min_level` for State speakers) exclude gets no
    variable; an explanation holds it at 0 behind this rule's guard."""

    name = "eligibility"

    def forbids(self, v: Variables, applicant: Applicant, session: Session, role: Role) -> str | None:
        return eligibility_problem(applicant, session, role)

    def constrain(self, v: Variables, guards: Guards) -> None:
        hold_forbidden(self, v, guards)

    def words(self, v: Variables, instance: Instance) -> tuple[str, str]:
        return forbidden_words(self, v, instance)

    def refusal(self, v: Variables, applicant: Applicant, session: Session, role: Role) -> tuple[str, str]:
        problem = eligibility_problem(applicant, session, role) or ""
        if applicant.category not in session.eligible:
            fix = f"allow {applicant.category} in the eligible of {session.id}"
        else:
            fix = f"lower the min_level of {session.id} to {applicant.level}"
        return f"{applicant.id} {applicant.name}: {problem}", fix

    def barred(self, wish: Wish) -> str | None:
        exclusion = wish.variables.excluded.get((wish.applicant.id, wish.session.id, wish.role))
        return exclusion.detail if exclusion is not None and exclusion.rule == self.name else None
