"""A concrete reason for every active applicant left without a role, wish by wish."""

from __future__ import annotations

from collections import Counter

from scheduler.domain import Applicant, Assignment, Category, Event, Placement, Role, Unassigned
from scheduler.solve.variables import Variables
from scheduler.timeline import event_span, is_available, local_span


def unassigned_reasons(
    event: Event, variables: Variables, placements: list[Placement], assignments: list[Assignment]
) -> list[Unassigned]:
    held = {a.participant for a in assignments}
    when = {p.session: p for p in placements}
    counts = Counter((a.session, a.role) for a in assignments)
    result = []
    for applicant in event.applicants:
        if applicant.withdrawn or applicant.id in held:
            continue
        if not applicant.interests:
            result.append(Unassigned(applicant.id, "expressed no interest in a session role"))
            continue
        reasons = [
            f"{i.session} {i.role}: {_wish_reason(event, variables, applicant, i.session, i.role, when, counts, assignments)}"
            for i in applicant.interests
        ]
        result.append(Unassigned(applicant.id, "; ".join(reasons)))
    return result


def _wish_reason(
    event: Event,
    variables: Variables,
    applicant: Applicant,
    session_id: str,
    role: Role,
    when: dict[str, Placement],
    counts: Counter[tuple[str, Role]],
    assignments: list[Assignment],
) -> str:
    session = event.session_by_id[session_id]
    placement = when[session_id]
    exclusion = variables.excluded.get((applicant.id, session_id, role))
    if exclusion is not None and exclusion.rule != "availability":
        return exclusion.detail
    if not is_available(event, applicant, placement.start, placement.end):
        return (
            f"not available at {event_span(event, placement.start, placement.end)} "
            f"({local_span(event, applicant, placement.start, placement.end)})"
        )
    taken, high = counts[session_id, role], session.role_count(role)[1]
    if taken >= high:
        if high == 1:
            return f"the {role} place taken by an applicant who ranked it higher or balances the panel better"
        return (
            f"all {high} {role} places taken by applicants who ranked it higher or balance the panel better"
        )
    if role is Role.SPEAKER and session.segments is not None:
        fit = (session.minutes - session.segments.fixed_minutes()) // session.segments.intervention
        if taken >= fit:
            return f"the time budget of {session.minutes} minutes leaves room for {fit} speakers"
    costs = _marginal_costs(event, applicant, session_id, role, assignments)
    if costs:
        return "adding them would cost more than leaving them out (" + ", ".join(costs) + ")"
    return "not chosen: the other rules were better served without them"


def _marginal_costs(
    event: Event, applicant: Applicant, session_id: str, role: Role, assignments: list[Assignment]
) -> list[str]:
    """The soft rules that would get worse if the applicant joined the panel."""
    people = event.applicant_by_id
    panel = [
        people[a.participant]
        for a in assignments
        if a.session == session_id and a.role is not Role.RAPPORTEUR
    ]
    speakers = [
        people[a.participant] for a in assignments if a.session == session_id and a.role is Role.SPEAKER
    ]
    names = []
    rank = applicant.interest_rank(session_id, role) or 1
    if rank > 1:
        names.append(f"interest_rank: their choice {rank}")
    if applicant.gender in ("f", "m"):
        same = sum(p.gender == applicant.gender for p in panel)
        other = sum(p.gender == ("m" if applicant.gender == "f" else "f") for p in panel)
        if same - other >= 1:
            names.append("gender_balance")
    if role is Role.SPEAKER:
        if applicant.subregion and sum(p.subregion == applicant.subregion for p in speakers) >= (
            event.rules.max_same_subregion
        ):
            names.append(f"subregion_spread: {applicant.subregion}")
        if (
            applicant.category is Category.STAKEHOLDER
            and sum(
                p.category is Category.STAKEHOLDER and p.stakeholder_group == applicant.stakeholder_group
                for p in speakers
            )
            >= event.rules.max_same_stakeholder_group
        ):
            names.append(f"stakeholder_group_spread: {applicant.stakeholder_group}")
    return names
