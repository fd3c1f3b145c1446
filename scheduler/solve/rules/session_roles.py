"""session_roles: each session gets exactly its moderators and rapporteurs, and min..max speakers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from scheduler.domain import Applicant, Role, Session
from scheduler.solve.rules.base import Conflict, Guards, Instance, Rule, Wish
from scheduler.solve.rules.common import Refused, total, when
from scheduler.solve.rules.registry import register

if TYPE_CHECKING:
    from scheduler.solve.variables import Variables


@register
class SessionRoles(Rule):
    """The number of people in each role of a session lies within the session's limits; a role the session does
    not have is never given (such wishes get no variable)."""

    name = "session_roles"

    def forbids(self, v: Variables, applicant: Applicant, session: Session, role: Role) -> str | None:
        return f"{session.id} has no {role} role" if session.role_count(role)[1] == 0 else None

    def constrain(self, v: Variables, guards: Guards) -> None:
        for session in v.event.sessions:
            for role in Role:
                low, high = session.role_count(role)
                if high == 0:
                    continue
                ct = v.model.add_linear_constraint(total(v, v.keys(session.id, role)), low, high)
                guards.enforce(ct, self.instance(session.id, role, session=session.id, role=role))

    def precheck(self, v: Variables) -> list[Conflict]:
        """Too few people asked for a role who may have it; those who cannot are named with the rule that
        forbids it and what would lift it."""
        conflicts = []
        for session in v.event.sessions:
            for role in Role:
                low = session.role_count(role)[0]
                found = len(v.keys(session.id, role))
                if found >= low:
                    continue
                refused = Refused(v, [k for k in v.excluded if k[1] == session.id and k[2] is role])
                asked = found + len(refused.rules)
                if asked == 0:
                    why = (
                        f"nobody asked to be {role} there (interest_only: a person takes only a role they asked "
                        "for)"
                    )
                else:
                    why = (
                        f"only {found} of the {asked} applicant(s) who asked may take it "
                        f"{when(v.event, session.id)}"
                    )
                    why += ": " + "; ".join(refused.lines()) if refused.rules else ""
                relax = [
                    f"find another {role} for {session.id}, or lower its number of {role}s to {found}",
                    *refused.relaxations(),
                ]
                conflicts.append(Conflict(
                    (f"{self.name}:{session.id}:{role}", *refused.blockers(low - found)),
                    f"session_roles: {session.id} needs {low} {role}(s), but {why}.",
                    tuple(relax),
                ))  # fmt: skip
        return conflicts

    def words(self, v: Variables, instance: Instance) -> tuple[str, str]:
        session = v.event.session_by_id[instance.session]
        role = Role(instance.role)
        low, high = session.role_count(role)
        count = f"{low}" if low == high else f"{low}-{high}"
        names = ", ".join(k[0] for k in v.allowed(session.id, role))
        return (
            f"session_roles: {session.id} needs {count} {role}(s) (candidates: {names or 'none'})",
            f"lower the {role}s of {session.id} or find more candidates",
        )

    def refusal(self, v: Variables, applicant: Applicant, session: Session, role: Role) -> tuple[str, str]:
        return f"{session.id} has no {role} role", ""

    def barred(self, wish: Wish) -> str | None:
        exclusion = wish.variables.excluded.get((wish.applicant.id, wish.session.id, wish.role))
        return exclusion.detail if exclusion is not None and exclusion.rule == self.name else None

    def full(self, wish: Wish) -> str | None:
        high = wish.session.role_count(wish.role)[1]
        if wish.taken < high:
            return None
        if _equal_holder(wish):
            if high == 1:
                return (
                    f"the {wish.role} place taken by an applicant who ranked it higher, balances the panel better or "
                    "equals them in everything the rules weigh"
                )
            return (
                f"all {high} {wish.role} places taken by applicants who ranked it higher, balance the panel better "
                "or equal them in everything the rules weigh"
            )
        if high == 1:
            return f"the {wish.role} place taken by an applicant who ranked it higher or balances the panel better"
        return f"all {high} {wish.role} places taken by applicants who ranked it higher or balance the panel better"


def _equal_holder(wish: Wish) -> bool:
    """Whether someone of the person's class (`Variables.classes`) holds the wish's role in the session."""
    classes = wish.variables.classes
    mine = classes.get(wish.applicant.id)
    return mine is not None and any(
        a.session == wish.session.id and a.role is wish.role and classes.get(a.participant) == mine
        for a in wish.assignments
    )
