"""stability: each published assignment removed or session re-timed when re-planning."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ortools.sat.python import cp_model

from scheduler.solve.rules.base import Rule, Term
from scheduler.solve.rules.registry import register

if TYPE_CHECKING:
    from scheduler.solve.variables import Variables


def _bounded_objective(model: cp_model.CpModel, terms: Sequence[Term]) -> int:
    """The largest value the weighted `terms` can take, from their variables' domains."""
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


@register
class Stability(Rule):
    """When re-planning against a published plan (`Variables.previous`): one unit per published assignment that
    is not kept and per published session start that moves."""

    name = "stability"

    def weight(self, v: Variables, ordinary: Sequence[Term]) -> int:
        """The configured weight, or one more than the largest value the ordinary objective can take: then one
        change to a published plan costs more than any gain the change could bring."""
        return self.weight_of(v.event.rules) or _bounded_objective(v.model, ordinary) + 1

    def terms(self, v: Variables, ordinary: Sequence[Term]) -> list[Term]:
        if v.previous is None:
            return []
        changes: list[cp_model.LinearExprT] = []
        for assignment in v.previous.assignments:
            var = v.x.get((assignment.participant, assignment.session, assignment.role))
            changes.append(1 - var if var is not None else cp_model.LinearExpr.constant(1))
        for placement in v.previous.placements:
            starts = v.starts.get(placement.session)
            if starts is None:
                continue
            if placement.start in starts:
                index = starts.index(placement.start)
                if len(starts) > 1:
                    changes.append(1 - v.placed[placement.session][index])
            else:
                changes.append(cp_model.LinearExpr.constant(1))
        if not changes:
            return []
        return [Term(self.name, self.weight(v, ordinary), sum(changes))]
