"""early_placement: each possible start earlier than the one a placed session takes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from scheduler.solve.rules.base import Rule, Term
from scheduler.solve.rules.registry import register

if TYPE_CHECKING:
    from scheduler.solve.variables import Variables


@register
class EarlyPlacement(Rule):
    """A session placed at its n-th possible start (counted from 0 on the slot grid) costs n units: among
    otherwise equal plans, sessions come early."""

    name = "early_placement"

    def terms(self, v: Variables, ordinary: Sequence[Term]) -> list[Term]:
        expr = [
            index * lit
            for session in v.event.sessions
            for index, lit in zip(v.start_index[session.id], v.placed[session.id], strict=True)
            if index > 0
        ]
        return [Term(self.name, self.weight_of(v.event.rules), sum(expr))] if expr else []
