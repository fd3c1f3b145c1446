"""objective_coverage: every objective of a session is declared by at least one of its speakers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from scheduler.domain import Role
from scheduler.solve.rules.base import Conflict, Guards, Instance, Rule
from scheduler.solve.rules.common import Refused, when
from scheduler.solve.rules.registry import register

if TYPE_CHECKING:
    from scheduler.solve.variables import Variables


@register
class ObjectiveCoverage(Rule):
    """For each objective of a session, at least one assigned speaker declared it."""

    name = "objective_coverage"

    def constrain(self, v: Variables, guards: Guards) -> None:
        for session in v.event.sessions:
            speakers = v.keys(session.id, Role.SPEAKER)
            for objective in session.objectives:
                declaring = [k for k in speakers if objective in v.applicant(k).objectives]
                ct = v.model.add_bool_or([v.x[k] for k in declaring])
                guards.enforce(
                    ct, self.instance(session.id, objective, session=session.id, objective=objective)
                )

    def precheck(self, v: Variables) -> list[Conflict]:
        """An objective that none of the speakers who may speak declared."""
        event, conflicts = v.event, []
        for session in event.sessions:
            speakers = v.keys(session.id, Role.SPEAKER)
            for objective in session.objectives:
                if any(objective in v.applicant(k).objectives for k in speakers):
                    continue
                refused = Refused(v, [
                    k for k in v.excluded
                    if k[1] == session.id and k[2] is Role.SPEAKER
                    and objective in event.applicant_by_id[k[0]].objectives
                ])  # fmt: skip
                label = event.objective_titles.get(objective, "")
                others = f" ({'; '.join(refused.lines())})" if refused.rules else ""
                conflicts.append(Conflict(
                    (f"{self.name}:{session.id}:{objective}", *refused.blockers(1)),
                    f"objective_coverage: {session.id} needs objective {objective}"
                    f"{f' ({label})' if label else ''} but no eligible applicant available "
                    f"{when(event, session.id)} declared it among those who asked to speak there{others}.",
                    (
                        f"invite a speaker on objective {objective} to {session.id}",
                        f"or remove objective {objective} from {session.id}",
                        *refused.relaxations(),
                    ),
                ))  # fmt: skip
        return conflicts

    def words(self, v: Variables, instance: Instance) -> tuple[str, str]:
        declared = [
            k[0]
            for k in v.allowed(instance.session, Role.SPEAKER)
            if instance.objective in v.applicant(k).objectives
        ]
        return (
            f"objective_coverage: {instance.session} needs a speaker on objective {instance.objective} "
            f"(only {', '.join(declared) or 'nobody'} declared it)",
            f"remove objective {instance.objective} from {instance.session} or invite a speaker on it",
        )
