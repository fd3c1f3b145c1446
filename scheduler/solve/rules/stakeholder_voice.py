"""stakeholder_voice: at least min_stakeholder_speakers speakers of category stakeholder."""

from __future__ import annotations

from typing import TYPE_CHECKING

from scheduler.domain import Category, Role
from scheduler.solve.rules.base import Conflict, Guards, Instance, Rule
from scheduler.solve.rules.common import Refused, total, when
from scheduler.solve.rules.registry import register

if TYPE_CHECKING:
    from scheduler.solve.variables import Variables


@register
class StakeholderVoice(Rule):
    """A session with `min_stakeholder_speakers` hears at least that many stakeholder speakers."""

    name = "stakeholder_voice"

    def constrain(self, v: Variables, guards: Guards) -> None:
        for session in v.event.sessions:
            if session.min_stakeholder_speakers == 0:
                continue
            keys = [
                k for k in v.keys(session.id, Role.SPEAKER) if v.applicant(k).category is Category.STAKEHOLDER
            ]
            ct = v.model.add(total(v, keys) >= session.min_stakeholder_speakers)
            guards.enforce(ct, self.instance(session.id, session=session.id))

    def precheck(self, v: Variables) -> list[Conflict]:
        """Fewer stakeholders asked to speak, and may, than the session must hear."""
        event, conflicts = v.event, []
        for session in event.sessions:
            speakers = v.keys(session.id, Role.SPEAKER)
            found = sum(v.applicant(k).category is Category.STAKEHOLDER for k in speakers)
            if found >= session.min_stakeholder_speakers:
                continue
            refused = Refused(v, [
                k for k in v.excluded
                if k[1] == session.id and k[2] is Role.SPEAKER
                and event.applicant_by_id[k[0]].category is Category.STAKEHOLDER
            ])  # fmt: skip
            others = f" ({'; '.join(refused.lines())})" if refused.rules else ""
            conflicts.append(Conflict(
                (f"{self.name}:{session.id}", *refused.blockers(session.min_stakeholder_speakers - found)),
                f"stakeholder_voice: {session.id} needs {session.min_stakeholder_speakers} stakeholder speakers but "
                f"only {found} eligible stakeholder(s) available {when(event, session.id)} asked to speak "
                f"there{others}.",
                (f"lower min_stakeholder_speakers of {session.id} to {found}", *refused.relaxations()),
            ))  # fmt: skip
        return conflicts

    def words(self, v: Variables, instance: Instance) -> tuple[str, str]:
        session = v.event.session_by_id[instance.session]
        return (
            f"stakeholder_voice: {session.id} needs {session.min_stakeholder_speakers} stakeholder speakers",
            f"lower min_stakeholder_speakers of {session.id}",
        )
