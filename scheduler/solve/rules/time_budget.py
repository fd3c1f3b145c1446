"""time_budget: opening + interventions + discussion + report + closing fit in the session."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ortools.sat.python import cp_model

from scheduler.domain import Role
from scheduler.solve.rules.base import Guards, Instance, Rule, Wish
from scheduler.solve.rules.common import total
from scheduler.solve.rules.registry import register

if TYPE_CHECKING:
    from scheduler.solve.variables import Variables


@register
class TimeBudget(Rule):
    """A session with `segments` has no more speakers than its minutes leave room for (`speaker_capacity`); when
    group statements have minutes of their own, the minutes of the statements fit."""

    name = "time_budget"

    def constrain(self, v: Variables, guards: Guards) -> None:
        for session in v.event.sessions:
            keys = v.keys(session.id, Role.SPEAKER)
            segments = session.segments
            if segments is not None and segments.group_minutes != segments.intervention:
                # Group statements have minutes of their own: the statements' minutes must fit.
                lengths = [segments.statement_minutes(v.applicant(k)) for k in keys]
                room = session.minutes - segments.fixed_minutes()
                used = cp_model.LinearExpr.weighted_sum([v.x[k] for k in keys], lengths)
                guards.enforce(v.model.add(used <= room), self.instance(session.id, session=session.id))
                continue
            if session.speaker_capacity >= session.speakers[1]:
                continue
            ct = v.model.add(total(v, keys) <= session.speaker_capacity)
            guards.enforce(ct, self.instance(session.id, session=session.id))

    def words(self, v: Variables, instance: Instance) -> tuple[str, str]:
        session = v.event.session_by_id[instance.session]
        return (
            f"time_budget: {session.id} has time for {session.speaker_capacity} speakers",
            f"lengthen {session.id} or shorten its segments",
        )

    def full(self, wish: Wish) -> str | None:
        session = wish.session
        if wish.role is not Role.SPEAKER or session.speaker_capacity >= session.speakers[1]:
            return None
        if wish.taken < session.speaker_capacity:
            return None
        return f"the time budget of {session.minutes} minutes leaves room for {session.speaker_capacity} speakers"
