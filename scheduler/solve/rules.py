"""One function per rule. Hard rules add constraints (each instance behind a named guard when explaining);
soft rules return their weighted terms. The names are those of `scheduler.rulebook`."""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from scheduler.domain import LEVELS, Applicant, Category, Role
from scheduler.rulebook import BY_NAME, LEVEL_BASE
from scheduler.solve.variables import Variables


@dataclass(frozen=True)
class Instance:
    """One named instance of a hard rule, e.g. objective_coverage for (RT2, 13)."""

    rule: str
    key: str
    session: str = ""
    participant: str = ""
    role: str = ""
    objective: int = 0


@dataclass
class Guards:
    """Guard literals of hard-rule instances; disabled (no literals) for the optimising solve."""

    model: cp_model.CpModel
    enabled: bool
    literals: dict[int, tuple[cp_model.IntVar, Instance]] = field(default_factory=dict)  # by variable index

    def enforce(self, constraint: cp_model.Constraint, instance: Instance) -> None:
        constraint.with_name(instance.key)
        if self.enabled:
            literal = self.model.new_bool_var(f"guard[{instance.key}]")
            constraint.only_enforce_if(literal)
            self.literals[literal.index] = (literal, instance)


@dataclass(frozen=True)
class Term:
    """A soft rule's weighted contribution to the objective."""

    rule: str
    weight: int
    expr: cp_model.LinearExprT


HardRule = Callable[[Variables, Guards], None]
SoftRule = Callable[[Variables], list[Term]]


def _sum(v: Variables, keys: list[tuple[str, str, Role]]) -> cp_model.LinearExpr:
    return cp_model.LinearExpr.sum([v.x[k] for k in keys])


# --- hard rules ----------------------------------------------------------------------------------------------


def session_roles(v: Variables, guards: Guards) -> None:
    for session in v.event.sessions:
        for role in Role:
            low, high = session.role_count(role)
            if high == 0:
                continue
            total = _sum(v, v.keys(session.id, role))
            ct = v.model.add_linear_constraint(total, low, high)
            guards.enforce(
                ct, Instance("session_roles", f"session_roles:{session.id}:{role}", session.id, role=role)
            )


def interest_only(v: Variables, guards: Guards) -> None:
    """Wishes outside the interests have no variable; what remains is that fixed assignments hold."""
    for applicant in v.event.applicants:
        for session, role in applicant.fixed:
            key = (applicant.id, session, role)
            instance = Instance(
                "interest_only", f"interest_only:{applicant.id}:{session}:{role}", session, applicant.id, role
            )
            if key in v.x:
                guards.enforce(v.model.add(v.x[key] == 1), instance)
            else:
                guards.enforce(v.model.add_bool_or([]), instance)


def one_role(v: Variables, guards: Guards) -> None:
    limit = v.event.rules.max_roles_per_person
    for person, keys in v.by_person.items():
        if len(keys) > limit:
            ct = v.model.add(_sum(v, keys) <= limit)
            guards.enforce(ct, Instance("one_role", f"one_role:{person}", participant=person))
        by_session: dict[str, list[tuple[str, str, Role]]] = defaultdict(list)
        for key in keys:
            by_session[key[1]].append(key)
        for session, same in by_session.items():
            if len(same) > 1 and limit > 1:
                ct = v.model.add_at_most_one(v.x[k] for k in same)
                guards.enforce(ct, Instance("one_role", f"one_role:{person}:{session}", session, person))


def availability(v: Variables, guards: Guards) -> None:
    """Wishes never available have no variable; the others may only be held when the session is placed in time
    the person is available (sessions with one possible start need nothing more)."""
    del guards  # availability is a fact about people, never relaxed by the planner
    # People available at the same starts share one literal "the session starts at one of these": each wish
    # implies it, and it is defined once over the starts (or their complement, whichever is shorter).
    window: dict[tuple[str, tuple[int, ...]], cp_model.IntVar] = {}
    for key, var in v.x.items():
        person, session, _ = key
        slots = tuple(v.available_slots[person, session])
        placed = v.placed[session]
        if len(slots) == len(placed):
            continue
        literal = window.get((session, slots))
        if literal is None:
            literal = v.model.new_bool_var(f"window[{session},{len(window)}]")
            inside = set(slots)
            outside = [lit for i, lit in enumerate(placed) if i not in inside]
            if len(slots) <= len(outside):
                v.model.add(literal <= sum(placed[i] for i in slots))
            else:
                v.model.add(literal + sum(outside) <= 1)
            window[session, slots] = literal
        v.model.add_implication(var, literal).with_name(f"availability:{person}:{session}")


