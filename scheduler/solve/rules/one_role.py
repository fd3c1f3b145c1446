"""one_role: at most max_roles_per_person roles per person, never two in one session."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from scheduler.solve.rules.base import Guards, Instance, Key, Rule
from scheduler.solve.rules.common import total
from scheduler.solve.rules.registry import register

if TYPE_CHECKING:
    from scheduler.solve.variables import Variables


@register
class OneRole(Rule):
    """At most `max_roles_per_person` roles per person, and (when more than one is allowed) never two roles in
    one session."""

    name = "one_role"

    def constrain(self, v: Variables, guards: Guards) -> None:
        limit = v.event.rules.max_roles_per_person
        for person, keys in v.by_person.items():
            if len(keys) > limit:
                ct = v.model.add(total(v, keys) <= limit)
                guards.enforce(ct, self.instance(person, participant=person))
            by_session: dict[str, list[Key]] = defaultdict(list)
            for key in keys:
                by_session[key[1]].append(key)
            for session, same in by_session.items():
                if len(same) > 1 and limit > 1:
                    ct = v.model.add_at_most_one(v.x[k] for k in same)
                    guards.enforce(ct, self.instance(person, session, session=session, participant=person))

    def words(self, v: Variables, instance: Instance) -> tuple[str, str]:
        applicant = v.event.applicant_by_id[instance.participant]
        return (
            f"one_role: {applicant.id} {applicant.name} may hold {v.event.rules.max_roles_per_person} role(s)",
            "raise max_roles_per_person in [rules]",
        )
