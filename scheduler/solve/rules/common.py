"""Words and sums that several rules share: when a session can take place, who asked for a role and why they
cannot have it, and the smallest set of forbidding rules that an explanation must name."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ortools.sat.python import cp_model

from scheduler.domain import Event, Role
from scheduler.solve.rules.base import Guards, Instance, Key, Rule
from scheduler.solve.rules.registry import REGISTRY
from scheduler.timeline import candidate_starts, event_span, session_end

if TYPE_CHECKING:
    from scheduler.solve.variables import Variables


def total(v: Variables, keys: Sequence[Key]) -> cp_model.LinearExpr:
    return cp_model.LinearExpr.sum([v.x[k] for k in keys])


def when(event: Event, session_id: str) -> str:
    """When the session can take place, as the organisers allowed it (the model's starts may be presolved)."""
    session = event.session_by_id[session_id]
    starts = candidate_starts(event, session)
    if len(starts) == 1:
        return f"at {event_span(event, starts[0], session_end(starts[0], session))}"
    return "at any time it can take place"


def group(rule: str, key: Key) -> str:
    """The instance of a forbidding rule that holds the wish at 0: one per (rule, session, role)."""
    return f"{rule}:{key[1]}:{key[2]}"


class Refused:
    """The wishes for some (session, role)s that rules forbid, with every forbidding rule, in words."""

    def __init__(self, v: Variables, keys: Sequence[Key]) -> None:
        self.v = v
        self.rules: dict[Key, list[str]] = {}
        for key in keys:
            applicant = v.event.applicant_by_id[key[0]]
            forbidding = [e.rule for e in v.exclusions(applicant, v.event.session_by_id[key[1]], key[2])]
            # A role the session does not have gets no variable even in explanations: nothing to relax.
            if forbidding and "session_roles" not in forbidding:
                self.rules[key] = forbidding

    def lines(self) -> list[str]:
        """`availability: P1 Ana is available 08:00-12:00 ...`, one per wish."""
        return [" and ".join(self._words(key)[0]) for key in sorted(self.rules)]

    def relaxations(self) -> list[str]:
        return [f"or {fix}" for key in sorted(self.rules) for fix in self._words(key)[1] if fix]

    def _words(self, key: Key) -> tuple[list[str], list[str]]:
        applicant = self.v.event.applicant_by_id[key[0]]
        session = self.v.event.session_by_id[key[1]]
        texts, fixes = [], []
        for name in self.rules[key]:
            text, fix = REGISTRY[name].refusal(self.v, applicant, session, key[2])
            texts.append(f"{name}: {text}")
            fixes.append(fix)
        return texts, fixes

    def blockers(self, need: int) -> list[str]:
        """The fewest forbidding instances that keep fewer than `need` of these wishes free: with them the
        conflict holds, and dropping any one of them frees enough wishes (empty when freeing every wish would not
        be enough)."""
        if need > len(self.rules):
            return []
        chosen = list(dict.fromkeys(group(r, k) for k, rules in sorted(self.rules.items()) for r in rules))

        def freed(instances: list[str]) -> int:
            return sum(not any(group(r, k) in instances for r in rules) for k, rules in self.rules.items())

        for instance in list(chosen):
            trial = [i for i in chosen if i != instance]
            if freed(trial) < need:
                chosen = trial
        return chosen


def hold_forbidden(rule: Rule, v: Variables, guards: Guards) -> None:
    """In an explanation's model, hold each wish the rule forbids at 0, one guard per (session, role)."""
    for key, var in v.x.items():
        if rule.name in v.forbidden_by.get(key, ()):
            instance = rule.instance(key[1], key[2], session=key[1], role=key[2])
            guards.enforce(v.model.add(var == 0), instance)


def forbidden_words(
    rule: Rule, v: Variables, instance: Instance, keys: Sequence[Key] = ()
) -> tuple[str, str]:
    """The people of an instance of `hold_forbidden` (or `keys`), each with what would lift the rule for them."""
    keys = keys or [
        k for k in v.keys(instance.session, Role(instance.role)) if rule.name in v.forbidden_by.get(k, ())
    ]
    texts, fixes = [], []
    for key in keys:
        applicant = v.event.applicant_by_id[key[0]]
        text, fix = rule.refusal(v, applicant, v.event.session_by_id[key[1]], key[2])
        texts.append(text)
        fixes.append(fix)
    return f"{rule.name}: " + "; ".join(texts), "; or ".join(f for f in fixes if f)
