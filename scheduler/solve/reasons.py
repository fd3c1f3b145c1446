"""A concrete reason for every active applicant left without a role, wish by wish, from the rules: first a rule
that keeps the person out of the wish whatever the others hold (`Rule.barred`), then one whose places are all
taken (`Rule.full`), then the soft rules that adding them would make worse (`Rule.cost`)."""

from __future__ import annotations

from collections import Counter, defaultdict

from scheduler.domain import Assignment, Event, Placement, Role, Unassigned
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
    # The words of a wish no rule forbids depend only on what the rules read of the person (their class:
    # `Variables.classes`) and on the plan, so people of one class share them; so do their whole reasons when no
    # wish of theirs is forbidden. A forbidden wish's words may name the person.
    known: dict[tuple[int, str, Role], str] = {}
    whole: dict[int, str] = {}
    for applicant in event.applicants:
        if applicant.withdrawn or applicant.id in held:
            continue
        if not applicant.wishes_a_role:
            result.append(Unassigned(applicant.id, "expressed no interest in a session role"))
            continue
        kind = variables.classes.get(applicant.id)
        forbidden = [(applicant.id, i.session, i.role) in variables.excluded for i in applicant.interests]
        if kind is not None and not any(forbidden) and kind in whole:
            result.append(Unassigned(applicant.id, whole[kind]))
            continue
        reasons = []
        for interest, barred in zip(applicant.interests, forbidden, strict=True):
            session = event.session_by_id[interest.session]
            key = (kind, session.id, interest.role) if kind is not None and not barred else None
            text = known.get(key) if key else None
            if text is None:
                wish = Wish(event, variables, applicant, session, interest.role, when[session.id],
                            counts[session.id, interest.role], by_session[session.id])  # fmt: skip
                text = _reason(wish)
                if key:
                    known[key] = text
            reasons.append(f"{session.id} {interest.role}: {text}")
        result.append(Unassigned(applicant.id, "; ".join(reasons)))
        if kind is not None and not any(forbidden):
            whole[kind] = result[-1].reason
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
