"""placement: sessions inside day windows, outside breaks, not overlapping, honouring after."""

from __future__ import annotations

import bisect
from collections import defaultdict
from typing import TYPE_CHECKING

from ortools.sat.python import cp_model

from scheduler.solve.rules.base import Guards, Instance, Rule
from scheduler.solve.rules.registry import register

if TYPE_CHECKING:
    from scheduler.solve.variables import Variables


@register
class Placement(Rule):
    """Each session takes exactly one of its possible starts (inside a day window, outside the breaks, or its
    fixed time: see `candidate_starts`); no two sessions overlap; a session starts after those in its `after`
    end (each ordering behind a guard)."""

    name = "placement"

    def constrain(self, v: Variables, guards: Guards) -> None:
        intervals = []
        for session in v.event.sessions:
            v.model.add_exactly_one(v.placed[session.id]).with_name(f"placement:{session.id}")
            intervals.append(
                v.model.new_fixed_size_interval_var(
                    v.start_minute[session.id], session.minutes, f"iv[{session.id}]"
                )
            )
        v.model.add_no_overlap(intervals).with_name("placement:no_overlap")
        # The same rule as cliques: at every possible start minute, at most one session is running. Redundant
        # for the search, it gives the LP relaxation the strength of the time-indexed formulation.
        running: dict[int, list[cp_model.IntVar]] = defaultdict(list)
        points = sorted({v.minute(start) for starts in v.starts.values() for start in starts})
        for session in v.event.sessions:
            for start, literal in zip(v.starts[session.id], v.placed[session.id], strict=True):
                begin = v.minute(start)
                first, last = (
                    bisect.bisect_left(points, begin),
                    bisect.bisect_left(points, begin + session.minutes),
                )
                for point in points[first:last]:
                    running[point].append(literal)
        for point, literals in sorted(running.items()):
            if len(literals) > 1:
                v.model.add_at_most_one(literals).with_name(f"placement:no_overlap:{point}")
        minutes = {s.id: s.minutes for s in v.event.sessions}
        for session in v.event.sessions:
            for other in session.after:
                ct = v.model.add(v.start_minute[session.id] >= v.start_minute[other] + minutes[other])
                guards.enforce(ct, self.instance(session.id, "after", other, session=session.id))

    def words(self, v: Variables, instance: Instance) -> tuple[str, str]:
        other = instance.key.rsplit(":", 1)[1]
        return (
            f"placement: {instance.session} must come after {other}",
            f'drop "{other}" from the after of {instance.session}',
        )
