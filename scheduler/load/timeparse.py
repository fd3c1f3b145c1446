"""Parsing of dates, times and availability windows as people type them in files."""

from __future__ import annotations

import datetime as dt
import re

from scheduler.domain import Window
from scheduler.load.problems import BadValue, shown

_TIME = re.compile(r"^\s*(\d{1,2})[:.h](\d{2})(?::(\d{2}))?\s*$")
# Excel stores dates as days since 1899-12-30 (the 1900 leap-year bug included).
_EXCEL_EPOCH = dt.datetime(1899, 12, 30)
# Registration systems in Europe export timestamps day first.
_DAY_FIRST_DATETIMES = ("%d.%m.%Y %H:%M", "%d.%m.%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S")


def parse_time(value: object) -> dt.time:
    """A wall-clock time from a TOML time, a datetime or text like `09:30`; ValueError otherwise."""
    if isinstance(value, dt.datetime):
        return value.time()
    if isinstance(value, dt.time):
        return value
    if isinstance(value, str):
        match = _TIME.match(value)
        if match:
            hours, minutes = int(match[1]), int(match[2])
            if hours < 24 and minutes < 60:
                return dt.time(hours, minutes)
    raise BadValue(f'"{shown(value)}" is not a time of day', "write it like 09:30")


def parse_date(value: object) -> dt.date:
    """A date from a TOML or Excel date, an Excel serial number (also as text, as in a CSV export), or text
    `YYYY-MM-DD` / `DD.MM.YYYY`, or the date of an ISO date and time (`2020-10-22 00:00:00`, as spreadsheet and
    registration exports write date columns)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and 1 <= value < 2958466:
        return (_EXCEL_EPOCH + dt.timedelta(days=int(value))).date()
    if isinstance(value, str):
        text = value.strip()
        if text.isdigit() and 10000 <= int(text) <= 99999:  # a date cell saved to CSV as its Excel serial
            return parse_date(int(text))
        for fmt in ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y", "%Y/%m/%d"):
            try:
                return dt.datetime.strptime(text, fmt).date()
            except ValueError:
                continue
        try:
            return dt.datetime.fromisoformat(text).date()
        except ValueError:
            pass
    raise BadValue(f'"{shown(value)}" is not a date', "write it like 2020-10-31 or 31.10.2020")


def parse_datetime(value: object) -> dt.datetime:
    """A naive datetime from an Excel datetime or serial, ISO text or day-first text (`22.10.2020 14:35`); dates
    alone mean midnight."""
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, int | float) and not isinstance(value, bool) and 1 <= value < 2958466:
        return _EXCEL_EPOCH + dt.timedelta(days=float(value))
    if isinstance(value, str):
        text = value.strip()
        try:
            return dt.datetime.fromisoformat(text).replace(tzinfo=None)
        except ValueError:
            pass
        for fmt in _DAY_FIRST_DATETIMES:
            try:
                return dt.datetime.strptime(text, fmt)
            except ValueError:
                continue
    return dt.datetime.combine(parse_date(value), dt.time())


def parse_windows(text: str) -> tuple[Window, ...]:
    """Windows like `08:00-20:00; 21:00-01:00` in minutes after midnight; an end before its start crosses midnight.

    `24:00` is accepted as the end of the day. A window may not be empty or longer than a day.
    """
    windows = []
    for raw in re.split(r"[;,]", text):
        part = raw.strip()
        if not part:
            continue
        pieces = re.split(r"\s*[-–—]\s*", part)
        not_a_window = BadValue(
            f'"{shown(part)}" is not a time window',
            "write it like 08:00-20:00, or 21:00-01:00 across midnight",
        )
        if len(pieces) != 2:
            raise not_a_window
        try:
            start, end = (_minutes(p, allow_24=i == 1) for i, p in enumerate(pieces))
        except ValueError:
            raise not_a_window from None
        if end == start:
            raise BadValue(f'"{shown(part)}" is empty: it starts and ends at the same time')
        if end < start:
            end += 24 * 60
        windows.append(Window(start, end))
    return tuple(sorted(windows))


def _minutes(text: str, *, allow_24: bool) -> int:
    if allow_24 and text.strip() in {"24:00", "24.00"}:
        return 24 * 60
    time = parse_time(text)
    return time.hour * 60 + time.minute


def covers(windows: tuple[Window, ...], start: dt.datetime, end: dt.datetime) -> bool:
    """Whether the local times `start`..`end` lie inside one of the windows.

    A window crossing midnight covers the early hours of the next day too, so each window is tried starting on
    the day of `start` and on the day before.
    """
    if not windows:
        return True
    # Wall-clock minutes, so that a DST change earlier that day does not shift the window.
    begin = start.hour * 60 + start.minute
    finish = begin + (end - start).total_seconds() / 60
    return any(
        w.start + shift <= begin and finish <= w.end + shift for w in windows for shift in (0, -24 * 60)
    )
