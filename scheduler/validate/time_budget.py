"""`time_budget`: opening, interventions, discussion, report and closing fit in the session, and its running
order stays inside it."""

from __future__ import annotations

from scheduler.domain import Event, Plan, Role
from scheduler.validate.registry import Violation, hard


@hard("time_budget")
def check(event: Event, plan: Plan) -> list[Violation]:
    """Every session whose segments need more minutes than it has, or whose running order overruns it."""
    out = []
    when = {p.session: p for p in plan.placements}
    for session in event.sessions:
        if session.segments is not None:
            segments = session.segments
            speakers = [event.applicant_by_id[p] for p in plan.assigned(session.id, Role.SPEAKER)
                        if p in event.applicant_by_id]  # fmt: skip
            # A statement on behalf of a group takes the group_statement minutes (default: an intervention's).
            group = segments.intervention if segments.group_statement is None else segments.group_statement
            used = segments.fixed_minutes() + sum(group if p.on_behalf_of else segments.intervention for p in speakers)
            if used > session.minutes:
                out.append(
                    Violation("time_budget", f"{session.id} needs {used} minutes, has {session.minutes}")
                )
        items = [i for i in plan.running_order if i.session == session.id]
        place = when.get(session.id)
        if place is not None and items and (items[0].start < place.start or items[-1].end > place.end):
            out.append(Violation("time_budget", f"{session.id}'s running order overruns the session"))
    return out
