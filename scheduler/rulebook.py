"""The rules by name: the one list that the model, the validator, explanations, reports and tests share."""

from __future__ import annotations

from dataclasses import dataclass

from scheduler.domain import Rules


@dataclass(frozen=True)
class Rule:
    name: str
    hard: bool
    summary: str
    weight: str = ""  # the [rules] key of a soft rule's weight

    def weight_of(self, rules: Rules) -> int:
        value = getattr(rules, self.weight) if self.weight else 0
        return int(value or 0)


RULES: tuple[Rule, ...] = (
    Rule(
        "session_roles",
        True,
        "each session gets exactly its moderators and rapporteurs, and min..max speakers",
    ),
    Rule(
        "interest_only",
        True,
        "a person gets only a (session, role) they asked for, or their fixed assignment",
    ),
    Rule("eligibility", True, "the person's category (and level, where a session asks for one) is allowed"),
    Rule(
        "interpretation",
        True,
        "everyone with a role speaks one of the session's interpreted languages (blank languages: the event's first)",
    ),
    Rule(
        "inscription_deadline",
        True,
        "wishes registered after inscription_closes are not granted; a fixed assignment still holds",
    ),
    Rule("one_role", True, "at most max_roles_per_person roles per person, never in overlapping sessions"),
    Rule(
        "availability", True, "the session lies inside the person's available window, in their own time zone"
    ),
    Rule(
        "objective_coverage", True, "every objective of a session is declared by at least one of its speakers"
    ),
    Rule("stakeholder_voice", True, "at least min_stakeholder_speakers speakers of category stakeholder"),
    Rule("co_chairs_differ", True, "the co-chairs of a session all differ in its co_chairs_differ_in column"),
    Rule("time_budget", True, "opening + interventions + discussion + report + closing fit in the session"),
    Rule("placement", True, "sessions inside day windows, outside breaks, not overlapping, honouring after"),
    Rule("withdrawn", True, "withdrawn people hold no role"),
    Rule("interest_rank", False, "each rank below a person's first choice", "weight_interest_rank"),
    Rule("unassigned", False, "each active applicant with interests who gets no role", "weight_unassigned"),
    Rule(
        "written_submission",
        False,
        "each member-State delegate who sent a written submission and is left without a role",
        "weight_written_submission",
    ),
    Rule(
        "level_of_representation",
        False,
        "each protocol step above official of a member-State or observer delegate left without a role",
        "weight_level",
    ),
    Rule(
        "gender_balance",
        False,
        "each person of gender imbalance beyond one in a panel (moderators + speakers)",
        "weight_gender_balance",
    ),
    Rule(
        "subregion_spread",
        False,
        "each speaker beyond max_same_subregion from one subregion in a session",
        "weight_subregion_spread",
    ),
    Rule(
        "stakeholder_group_spread",
        False,
        "each stakeholder speaker beyond max_same_stakeholder_group from one group in a session",
        "weight_stakeholder_group_spread",
    ),
    Rule(
        "early_placement",
        False,
        "each possible start (on the slot grid, in any day window) earlier than the one a placed session takes",
        "weight_early_placement",
    ),
    Rule(
        "stability",
        False,
        "each published assignment removed or session re-timed when re-planning",
        "weight_stability",
    ),
)
BY_NAME = {rule.name: rule for rule in RULES}
HARD = tuple(rule.name for rule in RULES if rule.hard)
SOFT = tuple(rule.name for rule in RULES if not rule.hard)

# level_of_representation counts the protocol steps of a delegate above this rank.
LEVEL_BASE = "official"
