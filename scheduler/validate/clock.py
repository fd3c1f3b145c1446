"""The validator's own reading of time: the starts a session could take and whether a person is available.

Written apart from the solver's `scheduler/timeline.py` on purpose: a mistake in either shows up as a plan the
validator refuses or a cost it recounts differently.
"""

from __future__ import annotations

import datetime as dt

import pytz

from scheduler.domain import Applicant, Event, Session

DAY = dt.timedelta(days=1)


def possible_starts(event: Event, session: Session) -> list[dt.datetime]:
    """Every start, in time order, on the `slot_minutes` grid counted from each day window's start, at which the
    session lies whole inside that window and outside every break (wall clock of the event's time zone)."""
    length = dt.timedelta(minutes=session.minutes)
    step = dt.timedelta(minutes=event.rules.slot_minutes)
    found = set()
    for day in event.days:
        first, last = dt.datetime.combine(day.date, day.start), dt.datetime.combine(day.date, day.end)
        pauses = [
            (dt.datetime.combine(b.date, b.start), dt.datetime.combine(b.date, b.end))
            for b in event.breaks
            if b.date == day.date
        ]
        steps = 0
        while first + steps * step + length <= last:
            wall = first + steps * step
            if all(wall + length <= begin or end <= wall for begin, end in pauses):
                found.add(event.localize(wall.date(), wall.time()))
            steps += 1
    return sorted(found)


def is_available(event: Event, applicant: Applicant, start: dt.datetime, end: dt.datetime) -> bool:
    """Whether `start`..`end` lies inside one of the person's windows on their own wall clock. A window is a
    time of day (its end past 24:00 when it crosses midnight), so it is tried on the start's local date and on
    the day before; the session's end is its local start plus its length, as a clock on the wall would show
    it had the zone no daylight-saving change in between."""
    if not applicant.available:
        return True
    local = start.astimezone(pytz.timezone(applicant.timezone or event.timezone)).replace(tzinfo=None)
    finish = local + (end - start)
    for window in applicant.available:
        for date in (local.date(), local.date() - DAY):
            midnight = dt.datetime.combine(date, dt.time())
            opens = midnight + dt.timedelta(minutes=window.start)
            closes = midnight + dt.timedelta(minutes=window.end)
            if opens <= local and finish <= closes:
                return True
    return False
