"""withdrawn: withdrawn people hold no role."""

from __future__ import annotations

from typing import TYPE_CHECKING

from scheduler.domain import Applicant, Role, Session
from scheduler.solve.rules.base import Guards, Instance, Rule
from scheduler.solve.rules.common import forbidden_words, hold_forbidden
from scheduler.solve.rules.registry import register

if TYPE_CHECKING:
    from scheduler.solve.variables import Variables


@register
class Withdrawn(Rule):
    """A withdrawn person's wishes get no variable; an explanation holds them at 0 behind this rule's guard."""

    name = "withdrawn"

    def forbids(self, v: Variables, applicant: Applicant, session: Session, role: Role) -> str | None:
        return "withdrawn" if applicant.withdrawn else None

    def constrain(self, v: Variables, guards: Guards) -> None:
        hold_forbidden(self, v, guards)

    def words(self, v: Variables, instance: Instance) -> tuple[str, str]:
        return forbidden_words(self, v, instance)

    def refusal(self, v: Variables, applicant: Applicant, session: Session, role: Role) -> tuple[str, str]:
        return (
            f"{applicant.id} {applicant.name} has withdrawn",
            f"ask {applicant.id} {applicant.name} whether they take part after all (mark them active again)",
        )
