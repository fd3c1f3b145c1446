"""One measured run of one solver on one instance, meant to run in a process of its own so that its peak memory
is its own: `python -m benchmarks.solvers SOLVER EVENT_DIR --time-limit S --result OUT.json`.

Solvers: `scheduler` (the planner: `load_event` + `scheduler.solve.solve`, with its model building and its CP-SAT
run timed apart; `proposed` is the same, run by `run.py` from a copy of the project with `benchmarks/proposed.diff`
applied), `cbc` (the same model in PuLP, solved by CBC) and `greedy`. Every plan is judged by the project's
validator.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from benchmarks.common import judge, plan_digest
from scheduler.domain import Event, Plan, relative_gap
from scheduler.load import load_event

SOLVERS = ("scheduler", "proposed", "cbc", "greedy")


def _scheduler(event: Event, time_limit: float, result: dict[str, Any]) -> Plan | None:
    import scheduler.solve as planner

    times: dict[str, float] = {"build": 0.0, "solve": 0.0, "solve_cpu": 0.0}
    solver_box: list[Any] = []

    def timed(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            started, cpu = time.perf_counter(), time.process_time()
            value = function(*args, **kwargs)
            times[name] += time.perf_counter() - started
            times[f"{name}_cpu"] = times.get(f"{name}_cpu", 0.0) + time.process_time() - cpu
            if name == "solve":
                solver_box.append(value[0])
            return value

        return wrapper

    namespace = vars(planner)  # solve() looks build and run up here: time them where they are called
    original = namespace["build"], namespace["run"]
    namespace["build"], namespace["run"] = timed("build", original[0]), timed("solve", original[1])
    try:
        plan = planner.solve(event, time_limit=time_limit).as_plan(event)
    except planner.NoPlan as no_plan:
        plan = None
        result.update(status="no plan", note=str(no_plan)[:300])
    finally:
        namespace["build"], namespace["run"] = original
    result.update(build_s=times["build"], solve_s=times["solve"], solve_cpu_s=times["solve_cpu"])
    result["scheduler"] = str(Path(planner.__file__).parent.parent)  # which copy of the planner ran
    if plan is None:
        return None
    assert plan.solver is not None
    result.update(
        status=plan.solver.status,
        objective=plan.solver.objective,
        bound=plan.solver.bound,
        deterministic_s=plan.solver.seconds,
    )
    if solver_box:
        result["cpsat_wall_s"] = solver_box[0].wall_time
    return plan


def _greedy(event: Event, time_limit: float, result: dict[str, Any]) -> Plan:
    from benchmarks.greedy import greedy

    del time_limit
    started, cpu = time.perf_counter(), time.process_time()
    plan = greedy(event)
    result.update(
        status="greedy",
        build_s=0.0,
        solve_s=time.perf_counter() - started,
        solve_cpu_s=time.process_time() - cpu,
    )
    return plan


def _cbc(event: Event, time_limit: float, result: dict[str, Any]) -> Plan | None:
    from benchmarks.cbc import CbcModel

    started = time.perf_counter()
    model = CbcModel(event).build()
    built = time.perf_counter()
    outcome = model.solve(time_limit)
    finished = time.perf_counter()
    # PuLP writes the model to a file and reads the solution back: that is model handling, not solving.
    result.update(
        status=outcome.status,
        objective=round(outcome.objective) if outcome.objective is not None else None,
        bound=round(outcome.bound, 1) if outcome.bound is not None else None,
        build_s=(built - started) + max(0.0, (finished - built) - outcome.seconds),
        solve_s=outcome.seconds,
        solve_cpu_s=outcome.cpu_seconds,
        variables=len(model.problem.variables()),
        constraints=len(model.problem.constraints),
    )
    return outcome.plan


def measure(solver: str, folder: Path, time_limit: float) -> dict[str, Any]:
    """Load, plan and judge; every time in seconds, memory in MB."""
    result: dict[str, Any] = {"instance": folder.name, "solver": solver, "time_limit": time_limit}
    started = time.perf_counter()
    event = load_event(folder)
    result["load_s"] = time.perf_counter() - started
    result["applicants"] = len(event.applicants)
    result["sessions"] = len(event.sessions)
    if solver in ("scheduler", "proposed"):
        plan = _scheduler(event, time_limit, result)
    elif solver == "greedy":
        plan = _greedy(event, time_limit, result)
    elif solver == "cbc":
        plan = _cbc(event, time_limit, result)
    else:
        raise ValueError(f"unknown solver {solver}")
    result["total_s"] = time.perf_counter() - started
    if plan is not None:
        verdict = judge(event, plan)
        result.update(
            violations=len(verdict.violations),
            violations_by_rule=verdict.by_rule,
            violation_examples=verdict.violations[:3],
            validator_objective=verdict.objective,
            assigned=len(plan.assignments),
            plan_digest=plan_digest(plan),
            costs=verdict.units,
        )
        if solver == "greedy":
            result["objective"] = verdict.objective
    objective, bound = result.get("objective"), result.get("bound")
    if objective is not None and bound is not None:
        result["gap"] = relative_gap(objective, bound)
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    result["peak_mb"] = max(own, children)
    result["peak_self_mb"] = own
    result["peak_children_mb"] = children
    return result


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Measure one solver on one benchmark instance.")
    parser.add_argument("solver", choices=SOLVERS)
    parser.add_argument("instance", type=Path)
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--result", type=Path, help="write the result here as JSON (default: stdout)")
    args = parser.parse_args(argv)
    result = measure(args.solver, args.instance, args.time_limit)
    text = json.dumps(result, indent=2, sort_keys=True)
    if args.result:
        args.result.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text + "\n")


if __name__ == "__main__":
    main()
