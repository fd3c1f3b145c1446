"""interest_rank: each rank below a person's first choice."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from scheduler.solve.rules.base import Rule, Term, Wish
from scheduler.solve.rules.registry import register

if TYPE_CHECKING:
    from scheduler.solve.variables import Variables


@register
class InterestRank(Rule):
    """A person given their second choice costs one unit, their third two, and so on."""

    name = "interest_rank"

    def terms(self, v: Variables, ordinary: Sequence[Term]) -> list[Term]:
        expr = []
        for key, var in v.x.items():
            rank = v.applicant(key).interest_rank(key[1], key[2])
            if rank is not None and rank > 1:
                expr.append((rank - 1) * var)
        return [Term(self.name, self.weight_of(v.event.rules), sum(expr))] if expr else []

    def cost(self, wish: Wish) -> str | None:
        rank = wish.applicant.interest_rank(wish.session.id, wish.role) or 1
        return f"interest_rank: their choice {rank}" if rank > 1 else None
