"""Time facts of an event: when a session may start, and whether a person is available then, in their own zone.

Shared by the solver and the validator; pure functions of the event, no solver.
"""

from __future__ import annotations

import datetime as dt
import functools

import pytz

from scheduler.domain import Applicant, Break, Day, Event, Session


def person_tz(event: Event, applicant: Applicant) -> dt.tzinfo:
    return pytz.timezone(applicant.timezone or event.timezone)


def session_end(start: dt.datetime, session: Session) -> dt.datetime:
    """The end of a session starting at `start`: real elapsed minutes, shown in the start's zone."""
    end = start + dt.timedelta(minutes=session.minutes)
    tz = start.tzinfo
    return tz.normalize(end) if isinstance(tz, pytz.BaseTzInfo) else end


def candidate_starts(event: Event, session: Session) -> list[dt.datetime]:
    """Every start the session may have: its fixed time, or each slot of a day window where it fits whole,
    outside the breaks, on the `slot_minutes` grid counted from the day's start (event time zone)."""
    if session.date is not None and session.start is not None:  # a fixed session
        return [event.localize(session.date, session.start)]
    # Sessions of the same length share their starts: computed once per length (a long event has thousands).
    return list(
        _grid_starts(event.timezone, event.days, event.breaks, event.rules.slot_minutes, session.minutes)
    )


@functools.lru_cache(maxsize=64)
def _grid_starts(
    timezone: str, days: tuple[Day, ...], breaks: tuple[Break, ...], slot_minutes: int, minutes: int
) -> tuple[dt.datetime, ...]:
    tz = pytz.timezone(timezone)
    step = dt.timedelta(minutes=slot_minutes)
    starts = []
    for day in days:
        wall = dt.datetime.combine(day.date, day.start)
        day_end = dt.datetime.combine(day.date, day.end)
        pauses = [
            (dt.datetime.combine(b.date, b.start), dt.datetime.combine(b.date, b.end))
            for b in breaks
            if b.date == day.date
        ]
        while wall + dt.timedelta(minutes=minutes) <= day_end:
            wall_end = wall + dt.timedelta(minutes=minutes)
            if not any(wall < end and begin < wall_end for begin, end in pauses):
                starts.append(tz.localize(wall))
            wall += step
    # In time order whatever the order of the days: the model counts early_placement by this order.
    return tuple(sorted(set(starts)))


def local_span(event: Event, applicant: Applicant, start: dt.datetime, end: dt.datetime) -> str:
    """`03:45-05:30 in America/New_York` (with the date when it differs from the event's), for messages."""
    return _local_span(applicant.timezone or event.timezone, start, start.utcoffset(), end)


def event_span(event: Event, start: dt.datetime, end: dt.datetime) -> str:
    """`12 Nov 13:30-15:30 CET`, in the event's time zone."""
    return _event_span(event.timezone, start, end)


# The waiting list's reasons name the same few sessions' times for thousands of people. Aware datetimes are
# equal at the same instant whatever their zone, so the start's offset is part of the key where its date counts.
@functools.lru_cache(maxsize=4096)
def _local_span(zone: str, start: dt.datetime, offset: dt.timedelta | None, end: dt.datetime) -> str:
    tz = pytz.timezone(zone)
    local_start, local_end = start.astimezone(tz), end.astimezone(tz)
    date = "" if local_start.date() == start.date() else f" on {local_start:%d %b}"
    return f"{local_start:%H:%M}-{local_end:%H:%M}{date} in {zone}"


@functools.lru_cache(maxsize=4096)
def _event_span(zone: str, start: dt.datetime, end: dt.datetime) -> str:
    tz = pytz.timezone(zone)
    local_start, local_end = start.astimezone(tz), end.astimezone(tz)
    return f"{local_start:%d %b %H:%M}-{local_end:%H:%M} {local_start:%Z}"
