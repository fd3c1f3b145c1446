"""`interpretation`: everyone with a role speaks one of the languages interpreted in the session, and each running
order item says the language its participant speaks there."""

from __future__ import annotations

from scheduler.domain import Event, Plan
from scheduler.validate.registry import Violation, hard


def _language(event: Event, participant: str, session_id: str) -> str:
    """The first of the person's languages (blank: the event's first) that the session interprets, or ""."""
    person, session = event.applicant_by_id[participant], event.session_by_id[session_id]
    interpreted = session.languages or event.languages
    return next((code for code in person.languages or event.languages[:1] if code in interpreted), "")


@hard("interpretation")
def check(event: Event, plan: Plan) -> list[Violation]:
    """Every role held by someone who speaks no interpreted language, every item with the wrong language."""
    out = []
    for a in plan.assignments:
        known = a.participant in event.applicant_by_id and a.session in event.session_by_id
        if known and not _language(event, a.participant, a.session):
            out.append(Violation("interpretation", f"{a.participant} speaks no language interpreted in {a.session}"))
    for item in plan.running_order:
        if item.participant is not None and item.participant in event.applicant_by_id and item.session in event.session_by_id:
            wanted = _language(event, item.participant, item.session)
            if item.language != wanted:
                out.append(Violation(
                    "interpretation",
                    f"{item.participant} speaks {wanted or 'no interpreted language'} in {item.session}, "
                    f"not {item.language or 'no language'}",
                ))  # fmt: skip
    return out
