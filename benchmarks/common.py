"""What the baselines share: turning placements and assignments into a `Plan`, and judging any plan with the
project's validator (hard-rule violations, the soft-rule recount and the objective)."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from scheduler import running_order
from scheduler.domain import Assignment, Event, Placement, Plan, Role, SolverReport
from scheduler.timeline import session_end
from scheduler.validate import check, objective, penalties

GENERATED = dt.datetime(2020, 11, 1, tzinfo=dt.UTC)  # a fixed generated_at: plans stay reproducible


def make_plan(
    event: Event,
    placements: Iterable[Placement],
    assignments: Iterable[Assignment],
    report: SolverReport | None = None,
) -> Plan:
    """A plan as the planner would publish it: assignments in session, role and participant order, with the
    running order of every session."""
    order = {s.id: i for i, s in enumerate(event.sessions)}
    roles = {r: i for i, r in enumerate(Role)}
    placed = sorted(placements, key=lambda p: order[p.session])
    held = sorted(assignments, key=lambda a: (order[a.session], roles[a.role], a.participant))
    return Plan(
        event=event.id,
        version=1,
        generated_at=GENERATED,
        placements=tuple(placed),
        assignments=tuple(held),
        running_order=running_order.build(event, placed, held),
        solver=report,
    )


def witness_plan(event: Event, witness: dict[str, Any]) -> Plan:
    """The plan the generator planted in an instance (its `witness.json`), as the planner would publish it."""
    placements = []
    for session in event.sessions:
        wall = dt.datetime.fromisoformat(witness["placements"][session.id])
        start = event.localize(wall.date(), wall.time())
        placements.append(Placement(session.id, start, session_end(start, session)))
    assignments = [Assignment(p, s, Role(r)) for p, s, r in witness["assignments"]]
    return make_plan(event, placements, assignments)


@dataclass
class Verdict:
    """What the validator says of a plan."""

    violations: list[str] = field(default_factory=list)
    units: dict[str, int] = field(default_factory=dict)
    objective: int = 0

    @property
    def by_rule(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for violation in self.violations:
            rule = violation.split(":", 1)[0]
            counts[rule] = counts.get(rule, 0) + 1
        return counts


def judge(event: Event, plan: Plan) -> Verdict:
    units = penalties(event, plan)
    return Verdict([str(v) for v in check(event, plan)], units, objective(event, units))


def plan_digest(plan: Plan) -> str:
    """A short digest of a plan's placements and assignments: equal digests, equal plans."""
    parts = [f"{p.session}@{p.start.isoformat()}" for p in plan.placements]
    parts += [f"{a.participant}:{a.session}:{a.role}" for a in plan.assignments]
    return hashlib.sha256(";".join(parts).encode("utf-8")).hexdigest()[:16]
