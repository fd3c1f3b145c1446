"""The validator's registry: each rule's check or recount, filed under the rule's name in the rulebook.

A hard rule registers `check(event, plan) -> list[Violation]`; a soft rule registers
`count(event, plan, previous) -> list[Penalty]`. The modules of this package each register their rule (or a small
family of rules) on import.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from scheduler.domain import Event, Plan


@dataclass(frozen=True, order=True)
class Violation:
    """One broken instance of a hard rule, said as an organiser would read it."""

    rule: str
    detail: str

    def __str__(self) -> str:
        return f"{self.rule}: {self.detail}"


@dataclass(frozen=True)
class Penalty:
    """Units of one soft rule at one place of the plan, with the justification an organiser reads."""

    rule: str
    units: int
    detail: str


Check = Callable[[Event, Plan], list[Violation]]
Count = Callable[[Event, Plan, Plan | None], list[Penalty]]

CHECKS: dict[str, Check] = {}
COUNTS: dict[str, Count] = {}


def hard(name: str) -> Callable[[Check], Check]:
    """Register the check of the hard rule `name`."""

    def register(check: Check) -> Check:
        CHECKS[name] = check
        return check

    return register


def soft(name: str) -> Callable[[Count], Count]:
    """Register the recount of the soft rule `name`."""

    def register(count: Count) -> Count:
        COUNTS[name] = count
        return count

    return register
