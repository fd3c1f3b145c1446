"""An independent check of a plan against the event: every hard rule, and a recount of every soft rule.

It knows nothing of the solver and shares no code with it: it reads the plan as an organiser would, with its own
reading of time (`clock.py`), so a modelling mistake shows up here as a violation or as a cost that differs from
the solver's. Each rule's check lives in the module of its name (a small family shares one: `left_out.py`,
`panel.py`) and registers itself under the rule's name in the rulebook (`registry.py`).
"""

from __future__ import annotations

from scheduler.domain import Event, Plan
from scheduler.rulebook import BY_NAME, RULES, SOFT
from scheduler.validate import (  # noqa: F401  (each module registers its rules on import)
    availability,
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
    panel,
    placement,
    session_roles,
    stability,
    stakeholder_voice,
    time_budget,
    withdrawn,
)
from scheduler.validate.registry import CHECKS, COUNTS, Penalty, Violation

__all__ = ["CHECKS", "COUNTS", "Penalty", "Violation", "check", "objective", "penalties", "penalty_items"]

_ORDER = {rule.name: i for i, rule in enumerate(RULES)}


def check(event: Event, plan: Plan) -> list[Violation]:
    """Every hard-rule violation of the plan, sorted by rule (in rulebook order) and detail."""
    found = {violation for name in CHECKS for violation in CHECKS[name](event, plan)}
    return sorted(found, key=lambda v: (_ORDER[v.rule], v.detail))


def penalty_items(event: Event, plan: Plan, previous: Plan | None = None) -> list[Penalty]:
    """Every soft-rule penalty of the plan, one item per person, panel or session that costs something, by rule
    in rulebook order."""
    return [item for name in SOFT for item in COUNTS[name](event, plan, previous)]


def penalties(event: Event, plan: Plan, previous: Plan | None = None) -> dict[str, int]:
    """Units of each soft rule in the plan (multiply by the rule's weight for its cost)."""
    units = dict.fromkeys(SOFT, 0)
    for item in penalty_items(event, plan, previous):
        units[item.rule] += item.units
    return units


def objective(event: Event, units: dict[str, int], weights: dict[str, int] | None = None) -> int:
    """The weighted sum of soft-rule units, with the plan's recorded weights (stability's is per event)."""
    weights = weights or {name: BY_NAME[name].weight_of(event.rules) for name in SOFT}
    return sum(weights.get(name, 0) * count for name, count in units.items())
