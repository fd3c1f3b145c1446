"""The rules that balance a panel: gender_balance, subregion_spread, stakeholder_group_spread."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING

from scheduler.domain import Applicant, Category, Role
from scheduler.solve.rules.base import Key, Rule, Term, Wish
from scheduler.solve.rules.common import total
from scheduler.solve.rules.registry import register

if TYPE_CHECKING:
    from scheduler.solve.variables import Variables


def _panel(wish: Wish, roles: tuple[Role, ...]) -> list[Applicant]:
    people = wish.event.applicant_by_id
    return [
        people[a.participant] for a in wish.assignments if a.session == wish.session.id and a.role in roles
    ]


@register
class GenderBalance(Rule):
    """Each person of imbalance beyond one between women and men in a panel (moderators and speakers)."""

    name = "gender_balance"

    def terms(self, v: Variables, ordinary: Sequence[Term]) -> list[Term]:
        terms = []
        for session in v.event.sessions:
            panel = v.keys(session.id, Role.MODERATOR) + v.keys(session.id, Role.SPEAKER)
            women = total(v, [k for k in panel if v.applicant(k).gender == "f"])
            men = total(v, [k for k in panel if v.applicant(k).gender == "m"])
            size = session.moderators + session.speakers[1]
            excess = v.model.new_int_var(0, size, f"gender_excess[{session.id}]")
            v.model.add(excess >= women - men - 1)
            v.model.add(excess >= men - women - 1)
            terms.append(excess)
        return [Term(self.name, self.weight_of(v.event.rules), sum(terms))] if terms else []

    def cost(self, wish: Wish) -> str | None:
        gender = wish.applicant.gender
        if gender not in ("f", "m"):
            return None
        panel = _panel(wish, (Role.MODERATOR, Role.SPEAKER))
        same = sum(p.gender == gender for p in panel)
        other = sum(p.gender == ("m" if gender == "f" else "f") for p in panel)
        return self.name if same - other >= 1 else None


class _Spread(Rule):
    """Each speaker beyond a limit from one group (the rule's `label` of a person) in a session."""

    def label(self, applicant: Applicant) -> str:
        raise NotImplementedError

    def limit(self, v: Variables) -> int:
        raise NotImplementedError

    def terms(self, v: Variables, ordinary: Sequence[Term]) -> list[Term]:
        limit, terms = self.limit(v), []
        for session in v.event.sessions:
            groups: dict[str, list[Key]] = defaultdict(list)
            for key in v.keys(session.id, Role.SPEAKER):
                if name := self.label(v.applicant(key)):
                    groups[name].append(key)
            for name, keys in sorted(groups.items()):
                if len(keys) <= limit:
                    continue
                excess = v.model.new_int_var(0, len(keys) - limit, f"{self.name}[{session.id},{name}]")
                v.model.add(excess >= total(v, keys) - limit)
                terms.append(excess)
        return [Term(self.name, self.weight_of(v.event.rules), sum(terms))] if terms else []

    def cost(self, wish: Wish) -> str | None:
        name = self.label(wish.applicant)
        if wish.role is not Role.SPEAKER or not name:
            return None
        same = sum(self.label(p) == name for p in _panel(wish, (Role.SPEAKER,)))
        return f"{self.name}: {name}" if same >= self.limit(wish.variables) else None


@register
class SubregionSpread(_Spread):
    """Each speaker beyond `max_same_subregion` from one subregion in a session."""

    name = "subregion_spread"

    def label(self, applicant: Applicant) -> str:
        return applicant.subregion

    def limit(self, v: Variables) -> int:
        return v.event.rules.max_same_subregion


@register
class StakeholderGroupSpread(_Spread):
    """Each stakeholder speaker beyond `max_same_stakeholder_group` from one group in a session."""

    name = "stakeholder_group_spread"

    def label(self, applicant: Applicant) -> str:
        return applicant.stakeholder_group if applicant.category is Category.STAKEHOLDER else ""

    def limit(self, v: Variables) -> int:
        return v.event.rules.max_same_stakeholder_group
