"""The balance of each panel:

- `gender_balance`: each person of imbalance beyond one between women and men among moderators and speakers;
- `subregion_spread`: each speaker beyond `max_same_subregion` from one subregion;
- `stakeholder_group_spread`: each stakeholder speaker beyond `max_same_stakeholder_group` from one group.
"""

from __future__ import annotations

from collections import Counter

from scheduler.domain import Category, Event, Plan, Role
from scheduler.validate.registry import Penalty, soft


@soft("gender_balance")
def gender_balance(event: Event, plan: Plan, previous: Plan | None) -> list[Penalty]:
    """One item per panel whose women and men differ by more than one."""
    people = event.applicant_by_id
    items = []
    for session in event.sessions:
        panel = [
            people[p] for role in (Role.MODERATOR, Role.SPEAKER) for p in plan.assigned(session.id, role)
        ]
        women, men = sum(p.gender == "f" for p in panel), sum(p.gender == "m" for p in panel)
        if abs(women - men) > 1:
            items.append(
                Penalty("gender_balance", abs(women - men) - 1, f"{session.id}: {women} women, {men} men")
            )
    return items


@soft("subregion_spread")
def subregion_spread(event: Event, plan: Plan, previous: Plan | None) -> list[Penalty]:
    """One item per (session, subregion) with more speakers than allowed."""
    people, limit = event.applicant_by_id, event.rules.max_same_subregion
    items = []
    for session in event.sessions:
        speakers = [people[p] for p in plan.assigned(session.id, Role.SPEAKER)]
        for region, count in sorted(Counter(p.subregion for p in speakers if p.subregion).items()):
            if count > limit:
                items.append(
                    Penalty(
                        "subregion_spread", count - limit, f"{session.id}: {count} speakers from {region}"
                    )
                )
    return items


@soft("stakeholder_group_spread")
def stakeholder_group_spread(event: Event, plan: Plan, previous: Plan | None) -> list[Penalty]:
    """One item per (session, stakeholder group) with more speakers than allowed."""
    people, limit = event.applicant_by_id, event.rules.max_same_stakeholder_group
    items = []
    for session in event.sessions:
        speakers = [people[p] for p in plan.assigned(session.id, Role.SPEAKER)]
        groups = Counter(p.stakeholder_group for p in speakers if p.category is Category.STAKEHOLDER)
        for group, count in sorted(groups.items()):
            if count > limit:
                items.append(
                    Penalty(
                        "stakeholder_group_spread",
                        count - limit,
                        f"{session.id}: {count} speakers of {group}",
                    )
                )
    return items
