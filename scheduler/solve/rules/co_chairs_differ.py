"""co_chairs_differ: the co-chairs of a session all differ in its `co_chairs_differ_in` column."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from scheduler.domain import Applicant, Role, Session
from scheduler.solve.rules.base import Conflict, Guards, Instance, Key, Rule, Wish
from scheduler.solve.rules.common import total
from scheduler.solve.rules.registry import register

if TYPE_CHECKING:
    from scheduler.solve.variables import Variables


def value_of(applicant: Applicant, column: str) -> str:
    """The applicant's value in an applicants column, as text (blank is a value of its own)."""
    return str(getattr(applicant, column))


def _by_value(v: Variables, session: Session, keys: list[Key]) -> dict[str, list[Key]]:
    """The keys grouped by the applicants' value in the session's co_chairs_differ_in column, by value."""
    groups: dict[str, list[Key]] = defaultdict(list)
    for key in keys:
        groups[value_of(v.applicant(key), session.co_chairs_differ_in)].append(key)
    return dict(sorted(groups.items()))


@register
class CoChairsDiffer(Rule):
    """In a session with `co_chairs_differ_in`, at most one co-chair of each value of that column."""

    name = "co_chairs_differ"

    def constrain(self, v: Variables, guards: Guards) -> None:
        for session in v.event.sessions:
            if not session.co_chairs_differ_in:
                continue
            for value, keys in _by_value(v, session, v.keys(session.id, Role.CO_CHAIR)).items():
                if len(keys) > 1:
                    ct = v.model.add(total(v, keys) <= 1)
                    guards.enforce(ct, self.instance(session.id, value or "blank", session=session.id))

    def precheck(self, v: Variables) -> list[Conflict]:
        """Fewer different values among the candidates than the session has co-chairs, while there are enough
        candidates (too few of them is `session_roles` alone) and no other rule refuses anyone who asked. The
        conflict names the session's co-chair count and, of the values several candidates share, the fewest
        whose limit of one leaves too few co-chairs."""
        conflicts = []
        for session in v.event.sessions:
            column = session.co_chairs_differ_in
            candidates = v.keys(session.id, Role.CO_CHAIR)
            refused = [k for k in v.excluded if k[1] == session.id and k[2] is Role.CO_CHAIR]
            if not column or len(candidates) < session.co_chairs or refused:
                continue  # too few candidates is session_roles'; with refused ones, the feasibility solve finds it
            groups = _by_value(v, session, candidates)
            if len(groups) >= session.co_chairs:
                continue
            # Each value held to one co-chair takes away its other candidates; enough of them leave too few.
            spare, limited = len(candidates) - session.co_chairs, []
            for value, keys in sorted(groups.items(), key=lambda item: (-len(item[1]), item[0])):
                if spare < 0:
                    break
                limited.append(value)
                spare -= len(keys) - 1
            found = "; ".join(f"{', '.join(k[0] for k in keys)}: {value or 'blank'}" for value, keys in groups.items())
            conflicts.append(Conflict(
                (f"session_roles:{session.id}:{Role.CO_CHAIR}",
                 *(f"{self.name}:{session.id}:{value or 'blank'}" for value in sorted(limited))),
                f"co_chairs_differ: {session.id} needs {session.co_chairs} co-chairs who differ in {column}, but the "
                f"candidates have {len(groups)} different value(s) ({found or 'no candidates'}).",
                (f"find a co-chair of another {column} for {session.id}",
                 f"or delete co_chairs_differ_in of {session.id}"),
            ))  # fmt: skip
        return conflicts

    def words(self, v: Variables, instance: Instance) -> tuple[str, str]:
        session = v.event.session_by_id[instance.session]
        value = instance.key.split(":", 2)[2]
        same = [
            k[0]
            for k in v.keys(session.id, Role.CO_CHAIR)
            if (value_of(v.applicant(k), session.co_chairs_differ_in) or "blank") == value
        ]
        return (
            f"co_chairs_differ: the co-chairs of {session.id} must differ in {session.co_chairs_differ_in} "
            f"(candidates {', '.join(same)} are all {value})",
            f"find a co-chair of another {session.co_chairs_differ_in} for {session.id}, or delete its "
            "co_chairs_differ_in",
        )

    def barred(self, wish: Wish) -> str | None:
        column = wish.session.co_chairs_differ_in
        if wish.role is not Role.CO_CHAIR or not column:
            return None
        mine = value_of(wish.applicant, column)
        for a in wish.assignments:
            if a.session == wish.session.id and a.role is Role.CO_CHAIR:
                other = wish.event.applicant_by_id[a.participant]
                if value_of(other, column) == mine:
                    return (
                        f"co-chair {other.id} is also of {column} {mine or 'blank'}, and the co-chairs of "
                        f"{wish.session.id} differ in it"
                    )
        return None