def objective_coverage(v: Variables, guards: Guards) -> None:
    for session in v.event.sessions:
        speakers = v.keys(session.id, Role.SPEAKER)
        for objective in session.objectives:
            declaring = [k for k in speakers if objective in v.applicant(k).objectives]
            ct = v.model.add_bool_or([v.x[k] for k in declaring])
            guards.enforce(
                ct,
                Instance(
                    "objective_coverage",
                    f"objective_coverage:{session.id}:{objective}",
                    session.id,
                    objective=objective,
                ),
            )


def stakeholder_voice(v: Variables, guards: Guards) -> None:
    for session in v.event.sessions:
        if session.min_stakeholder_speakers == 0:
            continue
        keys = [
            k for k in v.keys(session.id, Role.SPEAKER) if v.applicant(k).category is Category.STAKEHOLDER
        ]
        ct = v.model.add(_sum(v, keys) >= session.min_stakeholder_speakers)
        guards.enforce(ct, Instance("stakeholder_voice", f"stakeholder_voice:{session.id}", session.id))


def time_budget(v: Variables, guards: Guards) -> None:
    for session in v.event.sessions:
        if session.segments is None:
            continue
        fit = (session.minutes - session.segments.fixed_minutes()) // session.segments.intervention
        if fit >= session.speakers[1]:
            continue
        ct = v.model.add(_sum(v, v.keys(session.id, Role.SPEAKER)) <= fit)
        guards.enforce(ct, Instance("time_budget", f"time_budget:{session.id}", session.id))


def placement(v: Variables, guards: Guards) -> None:
    intervals = []
    for session in v.event.sessions:
        v.model.add_exactly_one(v.placed[session.id]).with_name(f"placement:{session.id}")
        intervals.append(
            v.model.new_fixed_size_interval_var(
                v.start_minute[session.id], session.minutes, f"iv[{session.id}]"
            )
        )
    v.model.add_no_overlap(intervals).with_name("placement:no_overlap")
    # The same rule as cliques: at every possible start minute, at most one session is running. Redundant for
    # the search, it gives the LP relaxation the strength of the time-indexed formulation.
    running: dict[int, list[cp_model.IntVar]] = defaultdict(list)
    points = sorted({v.minute(start) for starts in v.starts.values() for start in starts})
    for session in v.event.sessions:
        for start, literal in zip(v.starts[session.id], v.placed[session.id], strict=True):
            begin = v.minute(start)
            first, last = (
                bisect.bisect_left(points, begin),
                bisect.bisect_left(points, begin + session.minutes),
            )
            for point in points[first:last]:
                running[point].append(literal)
    for point, literals in sorted(running.items()):
        if len(literals) > 1:
            v.model.add_at_most_one(literals).with_name(f"placement:no_overlap:{point}")
    minutes = {s.id: s.minutes for s in v.event.sessions}
    for session in v.event.sessions:
        for other in session.after:
            ct = v.model.add(v.start_minute[session.id] >= v.start_minute[other] + minutes[other])
            guards.enforce(ct, Instance("placement", f"placement:{session.id}:after:{other}", session.id))


HARD_RULES: dict[str, HardRule] = {
    "session_roles": session_roles,
    "interest_only": interest_only,
    "one_role": one_role,
    "availability": availability,
    "objective_coverage": objective_coverage,
    "stakeholder_voice": stakeholder_voice,
    "time_budget": time_budget,
    "placement": placement,
}
# eligibility and withdrawn hold by construction: such wishes get no variable (see Variables._exclusion).


# --- soft rules ----------------------------------------------------------------------------------------------


def _weight(v: Variables, rule: str) -> int:
    return BY_NAME[rule].weight_of(v.event.rules)


def interest_rank(v: Variables) -> list[Term]:
    expr = []
    for key, var in v.x.items():
        rank = v.applicant(key).interest_rank(key[1], key[2])
        if rank is not None and rank > 1:
            expr.append((rank - 1) * var)
    return [Term("interest_rank", _weight(v, "interest_rank"), sum(expr))] if expr else []


def left_out(v: Variables, applicant: Applicant) -> cp_model.LinearExprT:
    """1 when the applicant ends with no role, else 0 (a constant 1 when no wish of theirs can come true)."""
    if applicant.id not in v.left_out:
        keys = v.by_person.get(applicant.id, [])
        if not keys:
            v.left_out[applicant.id] = cp_model.LinearExpr.constant(1)
        elif len(keys) == 1:
            v.left_out[applicant.id] = 1 - v.x[keys[0]]
        elif v.event.rules.max_roles_per_person == 1:
            v.left_out[applicant.id] = 1 - _sum(v, keys)  # one_role keeps the sum at most 1
        else:
            assigned = v.model.new_bool_var(f"assigned[{applicant.id}]")
            v.model.add(assigned <= _sum(v, keys))
            v.left_out[applicant.id] = 1 - assigned
    return v.left_out[applicant.id]


