"""A concrete reason for every active applicant left without a role, wish by wish, from the rules: first a rule
that keeps the person out of the wish whatever the others hold (`Rule.barred`), then one whose places are all
taken (`Rule.full`), then the soft rules that adding them would make worse (`Rule.cost`)."""

from __future__ import annotations

from collections import Counter, defaultdict

from scheduler.domain import Applicant, Assignment, Event, Placement, Role, Unassigned
from scheduler.solve.rules import RULES, Wish
from scheduler.solve.variables import Variables


def unassigned_reasons(
    event: Event, variables: Variables, placements: list[Placement], assignments: list[Assignment]
) -> list[Unassigned]:
    held = {a.participant for a in assignments}
    when = {p.session: p for p in placements}
    counts = Counter((a.session, a.role) for a in assignments)
    # Each wish's rules look at its own session only: handing them the whole plan made the reasons of thousands
    # of people on the waiting list go through every assignment each.
    by_session: dict[str, list[Assignment]] = defaultdict(list)
    for assignment in assignments:
        by_session[assignment.session].append(assignment)
    result = []
    known: dict[tuple[Applicant | None, str, Role], str] = {}
    for applicant in event.applicants:
        if applicant.withdrawn or applicant.id in held:
            continue
        if not applicant.wishes_a_role:
            result.append(Unassigned(applicant.id, "expressed no interest in a session role"))
            continue
        reasons = []
        signature = variables.signatures.get(applicant.id)
        for interest in applicant.interests:
            session = event.session_by_id[interest.session]
            # The words of a wish no rule forbids depend only on what the rules read of the person (their class)
            # and on the plan: people of one class share them. A forbidden wish's words may name the person.
            key = (signature, session.id, interest.role)
            shared = signature is not None and (applicant.id, *key[1:]) not in variables.excluded
            text = known.get(key) if shared else None
            if text is None:
                wish = Wish(event, variables, applicant, session, interest.role, when[session.id],
                            counts[session.id, interest.role], by_session[session.id])  # fmt: skip
                text = _reason(wish)
                if shared:
                    known[key] = text
            reasons.append(f"{session.id} {interest.role}: {text}")
        result.append(Unassigned(applicant.id, "; ".join(reasons)))
    return result


def _reason(wish: Wish) -> str:
    for rule in RULES:
        if barred := rule.barred(wish):
            return barred
    for rule in RULES:
        if full := rule.full(wish):
            return full
    costs = [cost for rule in RULES if (cost := rule.cost(wish))]
    if costs:
        return "adding them would cost more than leaving them out (" + ", ".join(costs) + ")"
    return "not chosen: the other rules were better served without them"
