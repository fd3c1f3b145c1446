"""The greedy baseline: a plan made the way organisers make it by hand.

Sessions at their fixed times; each session the solver would place goes to the first free start (in the order
of the programme, after the sessions it must follow). Then the organisers' fixed assignments, then every first
choice in order of registration, then every second choice, and so on: a wish is granted when the person has no
role yet, the role still has room (speakers up to what the time budget allows), and the person is eligible and
available at the session's time. Nothing looks at objectives, stakeholder voices or balance, and a session may
end up short of speakers or without a moderator: the validator reports what this breaks.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

from benchmarks.common import make_plan
from scheduler.domain import Applicant, Assignment, Event, Placement, Plan, Role, Session, SolverReport
from scheduler.solve.variables import eligibility_problem
from scheduler.timeline import candidate_starts, session_end
from scheduler.validate.clock import is_available


def _placements(event: Event) -> dict[str, Placement]:
    placed: dict[str, Placement] = {}
    for session in event.sessions:
        if session.is_fixed:
            start = candidate_starts(event, session)[0]
            placed[session.id] = Placement(session.id, start, session_end(start, session))
    pending = [s for s in event.sessions if not s.is_fixed]
    while pending:
        # the first session whose predecessors are all placed (a cycle would have been refused on loading)
        ready = next((s for s in pending if all(o in placed for o in s.after)), pending[0])
        pending.remove(ready)
        earliest = max((placed[o].end for o in ready.after if o in placed), default=None)
        chosen = None
        for start in candidate_starts(event, ready):
            end = session_end(start, ready)
            if earliest is not None and start < earliest:
                continue
            if all(end <= p.start or p.end <= start for p in placed.values()):
                chosen = start
                break
        if chosen is None:  # no free start: the first one, overlapping (the validator will say so)
            chosen = candidate_starts(event, ready)[0]
        placed[ready.id] = Placement(ready.id, chosen, session_end(chosen, ready))
    return placed


def _room(session: Session, role: Role) -> int:
    high = session.role_count(role)[1]
    if role is Role.SPEAKER and session.segments is not None:
        fit = (session.minutes - session.segments.fixed_minutes()) // session.segments.intervention
        high = min(high, fit)
    return high


def greedy(event: Event) -> Plan:
    """The hand-made plan of the event (it may break hard rules)."""
    placed = _placements(event)
    taken: Counter[tuple[str, Role]] = Counter()
    held: dict[str, list[tuple[str, Role]]] = defaultdict(list)
    assignments: list[Assignment] = []

    def grant(applicant: Applicant, session_id: str, role: Role) -> None:
        taken[session_id, role] += 1
        held[applicant.id].append((session_id, role))
        assignments.append(Assignment(applicant.id, session_id, role))

    for applicant in event.applicants:
        for session_id, role in applicant.fixed:
            grant(applicant, session_id, role)
    limit = event.rules.max_roles_per_person
    by_registration = sorted(
        (a for a in event.applicants if not a.withdrawn),
        key=lambda a: (a.registered_at or dt.datetime.max, a.id),
    )
    deepest = max((i.rank for a in event.applicants for i in a.interests), default=0)
    for rank in range(1, deepest + 1):
        for applicant in by_registration:
            if len(held[applicant.id]) >= limit:
                continue
            wish = next((i for i in applicant.interests if i.rank == rank), None)
            if wish is None or any(s == wish.session for s, _ in held[applicant.id]):
                continue
            session = event.session_by_id[wish.session]
            place = placed[session.id]
            if (
                taken[session.id, wish.role] < _room(session, wish.role)
                and eligibility_problem(applicant, session, wish.role) is None
                and is_available(event, applicant, place.start, place.end)
            ):
                grant(applicant, session.id, wish.role)
    report = SolverReport("greedy", 0, 0, 0.0)
    return make_plan(event, placed.values(), assignments, report)
