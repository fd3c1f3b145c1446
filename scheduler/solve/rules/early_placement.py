"""early_placement: each possible start earlier than the one a placed session takes.

By default the rule weighs nothing in the objective and is met after the solve instead (`compact`): each session
the solver places moves to the earliest start at which every rule still holds with the same people. Weighed in the
objective (`weight_early_placement` > 0), earliness is traded against the other soft rules, and proving such a plan
optimal means solving the packing of sessions into the gaps of the timetable exactly: minutes instead of seconds on
a long event (measured in benchmarks/)."""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING

from scheduler.domain import Assignment, Placement
from scheduler.solve.rules.base import Rule, Term
from scheduler.solve.rules.registry import register
from scheduler.timeline import session_end

if TYPE_CHECKING:
    from scheduler.solve.variables import Variables


@register
class EarlyPlacement(Rule):
    """A session placed at its n-th possible start (counted from 0 on the slot grid) costs n units: among
    otherwise equal plans, sessions come early."""

    name = "early_placement"

    def terms(self, v: Variables, ordinary: Sequence[Term]) -> list[Term]:
        expr = [
            index * lit
            for session in v.event.sessions
            for index, lit in zip(v.start_index[session.id], v.placed[session.id], strict=True)
            if index > 0
        ]
        return [Term(self.name, self.weight_of(v.event.rules), sum(expr))] if expr else []


def compact(v: Variables, placements: list[Placement], assignments: list[Assignment]) -> list[Placement]:
    """The placements with each session the solver places moved to its earliest start at which its people are
    available, it overlaps no other session and it still follows those in its `after`; repeated in time order
    until no session moves. Nothing else changes, so no other rule's cost does: a session that the published
    plan placed is left where it is (moving it would cost stability), and a move only lowers early_placement."""
    event = v.event
    published = {p.session for p in v.previous.placements} if v.previous else set()
    people: dict[str, list[str]] = defaultdict(list)
    for assignment in assignments:
        people[assignment.session].append(assignment.participant)
    minutes = {s.id: s.minutes for s in event.sessions}
    index = {p.session: v.starts[p.session].index(p.start) for p in placements}
    when = {sid: v.start_minutes[sid][i] for sid, i in index.items()}
    movable = [s for s in event.sessions if len(v.starts[s.id]) > 1 and s.id not in published]
    moved = True
    while moved:
        moved = False
        for session in sorted(movable, key=lambda s: when[s.id]):
            sid = session.id
            others = sorted((when[o], when[o] + minutes[o]) for o in when if o != sid)
            begins = [begin for begin, _ in others]
            earliest = max((when[o] + minutes[o] for o in session.after), default=None)
            usable = [set(v.available_slots[person, sid]) for person in people[sid]]
            for i in range(index[sid]):
                begin = v.start_minutes[sid][i]
                if earliest is not None and begin < earliest:
                    continue
                before = bisect.bisect_left(begins, begin + minutes[sid])
                if before and others[before - 1][1] > begin:
                    continue  # the last session to begin before this one ends is still running
                if all(i in slots for slots in usable):
                    index[sid], when[sid], moved = i, begin, True
                    break
    result = []
    for p in placements:
        start = v.starts[p.session][index[p.session]]
        result.append(
            p
            if start == p.start
            else Placement(p.session, start, session_end(start, event.session_by_id[p.session]))
        )
    return result
