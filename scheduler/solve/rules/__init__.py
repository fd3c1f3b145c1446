"""The rules of the model, one unit per rule: each module registers one object per rule (or per small family),
holding the rule's model code (`constrain` for a hard rule, `terms` for a soft one, `forbids` for the wishes it
leaves without a variable), its words in explanations (`precheck`, `words`, `refusal`) and its reasons on the
waiting list (`barred`, `full`, `cost`); see `base.Rule`. The rule's name, hard or soft, summary and weight key
are the rulebook's (`scheduler.rulebook`), which the independent validator shares.

`RULES` holds them in rulebook order; the model, explanations and the waiting list loop over it. Adding a rule:
its entry in the rulebook (and its weight in `Rules`, for a soft rule), a module here importing `register`, its
import below, its check in the validator, and its tests.
"""

from __future__ import annotations

from scheduler import rulebook
from scheduler.solve.rules import (  # noqa: F401  (each module registers its rules as it is imported)
    availability,
    balance,
    co_chairs_differ,
    early_placement,
    eligibility,
    inscription_deadline,
    interest_only,
    interest_rank,
    interpretation,
    left_out,
    objective_coverage,
    one_role,
    placement,
    session_roles,
    stability,
    stakeholder_voice,
    time_budget,
    withdrawn,
)
from scheduler.solve.rules.base import Conflict, Guards, Instance, Rule, Term, Wish
from scheduler.solve.rules.registry import REGISTRY

if set(REGISTRY) != {rule.name for rule in rulebook.RULES}:
    raise RuntimeError(
        f"the model's rules {sorted(REGISTRY)} differ from the rulebook's {[r.name for r in rulebook.RULES]}"
    )
RULES: tuple[Rule, ...] = tuple(REGISTRY[rule.name] for rule in rulebook.RULES)
BY_NAME: dict[str, Rule] = {rule.name: rule for rule in RULES}

__all__ = ["BY_NAME", "RULES", "Conflict", "Guards", "Instance", "Rule", "Term", "Wish"]