def _wishing(v: Variables) -> list[Applicant]:
    """Active applicants with at least one wish: those the waiting list is about."""
    return [a for a in v.event.applicants if not a.withdrawn and (a.interests or a.fixed)]


def unassigned(v: Variables) -> list[Term]:
    """Each active applicant with interests and no role costs the weight; those who cannot get any role count
    as a constant, so that the objective equals the validator's recount."""
    expr = [left_out(v, a) for a in _wishing(v)]
    return [Term("unassigned", _weight(v, "unassigned"), sum(expr))] if expr else []


def written_submission(v: Variables) -> list[Term]:
    """Member States that sent a written submission come first: leaving one of them out costs the weight."""
    expr = [
        left_out(v, a)
        for a in _wishing(v)
        if a.category is Category.MEMBER_STATE and a.submission_date is not None
    ]
    return [Term("written_submission", _weight(v, "written_submission"), sum(expr))] if expr else []


def level_of_representation(v: Variables) -> list[Term]:
    """Higher representation comes first: leaving out a member-State or observer delegate costs each protocol
    step of theirs above official. Never a cost of taking someone, so delegations are not crowded out."""
    base = LEVELS.index(LEVEL_BASE)
    expr = [
        (base - a.level_rank) * left_out(v, a)
        for a in _wishing(v)
        if a.category in (Category.MEMBER_STATE, Category.OBSERVER) and a.level_rank < base
    ]
    return [Term("level_of_representation", _weight(v, "level_of_representation"), sum(expr))] if expr else []


def gender_balance(v: Variables) -> list[Term]:
    terms = []
    for session in v.event.sessions:
        panel = v.keys(session.id, Role.MODERATOR) + v.keys(session.id, Role.SPEAKER)
        women = _sum(v, [k for k in panel if v.applicant(k).gender == "f"])
        men = _sum(v, [k for k in panel if v.applicant(k).gender == "m"])
        size = session.moderators + session.speakers[1]
        excess = v.model.new_int_var(0, size, f"gender_excess[{session.id}]")
        v.model.add(excess >= women - men - 1)
        v.model.add(excess >= men - women - 1)
        terms.append(excess)
    return [Term("gender_balance", _weight(v, "gender_balance"), sum(terms))] if terms else []


def _spread(v: Variables, rule: str, label: Callable[[tuple[str, str, Role]], str], limit: int) -> list[Term]:
    terms = []
    for session in v.event.sessions:
        groups: dict[str, list[tuple[str, str, Role]]] = defaultdict(list)
        for key in v.keys(session.id, Role.SPEAKER):
            if name := label(key):
                groups[name].append(key)
        for name, keys in sorted(groups.items()):
            if len(keys) <= limit:
                continue
            excess = v.model.new_int_var(0, len(keys) - limit, f"{rule}[{session.id},{name}]")
            v.model.add(excess >= _sum(v, keys) - limit)
            terms.append(excess)
    return [Term(rule, _weight(v, rule), sum(terms))] if terms else []


def subregion_spread(v: Variables) -> list[Term]:
    return _spread(
        v, "subregion_spread", lambda k: v.applicant(k).subregion, v.event.rules.max_same_subregion
    )


def stakeholder_group_spread(v: Variables) -> list[Term]:
    def group(key: tuple[str, str, Role]) -> str:
        applicant = v.applicant(key)
        return applicant.stakeholder_group if applicant.category is Category.STAKEHOLDER else ""

    return _spread(v, "stakeholder_group_spread", group, v.event.rules.max_same_stakeholder_group)


def early_placement(v: Variables) -> list[Term]:
    expr = [
        index * lit
        for session in v.event.sessions
        for index, lit in zip(v.start_index[session.id], v.placed[session.id], strict=True)
        if index > 0
    ]
    return [Term("early_placement", _weight(v, "early_placement"), sum(expr))] if expr else []


SOFT_RULES: dict[str, SoftRule] = {
    "interest_rank": interest_rank,
    "unassigned": unassigned,
    "written_submission": written_submission,
    "level_of_representation": level_of_representation,
    "gender_balance": gender_balance,
    "subregion_spread": subregion_spread,
    "stakeholder_group_spread": stakeholder_group_spread,
    "early_placement": early_placement,
}
# stability is added by solve/replan.py when there is a previous plan.
