"""What every rule unit is made of: the `Rule` base class, and the pieces its hooks exchange (guards and named
instances for explanations, weighted terms for the objective, wishes and conflicts for the words)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

from ortools.sat.python import cp_model

from scheduler.domain import Applicant, Assignment, Event, Placement, Role, Rules, Session
from scheduler.rulebook import BY_NAME

if TYPE_CHECKING:
    from scheduler.solve.variables import Variables

Key = tuple[str, str, Role]  # (participant, session, role)


@dataclass(frozen=True)
class Instance:
    """One named instance of a hard rule, e.g. objective_coverage for (RT2, 13)."""

    rule: str
    key: str
    session: str = ""
    participant: str = ""
    role: str = ""
    objective: int = 0


@dataclass
class Guards:
    """Guard literals of hard-rule instances; disabled (no literals) for the optimising solve. Constraints of one
    instance share its literal, so that relaxing the instance relaxes all of them."""

    model: cp_model.CpModel
    enabled: bool
    literals: dict[int, tuple[cp_model.IntVar, Instance]] = field(default_factory=dict)  # by variable index
    _by_key: dict[str, cp_model.IntVar] = field(default_factory=dict)

    def enforce(self, constraint: cp_model.Constraint, instance: Instance) -> None:
        constraint.with_name(instance.key)
        if self.enabled:
            literal = self._by_key.get(instance.key)
            if literal is None:
                literal = self._by_key[instance.key] = self.model.new_bool_var(f"guard[{instance.key}]")
                self.literals[literal.index] = (literal, instance)
            constraint.only_enforce_if(literal)


@dataclass(frozen=True)
class Term:
    """A soft rule's weighted contribution to the objective."""

    rule: str
    weight: int
    expr: cp_model.LinearExprT


@dataclass(frozen=True)
class Conflict:
    """Rule instances that cannot all hold together, said in words, with what would make them hold."""

    rules: tuple[str, ...]  # instance keys such as "objective_coverage:RT2:13"
    message: str
    relaxations: tuple[str, ...] = ()

    @property
    def rule_names(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(key.split(":", 1)[0] for key in self.rules))


@dataclass(frozen=True)
class Wish:
    """A wish of an applicant left without a role, in the plan that was made: what the waiting list explains."""

    event: Event
    variables: Variables
    applicant: Applicant
    session: Session
    role: Role
    placement: Placement
    taken: int  # people holding this (session, role) in the plan
    assignments: Sequence[Assignment]  # the plan's assignments in this session


class Rule:
    """One rule: its name (hard or soft, summary and weight come from `scheduler.rulebook`), its model code, its
    words in explanations and its reasons on the waiting list. Each hook does nothing unless the rule has it."""

    name: ClassVar[str]

    @property
    def hard(self) -> bool:
        return BY_NAME[self.name].hard

    @property
    def summary(self) -> str:
        return BY_NAME[self.name].summary

    def weight_of(self, rules: Rules) -> int:
        return BY_NAME[self.name].weight_of(rules)

    def instance(self, *parts: object, **fields: object) -> Instance:
        """An instance of this rule, keyed `name:part:part...`."""
        return Instance(self.name, ":".join([self.name, *map(str, parts)]), **fields)  # type: ignore[arg-type]

    # --- the model -----------------------------------------------------------------------------------------

    def forbids(self, v: Variables, applicant: Applicant, session: Session, role: Role) -> str | None:
        """Why the wish can never come true under this rule (then it gets no variable), or None."""
        return None

    def constrain(self, v: Variables, guards: Guards) -> None:
        """A hard rule's constraints, each instance behind `guards`."""

    def terms(self, v: Variables, ordinary: Sequence[Term]) -> list[Term]:
        """A soft rule's weighted terms (`ordinary`: the terms of the rules before it)."""
        return []

    # --- explanations --------------------------------------------------------------------------------------

    def precheck(self, v: Variables) -> list[Conflict]:
        """Conflicts of this rule visible without solving."""
        return []

    def words(self, v: Variables, instance: Instance) -> tuple[str, str]:
        """An instance in words, and what relaxing it would take."""
        return instance.key, f"relax {instance.key}"

    def refusal(self, v: Variables, applicant: Applicant, session: Session, role: Role) -> tuple[str, str]:
        """Why this rule forbids the wish, and what would lift it (for a rule with `forbids`)."""
        detail = self.forbids(v, applicant, session, role) or ""
        return f"{self.name}: {detail}", ""

    # --- the waiting list ----------------------------------------------------------------------------------

    def barred(self, wish: Wish) -> str | None:
        """Why this rule keeps the person out of the wish in this plan, whatever the others hold."""
        return None

    def full(self, wish: Wish) -> str | None:
        """Why the places this rule allows for the wish are all taken."""
        return None

    def cost(self, wish: Wish) -> str | None:
        """How this soft rule would get worse if the person joined (for the waiting list), or None."""
        return None
