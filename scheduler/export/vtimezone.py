"""VTIMEZONE components in the yearly-rule form that Outlook reads.

Why RRULE form and not `Calendar.add_missing_timezones()`: that writes every transition as RDATE lists;
Outlook approximates such a zone by one yearly rule and mislabels it, and ical.js (Thunderbird) misplaces
events when a zone carries long multi-valued RDATE lines (a 10:00 Europe/Zurich event on 29 March 2021 lands
at 09:00 UTC instead of 08:00). Outlook's own exports give one STANDARD and one DAYLIGHT with
`RRULE:FREQ=YEARLY;BYMONTH=..;BYDAY=..`, so that is what we write, derived from pytz's transitions for the
years asked and promised correct for those years (and the years between them) only.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from itertools import pairwise

import pytz
from icalendar import Timezone, TimezoneDaylight, TimezoneStandard
from pytz.tzinfo import DstTzInfo

_EPOCH = 1970  # year of the onset of observances that already held before the first year asked
_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")  # in datetime.weekday() order
_Info = tuple[timedelta, timedelta, str]  # pytz's (utcoffset, dst, tzname) after a transition


@dataclass(frozen=True)
class _Transition:
    utc: datetime  # naive UTC
    local: datetime  # wall clock before the change: what DTSTART and RDATE mean in STANDARD/DAYLIGHT
    offset_from: timedelta
    offset_to: timedelta
    name: str
    daylight: bool

    def key(self) -> tuple[bool, timedelta, timedelta, str, int, time]:
        """What transitions described by one yearly rule share."""
        local = self.local
        return (self.daylight, self.offset_from, self.offset_to, self.name, local.month, local.time())

    def readings(self) -> set[tuple[int, int]]:
        """The (n, weekday) readings of the date for BYDAY: its nth weekday of the month, and -1 if last."""
        day, weekday = self.local.day, self.local.weekday()
        found = {((day - 1) // 7 + 1, weekday)} if day <= 28 else set()
        if day + 7 > calendar.monthrange(self.local.year, self.local.month)[1]:
            found.add((-1, weekday))
        return found


def _is_daylight(before: _Info, after: _Info) -> bool:
    # Clocks going forward start daylight time. pytz's dst flag is not used: tzdata gives Europe/Dublin a
    # negative DST in winter, so pytz calls Irish winter time daylight where Windows and Outlook say standard.
    if after[0] != before[0]:
        return after[0] > before[0]
    return after[1] > timedelta(0)


def _transitions(tzid: str, first: int, last: int) -> tuple[_Info, list[_Transition]]:
    """The observance in force before `first` and the transitions whose local date falls in first..last."""
    tz = pytz.timezone(tzid)
    if not isinstance(tz, DstTzInfo):  # UTC and fixed-offset zones
        probe = datetime(first, 1, 1)
        return (tz.utcoffset(probe), timedelta(0), tz.tzname(probe)), []
    # pytz keeps the compiled tzdata in these attributes and has no public accessor for them.
    times: list[datetime] = tz._utc_transition_times  # type: ignore[attr-defined]
    infos: list[_Info] = tz._transition_info  # type: ignore[attr-defined]
    if last > times[-1].year >= 2037:
        raise ValueError(f"pytz lists the transitions of {tzid} only up to {times[-1].year}, not {last}")
    initial, found = infos[0], []
    for utc, (before, after) in zip(times[1:], pairwise(infos), strict=True):
        local = utc + before[0]
        if local.year < first:
            initial = after
        elif local.year <= last:
            found.append(_Transition(utc, local, before[0], after[0], after[2], _is_daylight(before, after)))
    return initial, found


def _runs(transitions: list[_Transition]) -> list[list[_Transition]]:
    """Group the transitions one yearly rule could describe: same key, one a year in consecutive years."""
    runs: list[list[_Transition]] = []
    latest: dict[object, list[_Transition]] = {}
    for transition in transitions:
        run = latest.get(transition.key())
        if run is not None and run[-1].local.year == transition.local.year - 1:
            run.append(transition)
        else:
            latest[transition.key()] = run = [transition]
            runs.append(run)
    return runs


def _is_seasonal(run: list[_Transition], runs: list[list[_Transition]]) -> bool:
    """True when a run going the other way shares a year with it: a DST rule, not a one-off change."""
    head, years = run[0], {t.local.year for t in run}
    return any(
        other is not run
        and other[0].offset_from == head.offset_to
        and other[0].offset_to == head.offset_from
        and years & {t.local.year for t in other}
        for other in runs
    )


def _nth_weekday(year: int, month: int, n: int, weekday: int) -> int:
    """Day of the month of its nth (or, for n = -1, last) given weekday."""
    days = [d for d, wd in calendar.Calendar().itermonthdays2(year, month) if d and wd == weekday]
    return days[n - 1] if n > 0 else days[-1]


def _byday(run: list[_Transition], runs: list[list[_Transition]]) -> tuple[int, int] | None:
    """The (n, weekday) of a yearly rule for the run; None for a one-off or dates no such rule fits."""
    common = set.intersection(*(t.readings() for t in run)) if _is_seasonal(run, runs) else set()
    # "last" when both readings fit, as tzdata's rules mostly say
    return min(common, key=lambda reading: reading[0] != -1) if common else None


def _observance(
    run: list[_Transition], byday: tuple[int, int] | None, from_epoch: bool, last: int
) -> TimezoneStandard | TimezoneDaylight:
    """The STANDARD or DAYLIGHT for a run, its rule starting in 1970 if `from_epoch`."""
    head = run[0]
    sub = TimezoneDaylight() if head.daylight else TimezoneStandard()
    sub.add("TZNAME", head.name)
    sub.add("TZOFFSETFROM", head.offset_from)
    sub.add("TZOFFSETTO", head.offset_to)
    if byday is None:
        sub.add("DTSTART", head.local)
        # One RDATE line per date, the first one too: ical.js reads only the first value of an RDATE line
        # and, once a sub-component has RDATE, no onset at DTSTART.
        for transition in run if len(run) > 1 else ():
            sub.add("RDATE", transition.local)
        return sub
    n, weekday = byday
    rule: dict[str, object] = {
        "FREQ": "YEARLY",
        "BYMONTH": head.local.month,
        "BYDAY": f"{n}{_WEEKDAYS[weekday]}",
    }
    if run[-1].local.year < last:
        rule["UNTIL"] = run[-1].utc.replace(tzinfo=UTC)  # RFC 5545: always UTC in STANDARD and DAYLIGHT
    start = head.local
    if from_epoch:
        start = start.replace(year=_EPOCH, day=_nth_weekday(_EPOCH, start.month, n, weekday))
    sub.add("DTSTART", start)
    sub.add("RRULE", rule)
    return sub


def vtimezone(tzid: str, years: Iterable[int]) -> Timezone:
    """Build the VTIMEZONE for the IANA zone `tzid`, correct for `years` and the years between them.

    Each DST rule becomes one DAYLIGHT and one STANDARD with a yearly RRULE (with UNTIL when the zone changed
    its rule within the years); one-off changes of offset keep their own DTSTART, and transitions that fit no
    nth or last weekday of a month are listed as RDATE. A zone without DST in the years gets one STANDARD.
    Raises pytz.UnknownTimeZoneError for an unknown zone, ValueError for no years or years pytz cannot tell.
    """
    asked = sorted(set(years))
    if not asked:
        raise ValueError("vtimezone() needs at least one year")
    first, last = asked[0], asked[-1]
    initial, transitions = _transitions(tzid, first, last)
    runs = _runs(transitions)
    rules = [_byday(run, runs) for run in runs]
    # The rules of the first year start in 1970, as Outlook's do, so that the previous year's last change sets
    # the offset of January. That needs every change of the first year to be a rule, and the year to end on
    # the offset it began with; otherwise the offset before the first year is stated and the rules start later.
    opening = [(run, rule) for run, rule in zip(runs, rules, strict=True) if run[0].local.year == first]
    from_epoch = (
        first > _EPOCH
        and bool(opening)
        and all(rule is not None for _, rule in opening)
        and opening[-1][0][0].offset_to == initial[0]
    )
    component = Timezone()
    component.add("TZID", tzid)
    if not from_epoch:
        base = TimezoneStandard()
        base.add("DTSTART", datetime(min(first, _EPOCH), 1, 1))
        base.add("TZOFFSETFROM", initial[0])
        base.add("TZOFFSETTO", initial[0])
        base.add("TZNAME", initial[2])
        component.add_component(base)
    for run, rule in zip(runs, rules, strict=True):
        component.add_component(_observance(run, rule, from_epoch and run[0].local.year == first, last))
    return component
