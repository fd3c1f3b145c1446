"""interest_only: a person gets only a (session, role) they asked for, or their fixed assignment."""

from __future__ import annotations

from typing import TYPE_CHECKING

from scheduler.solve.rules.base import Conflict, Guards, Instance, Rule
from scheduler.solve.rules.common import Refused
from scheduler.solve.rules.registry import register

if TYPE_CHECKING:
    from scheduler.solve.variables import Variables


@register
class InterestOnly(Rule):
    """Only wishes (interests and fixed assignments) get a variable, so nobody is drafted into a role they did not
    ask for; what remains to constrain is that every fixed assignment holds."""

    name = "interest_only"

    def constrain(self, v: Variables, guards: Guards) -> None:
        for applicant in v.event.applicants:
            for session, role in applicant.fixed:
                key = (applicant.id, session, role)
                instance = self.instance(applicant.id, session, role, session=session, participant=applicant.id,
                                         role=role)  # fmt: skip
                if key in v.x:
                    guards.enforce(v.model.add(v.x[key] == 1), instance)
                else:
                    guards.enforce(v.model.add_bool_or([]), instance)

    def precheck(self, v: Variables) -> list[Conflict]:
        """A fixed assignment that another rule forbids."""
        conflicts = []
        for applicant in v.event.applicants:
            for session_id, role in applicant.fixed:
                key = (applicant.id, session_id, role)
                if key not in v.excluded:
                    continue
                refused = Refused(v, [key])
                conflicts.append(
                    Conflict(
                        (f"{self.name}:{applicant.id}:{session_id}:{role}", *refused.blockers(1)),
                        f"interest_only: {applicant.id} {applicant.name} is fixed as {role} of {session_id}, but "
                        + ("; ".join(refused.lines()) or f"{session_id} has no {role} role")
                        + ".",
                        (f"remove the fixed assignment of {applicant.id}", *refused.relaxations()),
                    )
                )
        return conflicts

    def words(self, v: Variables, instance: Instance) -> tuple[str, str]:
        return (
            f"interest_only: {instance.participant} is fixed as {instance.role} of {instance.session}",
            f"remove the fixed assignment of {instance.participant}",
        )
