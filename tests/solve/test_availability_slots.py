"""The model's availability slots against the validator's own reading of time, start by start, for people in
zones that share a clock and zones whose offset changes during a day of the event (the model reads each clock's
starts once: `Variables._clock`)."""

from __future__ import annotations

import datetime as dt

from ortools.sat.python import cp_model

from scheduler.domain import Day
from scheduler.load.timeparse import parse_windows
from scheduler.solve.variables import Variables
from scheduler.validate.clock import is_available
from tests.factories import event, person, session

# 1 November 2020: North America leaves daylight saving time at 02:00 local, during this day's window in Geneva.
DAYS = (
    Day(dt.date(2020, 10, 31), dt.time(6, 0), dt.time(20, 0)),
    Day(dt.date(2020, 11, 1), dt.time(6, 0), dt.time(20, 0)),
    Day(dt.date(2020, 11, 2), dt.time(6, 0), dt.time(20, 0)),
)
ZONES = (
    "America/New_York",  # changes within 1 November
    "America/Toronto",  # the same change at the same instant
    "America/Chicago",  # an hour later
    "America/Sao_Paulo",  # no change
    "Europe/Zurich",
    "Europe/Berlin",  # Zurich's clock
    "Asia/Almaty",
    "Asia/Kolkata",
    "Pacific/Auckland",
)
WINDOWS = ("01:00-03:30", "08:00-12:00", "22:00-02:00", "05:00-07:00; 13:00-14:00")


def test_slots_agree_with_the_validator_at_every_start() -> None:
    people = [
        person(f"P{i}", "S1:speaker", timezone=zone, available=parse_windows(window))
        for i, (zone, window) in enumerate((z, w) for z in ZONES for w in WINDOWS)
    ]
    ev = event([session(date=None, start=None, minutes=45)], people, days=DAYS)
    v = Variables.build(cp_model.CpModel(), ev)
    s = ev.sessions[0]
    starts = v.starts["S1"]
    assert len(starts) > 150
    mismatches = [
        (p.id, p.timezone, start)
        for p in people
        for i, start in enumerate(starts)
        if (i in v.slots(p, s)) != is_available(ev, p, start, start + dt.timedelta(minutes=s.minutes))
    ]
    assert mismatches == []
    # Zurich and Berlin share one clock; New York, which changes its offset within a date, is a clock of its own.
    assert v._clock("Europe/Zurich") == v._clock("Europe/Berlin")
    assert v._clock("America/New_York") == "America/New_York"
