"""Solve an event: the best placements and assignments, checked independently, with a reason for everyone left
on the waiting list. What is published of a solution is decided after the views, by scheduler/release.py."""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from ortools.sat.python import cp_model

from scheduler import running_order
from scheduler.domain import (
    Assignment,
    Event,
    Placement,
    Plan,
    Role,
    RunningItem,
    SolverReport,
    Unassigned,
)
from scheduler.forked import Forked, fork_is_safe
from scheduler.rulebook import BY_NAME, SOFT
from scheduler.solve.explain import Explanation, explain, placement_check, precheck
from scheduler.solve.model import Built, Progress, ProgressFn, build, run
from scheduler.solve.reasons import unassigned_reasons
from scheduler.solve.rules.early_placement import compact
from scheduler.solve.variables import Variables
from scheduler.timeline import session_end
from scheduler.validate import Violation, check, objective, penalties

__all__ = ["Check", "NoPlan", "PlanRefused", "Progress", "Solution", "explain", "solve"]
log = logging.getLogger(__name__)
# The time of a plan not yet published: the validator, the only reader of such a plan, does not read it.
UNPUBLISHED = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


class NoPlan(Exception):
    """No plan satisfies the hard rules (or none was found in the time allowed); `explanation` says why."""

    def __init__(self, explanation: Explanation) -> None:
        self.explanation = explanation
        super().__init__(str(explanation))


class PlanRefused(Exception):
    """The solver's plan failed the independent check: a defect, never shown to participants."""

    def __init__(self, violations: list[Violation]) -> None:
        self.violations = violations
        super().__init__("; ".join(str(v) for v in violations))


@dataclass(frozen=True)
class Solution:
    """What the solver decided, checked by the validator: when each session takes place, who holds which role,
    the running order, the waiting list with a reason each, and the solver's report. What is published from it
    (version, SEQUENCE numbers, changes, cancellations) is decided by the release stage (scheduler/release.py)."""

    placements: tuple[Placement, ...]
    assignments: tuple[Assignment, ...]
    running_order: tuple[RunningItem, ...]
    unassigned: tuple[Unassigned, ...]
    report: SolverReport

    @property
    def reasons(self) -> dict[str, str]:
        """Why each active applicant on the waiting list holds no role, by participant."""
        return {u.participant: u.reason for u in self.unassigned}

    def as_plan(self, event: Event) -> Plan:
        """The solution as an unpublished plan (version 0, no SEQUENCE numbers), as the validator reads it."""
        return Plan(event.id, 0, UNPUBLISHED, self.placements, self.assignments, self.running_order,
                    self.unassigned, solver=self.report)  # fmt: skip


def solve(
    event: Event,
    *,
    previous: Plan | None = None,
    keep_published: bool = True,
    time_limit: float = 60.0,
    progress: ProgressFn | None = None,
    meanwhile: Callable[[], object] | None = None,
    checked: bool = True,
) -> Solution:
    """The best solution for the event, checked by the validator. Given the published `previous` plan, it keeps
    what it can of it, unless `keep_published` is False: then it plans from scratch. `meanwhile` runs in a
    thread while CP-SAT searches (see `model.run`). With `checked` False the caller checks the solution itself
    with `Check` before using it (`scheduler plan` does, beside the release)."""
    started = time.monotonic()
    kept = previous if keep_published else None
    built = build(event, previous=kept)
    conflicts = precheck(event, built.variables)
    if conflicts and built.variables.dominated:
        # The pre-checks name the candidates: every one of them, as without the dominance presolve.
        everyone = Variables.build(cp_model.CpModel(), event, presolve=True, dominance=False, previous=kept)
        conflicts = precheck(event, everyone)
    if conflicts:
        raise NoPlan(Explanation(conflicts + placement_check(event, built.variables)))
    solver, status = run(built, time_limit, progress, meanwhile)
    if status == cp_model.INFEASIBLE:
        raise NoPlan(explain(event, time_limit))
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        # The placement check is a solve of its own (seconds on a long event): only when no plan was found.
        conflicts = placement_check(event, built.variables)
        raise NoPlan(Explanation(conflicts) if conflicts else Explanation(proven=False))
    placements, assignments = _extract(built.variables, solver)
    placements = compact(built.variables, placements, assignments)
    order = running_order.build(event, placements, assignments)
    unassigned = unassigned_reasons(event, built.variables, placements, assignments)
    report = _report(built, solver, status, time.monotonic() - started, placements)
    result = Solution(tuple(placements), tuple(assignments), order, tuple(unassigned), report)
    if checked:
        Check(event, result, kept, beside=False)()
    return result


def _extract(variables: Variables, solver: cp_model.CpSolver) -> tuple[list[Placement], list[Assignment]]:
    event = variables.event
    placements = []
    for session in event.sessions:
        index = next(i for i, lit in enumerate(variables.placed[session.id]) if solver.boolean_value(lit))
        start = variables.starts[session.id][index]
        placements.append(Placement(session.id, start, session_end(start, session)))
    order = {s.id: i for i, s in enumerate(event.sessions)}
    roles = {r: i for i, r in enumerate(Role)}
    assignments = sorted(
        (Assignment(*key) for key, var in variables.x.items() if solver.boolean_value(var)),
        key=lambda a: (order[a.session], roles[a.role], a.participant),
    )
    return placements, assignments


def _report(
    built: Built, solver: cp_model.CpSolver, status: int, wall: float, placements: list[Placement]
) -> SolverReport:
    v = built.variables
    units = dict.fromkeys(SOFT, 0)
    weights = {name: BY_NAME[name].weight_of(v.event.rules) for name in SOFT}
    for term in built.terms:
        units[term.rule] += int(solver.value(term.expr))
        weights[term.rule] = term.weight
    # `compact` may have moved sessions earlier after the solve: early_placement as the plan now has it.
    solved = units["early_placement"]
    units["early_placement"] = sum(
        v.start_index[p.session][v.starts[p.session].index(p.start)] for p in placements
    )
    return SolverReport(
        status="optimal" if status == cp_model.OPTIMAL else "feasible",
        objective=round(solver.objective_value) - weights["early_placement"] * (solved - units["early_placement"]),
        bound=round(solver.best_objective_bound),
        seconds=round(solver.deterministic_time, 3),
        wall_seconds=wall,
        costs=units,
        weights=weights,
    )


class Check:
    """The independent check of a solution: the validator's hard rules, and its recount of every soft rule's
    units and of the objective against the solver's. `beside` runs it in a second process (`scheduler.forked`)
    while this one goes on, when a fork is safe; calling the object waits for it and raises PlanRefused on any
    violation. Whatever goes wrong in the second process, the check is made again here."""

    def __init__(self, event: Event, solution: Solution, kept: Plan | None, *, beside: bool = True) -> None:
        self._event, self._plan, self._kept = event, solution.as_plan(event), kept
        self._beside = Forked(self._violations) if beside and fork_is_safe() else None

    def __call__(self) -> None:
        violations = self._beside() if self._beside is not None else None
        if violations is None:
            violations = self._violations()
        if violations:
            log.error("plan refused: %s", violations)
            raise PlanRefused(violations)

    def _violations(self) -> list[Violation]:
        event, result = self._event, self._plan
        violations = check(event, result)
        if result.solver is None:
            return [*violations, Violation("objective", "the plan has no solver report")]
        units = penalties(event, result, self._kept)
        if (
            units != result.solver.costs
            or objective(event, units, result.solver.weights) != result.solver.objective
        ):
            violations.append(
                Violation("objective", f"solver costs {result.solver.costs} differ from recount {units}")
            )
        return violations
