"""inscription_deadline: wishes registered after the list of speakers closed are not granted; `fixed` holds."""

from __future__ import annotations

from typing import TYPE_CHECKING

from scheduler.domain import Applicant, Event, Role, Session
from scheduler.solve.rules.base import Guards, Instance, Rule, Wish
from scheduler.solve.rules.common import forbidden_words, hold_forbidden
from scheduler.solve.rules.registry import register

if TYPE_CHECKING:
    from scheduler.solve.variables import Variables


def late(event: Event, applicant: Applicant, session: Session, role: Role) -> str | None:
    """Why the wish came too late (registered after `inscription_closes`, and not fixed), or None."""
    closes, registered = event.inscription_closes, applicant.registered_at
    if closes is None or registered is None or registered <= closes or (session.id, role) in applicant.fixed:
        return None
    return (
        f"registered {registered:%Y-%m-%d %H:%M}, after the inscription closed "
        f"({closes:%Y-%m-%d %H:%M})"
    )


@register
class InscriptionDeadline(Rule):
    """A wish registered after `inscription_closes` gets no variable, unless the organisers fixed it; an
    explanation holds it at 0 behind this rule's guard."""

    name = "inscription_deadline"

    def forbids(self, v: Variables, applicant: Applicant, session: Session, role: Role) -> str | None:
        return late(v.event, applicant, session, role)

    def constrain(self, v: Variables, guards: Guards) -> None:
        hold_forbidden(self, v, guards)

    def words(self, v: Variables, instance: Instance) -> tuple[str, str]:
        return forbidden_words(self, v, instance)

    def refusal(self, v: Variables, applicant: Applicant, session: Session, role: Role) -> tuple[str, str]:
        return (
            f"{applicant.id} {applicant.name} {late(v.event, applicant, session, role) or ''}",
            f"fix {applicant.id} as {role} of {session.id}, or move inscription_closes",
        )

    def barred(self, wish: Wish) -> str | None:
        exclusion = wish.variables.excluded.get((wish.applicant.id, wish.session.id, wish.role))
        return exclusion.detail if exclusion is not None and exclusion.rule == self.name else None
