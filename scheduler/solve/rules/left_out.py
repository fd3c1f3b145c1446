"""The rules that count people left without a role: unassigned, written_submission, level_of_representation."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ortools.sat.python import cp_model

from scheduler.domain import LEVELS, Applicant, Category
from scheduler.rulebook import LEVEL_BASE
from scheduler.solve.rules.base import Rule, Term
from scheduler.solve.rules.common import total
from scheduler.solve.rules.registry import register

if TYPE_CHECKING:
    from scheduler.solve.variables import Variables


def left_out(v: Variables, applicant: Applicant) -> cp_model.LinearExprT:
    """1 when the applicant ends with no role, else 0 (a constant 1 when no wish of theirs can come true)."""
    if applicant.id not in v.left_out:
        keys = v.by_person.get(applicant.id, [])
        if not keys:
            v.left_out[applicant.id] = cp_model.LinearExpr.constant(1)
        elif len(keys) == 1:
            v.left_out[applicant.id] = 1 - v.x[keys[0]]
        elif v.event.rules.max_roles_per_person == 1:
            v.left_out[applicant.id] = 1 - total(v, keys)  # one_role keeps the sum at most 1
        else:
            assigned = v.model.new_bool_var(f"assigned[{applicant.id}]")
            v.model.add(assigned <= total(v, keys))
            v.left_out[applicant.id] = 1 - assigned
    return v.left_out[applicant.id]


def wishing(v: Variables) -> list[Applicant]:
    return [a for a in v.event.applicants if a.wishes_a_role]


@register
class Unassigned(Rule):
    """Each active applicant who wants a role and gets none costs one unit; those who cannot get any role count
    as a constant, so that the objective equals the validator's recount."""

    name = "unassigned"

    def terms(self, v: Variables, ordinary: Sequence[Term]) -> list[Term]:
        expr = [left_out(v, a) for a in wishing(v)]
        return [Term(self.name, self.weight_of(v.event.rules), sum(expr))] if expr else []


@register
class WrittenSubmission(Rule):
    """Member States that sent a written submission come first: leaving one of them out costs one unit."""

    name = "written_submission"

    def terms(self, v: Variables, ordinary: Sequence[Term]) -> list[Term]:
        expr = [
            left_out(v, a)
            for a in wishing(v)
            if a.category is Category.MEMBER_STATE and a.submission_date is not None
        ]
        return [Term(self.name, self.weight_of(v.event.rules), sum(expr))] if expr else []


@register
class LevelOfRepresentation(Rule):
    """Higher representation comes first: leaving out a State delegate costs each protocol step of theirs above
    official. Never a cost of taking someone, so delegations are not crowded out."""

    name = "level_of_representation"

    def terms(self, v: Variables, ordinary: Sequence[Term]) -> list[Term]:
        base = LEVELS.index(LEVEL_BASE)
        expr = [
            (base - a.level_rank) * left_out(v, a)
            for a in wishing(v)
            if a.is_delegate and a.level_rank < base
        ]
        return [Term(self.name, self.weight_of(v.event.rules), sum(expr))] if expr else []
