"""Why no plan exists, in plain words: cheap pre-checks first, then a minimal set of conflicting rule instances
from a feasibility-only solve with a guard literal per instance."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from scheduler.domain import Category, Event, Role
from scheduler.solve.model import build, parameters, solve
from scheduler.solve.rules import Guards, Instance, placement
from scheduler.solve.variables import Variables
from scheduler.timeline import candidate_starts, event_span, session_end

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Conflict:
    """Rule instances that cannot all hold together, said in words, with what would make them hold."""

    rules: tuple[str, ...]  # instance keys such as "objective_coverage:RT2:13"
    message: str
    relaxations: tuple[str, ...] = ()

    @property
    def rule_names(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(key.split(":", 1)[0] for key in self.rules))


@dataclass
class Explanation:
    conflicts: list[Conflict] = field(default_factory=list)
    proven: bool = True  # False when the solver ran out of time without proving infeasibility

    def __str__(self) -> str:
        if not self.conflicts:
            return "No plan was found, and no conflict could be named."
        lines = []
        for number, conflict in enumerate(self.conflicts, start=1):
            lines.append(f"{number}. {conflict.message}")
            lines += [f"   - {r}" for r in conflict.relaxations]
        return "\n".join(lines)


def explain(event: Event, time_limit: float = 60.0) -> Explanation:
    """An explanation of why the event has no plan (empty when it has one)."""
    model = cp_model.CpModel()
    variables = Variables.build(model, event)
    conflicts = precheck(event, variables) + placement_check(event, variables)
    if conflicts:
        return Explanation(conflicts)
    return core_explanation(event, time_limit)


# --- pre-checks: conflicts visible without solving ------------------------------------------------------------


def _when(event: Event, session_id: str) -> str:
    """When the session can take place, as the organisers allowed it (the model's starts may be presolved)."""
    session = event.session_by_id[session_id]
    starts = candidate_starts(event, session)
    if len(starts) == 1:
        return f"at {event_span(event, starts[0], session_end(starts[0], session))}"
    return "at any time it can take place"


def _asked(event: Event, variables: Variables, session_id: str, role: Role) -> list[str]:
    """Each applicant who asked for (session, role) but cannot have it, with the reason."""
    lines = []
    for (person, session, wished), exclusion in sorted(variables.excluded.items()):
        if session == session_id and wished is role:
            applicant = event.applicant_by_id[person]
            lines.append(f"{person} {applicant.name}: {exclusion.detail}")
    return lines


def precheck(event: Event, variables: Variables) -> list[Conflict]:
    conflicts = []
    for session in event.sessions:
        for role in Role:
            low = session.role_count(role)[0]
            found = len(variables.keys(session.id, role))
            if found < low:
                refused = _asked(event, variables, session.id, role)
                asked = found + len(refused)
                if asked == 0:
                    why = f"nobody asked to be {role} there"
                else:
                    why = (
                        f"only {found} of the {asked} applicant(s) who asked are eligible and available "
                        f"{_when(event, session.id)}"
                    )
                    why += ": " + "; ".join(refused) if refused else ""
                relax = [f"find another {role} for {session.id}, or lower its number of {role}s to {found}"]
                if refused:
                    relax.append("or widen the availability (or eligibility) of one of those who asked")
                conflicts.append(Conflict(
                    (f"session_roles:{session.id}:{role}",),
                    f"session_roles: {session.id} needs {low} {role}(s), but {why}.",
                    tuple(relax),
                ))  # fmt: skip
        speakers = variables.keys(session.id, Role.SPEAKER)
        for objective in session.objectives:
            if not any(objective in variables.applicant(k).objectives for k in speakers):
                label = event.objective_titles.get(objective, "")
                conflicts.append(
                    Conflict(
                        (f"objective_coverage:{session.id}:{objective}",),
                        f"objective_coverage: {session.id} needs objective {objective}"
                        f"{f' ({label})' if label else ''} but no eligible applicant available "
                        f"{_when(event, session.id)} declared it among those who asked to speak there.",
                        (
                            f"invite a speaker on objective {objective} to {session.id}",
                            f"or remove objective {objective} from {session.id}",
                        ),
                    )
                )
        stakeholders = sum(variables.applicant(k).category is Category.STAKEHOLDER for k in speakers)
        if stakeholders < session.min_stakeholder_speakers:
            conflicts.append(
                Conflict(
                    (f"stakeholder_voice:{session.id}",),
                    f"stakeholder_voice: {session.id} needs {session.min_stakeholder_speakers} stakeholder speakers but "
                    f"only {stakeholders} eligible stakeholder(s) available {_when(event, session.id)} "
                    "asked to speak there.",
                    (f"lower min_stakeholder_speakers of {session.id} to {stakeholders}",),
                )
            )
    for applicant in event.applicants:
        for session_id, role in applicant.fixed:
            exclusion = variables.excluded.get((applicant.id, session_id, role))
            if exclusion is not None:
                conflicts.append(
                    Conflict(
                        (f"interest_only:{applicant.id}:{session_id}:{role}",),
                        f"interest_only: {applicant.id} {applicant.name} is fixed as {role} of {session_id}, but "
                        f"{exclusion.rule}: {exclusion.detail}.",
                        (f"remove the fixed assignment of {applicant.id}",),
                    )
                )
    return conflicts


def placement_check(event: Event, variables: Variables) -> list[Conflict]:
    """Sessions that fit nowhere, or that cannot all be placed in the day windows together."""
    conflicts = []
    for session in event.sessions:
        if not candidate_starts(event, session):
            conflicts.append(
                Conflict(
                    (f"placement:{session.id}",),
                    f"placement: {session.id} ({session.minutes} minutes) fits in no day window outside the breaks.",
                    (f"shorten {session.id}, or lengthen a day window", "or move a break"),
                )
            )
    if conflicts:
        return conflicts
    model = cp_model.CpModel()
    only_times = Variables(model, event)
    only_times._build_placement()
    guards = Guards(model, enabled=True)
    placement(only_times, guards)
    instances = _core(model, guards, 10.0)
    if instances is None:
        return []
    used = sum(s.minutes for s in event.sessions)
    return [
        Conflict(
            tuple(i.key for i in instances) or ("placement:no_overlap",),
            f"placement: the {len(event.sessions)} sessions ({used} minutes) cannot all be placed in the day windows "
            "outside the breaks without overlapping"
            + (
                " in the order asked ("
                + ", ".join(i.key.split(":", 1)[1].replace(":", " ") for i in instances)
                + ")"
                if instances
                else ""
            )
            + ".",
            ("lengthen a day window or add a day", "or shorten a session, or drop an `after` ordering"),
        )
    ]


# --- a minimal conflicting set from the solver ---------------------------------------------------------------


def _core(model: cp_model.CpModel, guards: Guards, time_limit: float) -> list[Instance] | None:
    """A minimal set of guarded instances that cannot hold together, or None when all can."""
    literals = sorted(guards.literals)
    solver = parameters(time_limit, explain=True)

    def infeasible(enforced: Sequence[int]) -> bool:
        model.clear_assumptions()
        model.add_assumptions([guards.literals[i][0] for i in enforced])
        return bool(solve(solver, model) == cp_model.INFEASIBLE)

    if not infeasible(literals):
        return None
    core = sorted(solver.sufficient_assumptions_for_infeasibility())
    # Deletion filter: drop each literal whose removal keeps the set infeasible; what remains is minimal.
    for literal in list(core):
        trial = [c for c in core if c != literal]
        if trial and infeasible(trial):
            core = trial
    model.clear_assumptions()
    return [guards.literals[c][1] for c in core]


def core_explanation(event: Event, time_limit: float) -> Explanation:
    built = build(event, explain=True)
    instances = _core(built.model, built.guards, time_limit)
    if instances is None:
        return Explanation()
    return Explanation([describe(event, built.variables, instances)])


def describe(event: Event, variables: Variables, instances: list[Instance]) -> Conflict:
    """One conflict, each instance in words, and what relaxing each would take."""
    parts, relax = [], []
    for instance in instances:
        text, fix = _instance_words(event, variables, instance)
        parts.append(text)
        relax.append(fix)
    message = (
        "These rules cannot all hold together: "
        + "; ".join(parts)
        + ". Relaxing any one of them makes a plan possible."
    )
    return Conflict(tuple(i.key for i in instances), message, tuple(relax))


def _instance_words(event: Event, variables: Variables, instance: Instance) -> tuple[str, str]:
    session = event.session_by_id.get(instance.session)
    if instance.rule == "session_roles" and session is not None:
        role = Role(instance.role)
        low, high = session.role_count(role)
        count = f"{low}" if low == high else f"{low}-{high}"
        names = ", ".join(k[0] for k in variables.keys(session.id, role))
        return (
            f"session_roles: {session.id} needs {count} {role}(s) (candidates: {names or 'none'})",
            f"lower the {role}s of {session.id} or find more candidates",
        )
    if instance.rule == "objective_coverage" and session is not None:
        declared = [
            k[0]
            for k in variables.keys(session.id, Role.SPEAKER)
            if instance.objective in variables.applicant(k).objectives
        ]
        return (
            f"objective_coverage: {session.id} needs a speaker on objective {instance.objective} "
            f"(only {', '.join(declared) or 'nobody'} declared it)",
            f"remove objective {instance.objective} from {session.id} or invite a speaker on it",
        )
    if instance.rule == "stakeholder_voice" and session is not None:
        return (
            f"stakeholder_voice: {session.id} needs {session.min_stakeholder_speakers} stakeholder speakers",
            f"lower min_stakeholder_speakers of {session.id}",
        )
    if instance.rule == "time_budget" and session is not None and session.segments is not None:
        fit = (session.minutes - session.segments.fixed_minutes()) // session.segments.intervention
        return (
            f"time_budget: {session.id} has time for {fit} speakers",
            f"lengthen {session.id} or shorten its segments",
        )
    if instance.rule == "one_role":
        applicant = event.applicant_by_id[instance.participant]
        return (
            f"one_role: {applicant.id} {applicant.name} may hold {event.rules.max_roles_per_person} role(s)",
            "raise max_roles_per_person in [rules]",
        )
    if instance.rule == "interest_only":
        return (
            f"interest_only: {instance.participant} is fixed as {instance.role} of {instance.session}",
            f"remove the fixed assignment of {instance.participant}",
        )
    if instance.rule == "placement":
        other = instance.key.rsplit(":", 1)[1]
        return (
            f"placement: {instance.session} must come after {other}",
            f'drop "{other}" from the after of {instance.session}',
        )
    return instance.key, f"relax {instance.key}"


def holds_together(event: Event, keys: Sequence[str], time_limit: float = 30.0) -> bool:
    """Whether the hard-rule instances named by `keys` can hold together (all other guarded instances dropped).

    The check behind every explanation: a conflict's instances must not hold together, and dropping any one of
    them must let the rest hold.
    """
    built = build(event, explain=True)
    wanted = set(keys)
    enforced = [literal for literal, instance in built.guards.literals.values() if instance.key in wanted]
    built.model.add_assumptions(enforced)
    status = solve(parameters(time_limit, explain=True), built.model)
    return bool(status != cp_model.INFEASIBLE)
