"""Build the CP-SAT model from the rule registry, and run the solver with reproducible settings."""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ortools.sat.python import cp_model

from scheduler.domain import Event, Plan
from scheduler.solve.rules import RULES, Guards, Term
from scheduler.solve.variables import Variables

log = logging.getLogger(__name__)

# One worker with a fixed seed gives the same plan on every run (several workers race and may return different
# optimal plans). linearization_level 2 lets the single worker use the LP relaxation of these assignment models,
# which closes the gap far faster than the default on them (measured in benchmarks/).
SEED = 20201112
EARLY_STOP_SLACK = 0.1  # seconds: see `solve`


@dataclass(frozen=True)
class Progress:
    objective: float
    bound: float
    seconds: float


ProgressFn = Callable[[Progress], None]


@dataclass
class Built:
    model: cp_model.CpModel
    variables: Variables
    guards: Guards
    terms: list[Term]


def build(event: Event, *, explain: bool = False, previous: Plan | None = None) -> Built:
    """The model of an event from the rule registry: every hard rule, and (unless explaining, which only asks for
    feasibility, with the wishes that rules forbid held at 0 behind named guards) the weighted soft rules as the
    objective; `previous` is the published plan that the stability rule keeps."""
    model = cp_model.CpModel()
    variables = Variables.build(model, event, presolve=not explain, forbidden=explain, previous=previous)
    guards = Guards(model, enabled=explain)
    for rule in RULES:
        rule.constrain(variables, guards)
    terms: list[Term] = []
    if not explain:
        for rule in RULES:
            terms += rule.terms(variables, terms)
        model.minimize(sum(term.weight * term.expr for term in terms if term.weight))
    return Built(model, variables, guards, terms)


def parameters(time_limit: float, *, explain: bool = False) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = SEED
    solver.parameters.max_time_in_seconds = time_limit
    if not explain:
        solver.parameters.linearization_level = 2
        # The model is presolved by hand (Variables._presolve); CP-SAT's own presolve then costs more than it
        # saves, and its rewritten model closes the gap slower. Polishing the LP solution towards integral values
        # finds the optimum sooner: the relaxation is nearly tight (both measured in benchmarks/).
        solver.parameters.cp_model_presolve = False
        solver.parameters.polish_lp_solution = True
        # Probing (fixing each Boolean in turn before the search) finds nothing the tight LP does not: without it
        # the deterministic time falls by a quarter to two fifths on L, XL and E2E, the same optimum.
        solver.parameters.cp_model_probing_level = 0
        # Inprocessing (vivifying and simplifying clauses at each return to the search's root) is what a single
        # worker spends most of its time on while it looks for the sessions' best places: without it the
        # deterministic time falls by two fifths to four fifths on most draws of E2E's shape (0.89 -> 0.24 on
        # the slowest) and on XL, E2E itself a little slower, the same optimum (benchmarks/analysis.md).
        solver.parameters.use_sat_inprocessing = False
    return solver


class _Callback(cp_model.CpSolverSolutionCallback):
    def __init__(self, progress: ProgressFn) -> None:
        super().__init__()
        self._progress = progress
        self._start = time.monotonic()

    def on_solution_callback(self) -> None:
        self._progress(
            Progress(self.objective_value, self.best_objective_bound, time.monotonic() - self._start)
        )


def run(
    built: Built,
    time_limit: float,
    progress: ProgressFn | None = None,
    meanwhile: Callable[[], object] | None = None,
) -> tuple[cp_model.CpSolver, Any]:
    """Solve the built model; `meanwhile` runs in a thread during the search, which CP-SAT makes without holding
    Python's lock, so that on a second core Python can prepare what comes after the solve. The run goes on once
    both are done: no thread is left running when the exporters fork (a forked process inherits the locks a
    thread holds, an import's for one, with no thread to release them)."""
    solver = parameters(time_limit)
    callback = _Callback(progress) if progress else None
    helper = None
    if meanwhile is not None:
        helper = threading.Thread(target=meanwhile, name="scheduler: meanwhile", daemon=True)
        helper.start()
    status = solve(solver, built.model, callback)
    if helper is not None:
        helper.join()
    log.info("CP-SAT %s in %.2f s: %s", solver.status_name(status), solver.wall_time, solver.response_stats())
    return solver, status


def solve(
    solver: cp_model.CpSolver,
    model: cp_model.CpModel,
    callback: cp_model.CpSolverSolutionCallback | None = None,
) -> Any:
    """CP-SAT's solve, with Ctrl-C ending the run as it does anywhere else. CP-SAT catches Ctrl-C to stop its
    search, and returns FEASIBLE or UNKNOWN before its time limit (nothing else stops it early here); it also
    leaves the signal's default action behind, which would kill the process without a word at the next Ctrl-C."""
    main = threading.current_thread() is threading.main_thread()
    handler = signal.getsignal(signal.SIGINT) if main else None
    status = solver.solve(model, callback)
    if handler is not None:  # None: a handler not set from Python, which Python cannot put back
        signal.signal(signal.SIGINT, handler)
    # CP-SAT looks at the clock only now and then, so it may return a little before its limit (seen: 0.93 ms of a
    # 1 ms limit); only a return well before it is an interruption.
    stopped_early = solver.wall_time < 0.95 * solver.parameters.max_time_in_seconds - EARLY_STOP_SLACK
    if main and status in (cp_model.FEASIBLE, cp_model.UNKNOWN) and stopped_early:
        raise KeyboardInterrupt
    return status
