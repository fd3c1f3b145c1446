"""Re-planning against a published plan: the stability term, which keeps what was published. What changed, and
the calendar SEQUENCE numbers, are decided after solving, by scheduler/release.py."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ortools.sat.python import cp_model

from scheduler.domain import Plan
from scheduler.rulebook import BY_NAME
from scheduler.solve.rules import Term

if TYPE_CHECKING:
    from scheduler.solve.variables import Variables


def stability_weight(variables: Variables, ordinary: Sequence[Term]) -> int:
    """The configured weight, or one more than the largest value the ordinary objective can take: then one change
    to a published plan costs more than any gain the change could bring."""
    configured = BY_NAME["stability"].weight_of(variables.event.rules)
    if configured:
        return configured
    proto = _bounded_objective(variables.model, ordinary)
    return proto + 1


def _bounded_objective(model: cp_model.CpModel, terms: Sequence[Term]) -> int:
    model.minimize(sum(term.weight * term.expr for term in terms))
    objective = model.proto.objective
    domains = model.proto.variables
    total = int(objective.offset)
    for var, coeff in zip(objective.vars, objective.coeffs, strict=True):
        index = var if var >= 0 else -var - 1
        low, high = domains[index].domain[0], domains[index].domain[-1]
        total += (
            coeff * (high if coeff > 0 else low) if var >= 0 else coeff * (1 - low if coeff > 0 else 1 - high)
        )
    return max(total, 0)


def stability_terms(variables: Variables, previous: Plan, ordinary: Sequence[Term]) -> list[Term]:
    """One unit per published assignment that is not kept and per published session start that moves."""
    changes: list[cp_model.LinearExprT] = []
    for assignment in previous.assignments:
        key = (assignment.participant, assignment.session, assignment.role)
        var = variables.x.get(key)
        changes.append(1 - var if var is not None else cp_model.LinearExpr.constant(1))
    for placement in previous.placements:
        starts = variables.starts.get(placement.session)
        if starts is None:
            continue
        if placement.start in starts:
            index = starts.index(placement.start)
            if len(starts) > 1:
                changes.append(1 - variables.placed[placement.session][index])
        else:
            changes.append(cp_model.LinearExpr.constant(1))
    if not changes:
        return []
    return [Term("stability", stability_weight(variables, ordinary), sum(changes))]
