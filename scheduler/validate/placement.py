"""`placement`: each session placed once, for its length, inside a day window, outside the breaks, at its fixed
time when it has one, overlapping no other session, and after the sessions it must follow."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter

from scheduler.domain import Event, Plan
from scheduler.validate.registry import Violation, hard


@hard("placement")
def check(event: Event, plan: Plan) -> list[Violation]:
    """Every placement of the plan that breaks the rule."""
    out = []
    placed = Counter(p.session for p in plan.placements)
    for session in event.sessions:
        if placed[session.id] != 1:
            out.append(Violation("placement", f"{session.id} is placed {placed[session.id]} times"))
    for unknown in sorted(set(placed) - set(event.session_by_id)):
        out.append(Violation("placement", f"{unknown} is not a session of the event"))
    spans = []
    for p in plan.placements:
        defined = event.session_by_id.get(p.session)
        if defined is None:
            continue
        start, end = p.start.astimezone(event.tz), p.end.astimezone(event.tz)
        spans.append((start, end, p.session))
        if end - start != dt.timedelta(minutes=defined.minutes):
            out.append(
                Violation("placement", f"{p.session} lasts {end - start}, not {defined.minutes} minutes")
            )
        if (
            defined.date is not None
            and defined.start is not None
            and p.start != event.localize(defined.date, defined.start)
        ):
            out.append(
                Violation("placement", f"{p.session} is not at its fixed time {defined.date} {defined.start}")
            )
        inside = any(
            event.localize(d.date, d.start) <= start and end <= event.localize(d.date, d.end)
            for d in event.days
        )
        if not inside:
            out.append(
                Violation("placement", f"{p.session} {start:%Y-%m-%d %H:%M}-{end:%H:%M} is outside the days")
            )
        for pause in event.breaks:
            if (
                start < event.localize(pause.date, pause.end)
                and event.localize(pause.date, pause.start) < end
            ):
                out.append(
                    Violation("placement", f"{p.session} overlaps the break {pause.date} {pause.start:%H:%M}")
                )
    spans.sort()
    for (_, end_a, a), (start_b, _, b) in itertools.pairwise(spans):
        if start_b < end_a:
            out.append(Violation("placement", f"{a} and {b} overlap"))
    when = {p.session: p for p in plan.placements}
    for session in event.sessions:
        for other in session.after:
            if session.id in when and other in when and when[session.id].start < when[other].end:
                out.append(Violation("placement", f"{session.id} starts before {other} ends"))
    return out
