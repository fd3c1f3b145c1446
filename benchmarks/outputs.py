"""How long writing every output takes when 10,000 people hold a role.

`prepare` generates the `W10K` instance (200 sessions of 50 roles, 12,000 applicants), turns its planted plan
into the `plan.json` the planner would publish, and `run.py` then times `scheduler export PLAN_JSON --event
EVENT_DIR --out OUT` (load, read the plan, build the views, write plan.json, the workbooks, the pictures and every
calendar file) as a process of its own, with its peak memory. No solving is involved: the solver is measured on
the other instances.
"""

from __future__ import annotations

import json
from pathlib import Path

from benchmarks.common import judge, witness_plan
from benchmarks.generate import INSTANCES, generate
from scheduler.domain import SolverReport, Unassigned
from scheduler.load import load_event

NAME = "W10K"


def prepare(out: Path = INSTANCES) -> tuple[Path, int]:
    """The instance folder with a `plan.json` of 10,000 assignments, and that number."""
    from dataclasses import replace

    from scheduler.release import fingerprinted
    from scheduler.store import write_plan
    from scheduler.views import build_view

    folder = generate(NAME, out, check=False)
    event = load_event(folder)
    plan = witness_plan(event, json.loads((folder / "witness.json").read_text(encoding="utf-8")))
    verdict = judge(event, plan)
    if verdict.violations:
        raise RuntimeError(f"the planted plan of {NAME} breaks hard rules: {verdict.violations[:3]}")
    held = {a.participant for a in plan.assignments}
    waiting = tuple(
        Unassigned(a.id, "not chosen: the benchmark plan holds only the planted roles")
        for a in event.applicants
        if not a.withdrawn and a.id not in held
    )
    report = SolverReport("feasible", verdict.objective, 0, 0.0, costs=verdict.units)
    plan = replace(plan, unassigned=waiting, solver=report)
    # A published plan carries fingerprints of what each calendar event says.
    placed, held_roles = fingerprinted(build_view(event, plan))
    plan = replace(plan, placements=tuple(placed), assignments=tuple(held_roles))
    write_plan(build_view(event, plan), folder / "plan.json")
    return folder, len(plan.assignments)
