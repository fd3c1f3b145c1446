"""availability: the session lies inside the person's available window, in their own time zone."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from ortools.sat.python import cp_model

from scheduler.domain import Applicant, Event, Role, Session, Window
from scheduler.solve.rules.base import Guards, Instance, Rule, Wish
from scheduler.solve.rules.common import forbidden_words
from scheduler.solve.rules.registry import register
from scheduler.timeline import candidate_starts, event_span, local_span, person_tz, session_end

if TYPE_CHECKING:
    from scheduler.solve.variables import Variables


def widened(event: Event, applicant: Applicant, session: Session) -> tuple[int, dt.datetime, Window]:
    """The start of the session that the applicant's windows miss by the fewest minutes (how many), and the
    window that would cover it (a window widened at one end or both), on their own wall clock."""
    tz = person_tz(event, applicant)
    best: tuple[int, dt.datetime, Window] | None = None
    for start in candidate_starts(event, session):
        local = start.astimezone(tz)
        begin = local.hour * 60 + local.minute
        finish = begin + session.minutes
        for window in applicant.available:
            for shift in (0, -24 * 60):  # a window crossing midnight also covers the next day's early hours
                low, high = window.start + shift, window.end + shift
                missing = max(0, low - begin) + max(0, finish - high)
                if best is None or missing < best[0]:
                    best = (missing, start, Window(min(low, begin) - shift, max(high, finish) - shift))
    if best is None:  # available at any time: nothing to widen
        return 0, candidate_starts(event, session)[0], Window(0, 24 * 60)
    return best


@register
class Availability(Rule):
    """A wish gets no variable when the person is available at no start of the session; otherwise holding it
    implies that the session takes a start at which they are available. In an explanation's model both are
    guarded, one guard per (session, role), so that an explanation can name the people and their windows."""

    name = "availability"

    def forbids(self, v: Variables, applicant: Applicant, session: Session, role: Role) -> str | None:
        if v.slots(applicant, session):
            return None
        return "not available at any time the session can take place"

    def constrain(self, v: Variables, guards: Guards) -> None:
        # People available at the same starts share one literal "the session starts at one of these": each wish
        # implies it, and it is defined once over the starts (or their complement, whichever is shorter).
        window: dict[tuple[str, tuple[int, ...]], cp_model.IntVar] = {}
        for key, var in v.x.items():
            person, session, role = key
            instance = self.instance(session, role, session=session, role=role)
            slots = tuple(v.available_slots[person, session])
            placed = v.placed[session]
            if not slots:  # only in an explanation's model: the wish is forbidden
                guards.enforce(v.model.add(var == 0), instance)
                continue
            if len(slots) == len(placed):
                continue
            literal = window.get((session, slots))
            if literal is None:
                literal = v.model.new_bool_var(f"window[{session},{len(window)}]")
                inside = set(slots)
                outside = [lit for i, lit in enumerate(placed) if i not in inside]
                if len(slots) <= len(outside):
                    v.model.add(literal <= sum(placed[i] for i in slots))
                else:
                    v.model.add(literal + sum(outside) <= 1)
                window[session, slots] = literal
            ct = v.model.add_implication(var, literal).with_name(f"availability:{person}:{session}")
            if guards.enabled:
                guards.enforce(ct, instance)

    def words(self, v: Variables, instance: Instance) -> tuple[str, str]:
        keys = v.keys(instance.session, Role(instance.role))
        never = [k for k in keys if not v.available_slots[k[0], k[1]]]
        some = [k for k in keys if len(v.available_slots[k[0], k[1]]) < len(v.placed[k[1]])]
        return forbidden_words(self, v, instance, never or some)

    def refusal(self, v: Variables, applicant: Applicant, session: Session, role: Role) -> tuple[str, str]:
        event = v.event
        if not candidate_starts(event, session):  # the placement rule's conflict, not the person's
            return f"{applicant.id} {applicant.name}: {session.id} fits in no day window", ""
        missing, start, window = widened(event, applicant, session)
        windows = ", ".join(str(w) for w in applicant.available)
        span = local_span(event, applicant, start, session_end(start, session))
        zone = applicant.timezone or event.timezone
        if not missing:  # available at some starts only
            return (
                f"{applicant.id} {applicant.name} is available only {windows} in {zone}",
                f"ask {applicant.id} {applicant.name} to widen their window ({zone} time)",
            )
        place = "is" if session.is_fixed else "can take place at the nearest"
        return (
            f"{applicant.id} {applicant.name} is available {windows} in {zone}, and {session.id} {place} {span}",
            f"ask {applicant.id} {applicant.name} to widen their window to {window} ({zone} time)",
        )

    def barred(self, wish: Wish) -> str | None:
        start, end = wish.placement.start, wish.placement.end
        if wish.variables.available_at(wish.applicant, wish.session, start):
            return None
        return (
            f"not available at {event_span(wish.event, start, end)} "
            f"({local_span(wish.event, wish.applicant, start, end)})"
        )
