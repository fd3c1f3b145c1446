"""interpretation: everyone with a role speaks one of the languages interpreted in the session."""

from __future__ import annotations

from typing import TYPE_CHECKING

from scheduler.domain import Applicant, Event, Role, Session
from scheduler.solve.rules.base import Guards, Instance, Rule, Wish
from scheduler.solve.rules.common import forbidden_words, hold_forbidden
from scheduler.solve.rules.registry import register

if TYPE_CHECKING:
    from scheduler.solve.variables import Variables


def interpreted(event: Event, session: Session) -> str:
    """`RT2 is interpreted in en and ru`."""
    codes = event.session_languages(session)
    listed = " and ".join(codes) if len(codes) < 3 else ", ".join(codes[:-1]) + f" and {codes[-1]}"
    return f"{session.id} is interpreted in {listed}"


def interpretation_problem(event: Event, applicant: Applicant, session: Session) -> str | None:
    """Why the applicant cannot be heard in the session (no language of theirs is interpreted), or None."""
    if event.language_in(applicant, session):
        return None
    return f"{interpreted(event, session)}; {applicant.id} speaks only {', '.join(event.speaks(applicant))}"


@register
class Interpretation(Rule):
    """A wish of someone who speaks none of the session's interpreted languages gets no variable; an explanation
    holds it at 0 behind this rule's guard."""

    name = "interpretation"

    def forbids(self, v: Variables, applicant: Applicant, session: Session, role: Role) -> str | None:
        return interpretation_problem(v.event, applicant, session)

    def constrain(self, v: Variables, guards: Guards) -> None:
        hold_forbidden(self, v, guards)

    def words(self, v: Variables, instance: Instance) -> tuple[str, str]:
        return forbidden_words(self, v, instance)

    def refusal(self, v: Variables, applicant: Applicant, session: Session, role: Role) -> tuple[str, str]:
        speaks = v.event.speaks(applicant)
        return (
            f"{interpreted(v.event, session)}; {applicant.id} {applicant.name} speaks only {', '.join(speaks)}",
            f"interpret {session.id} in {speaks[0]} too (its languages), or ask {applicant.id} for another language",
        )

    def barred(self, wish: Wish) -> str | None:
        exclusion = wish.variables.excluded.get((wish.applicant.id, wish.session.id, wish.role))
        return exclusion.detail if exclusion is not None and exclusion.rule == self.name else None
