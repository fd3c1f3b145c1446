"""Why no plan exists, in plain words: cheap pre-checks first, then a minimal set of conflicting rule instances
from a feasibility-only solve with a guard literal per instance."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from scheduler.domain import Event
from scheduler.solve.model import build, parameters, solve
from scheduler.solve.rules import BY_NAME, RULES, Conflict, Guards, Instance
from scheduler.solve.variables import Variables
from scheduler.timeline import candidate_starts

__all__ = ["Conflict", "Explanation", "explain", "holds_together", "placement_check", "precheck"]
log = logging.getLogger(__name__)


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


def precheck(event: Event, variables: Variables) -> list[Conflict]:
    """What each rule finds impossible on its face: too few candidates for a role, an objective nobody who may
    speak declared, too few stakeholder voices, a fixed assignment another rule forbids."""
    return [conflict for rule in RULES for conflict in rule.precheck(variables)]


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
    BY_NAME["placement"].constrain(only_times, guards)
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
        text, fix = BY_NAME[instance.rule].words(variables, instance)
        parts.append(text)
        relax.append(fix)
    message = (
        "These rules cannot all hold together: "
        + "; ".join(parts)
        + ". Relaxing any one of them makes a plan possible."
    )
    return Conflict(tuple(i.key for i in instances), message, tuple(relax))


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
