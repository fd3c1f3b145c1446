"""Pictures for people who would rather look than read: the days as a timeline with the local-time bands of
where speakers connect from (`agenda.png`), and objectives x sessions coverage (`coverage.png`)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from pathlib import Path

import matplotlib as mpl
import pytz

mpl.use("Agg")  # files only, never a window

import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle

from scheduler.timeline import person_tz
from scheduler.views import PlanView, SessionView

KIND_COLOURS = {
    "consultation": "#6a8caf",
    "opening": "#1f4e79",
    "roundtable": "#2e75b6",
    "closing": "#1f4e79",
    "other": "#7f7f7f",
}
# Local hour -> shade: night is dark, working hours are light, early morning and evening in between.
NIGHT, EDGE, DAY = "#26324a", "#9fb3c8", "#f4f1de"
BREAK, OUTLINE, HATCH = "#d9d9d9", "#a6a6a6", "//"
# What each shading means, in the agenda's legend: (label, colour, hatch).
SHADES = (
    ("local working hours, 08:00-18:00", DAY, ""),
    ("local early morning 07:00-08:00 or evening 18:00-22:00", EDGE, ""),
    ("local night, 22:00-07:00", NIGHT, ""),
    ("break", BREAK, HATCH),
)
METADATA = {"Software": None}  # no library version in the file: same plan, same picture
DPI = 110
# A picture of a long event would be metres long, unreadable on screen or on its page of agenda.xlsx, and slow to
# draw: the timeline shows the first days and the coverage the first sessions, and each says so (the workbook's
# sheets list everything).
MAX_DAYS = 10
MAX_SESSIONS = 20


def _hour_colour(hour: int) -> str:
    if 8 <= hour < 18:
        return DAY
    if 7 <= hour < 8 or 18 <= hour < 22:
        return EDGE
    return NIGHT


def _minutes(when: dt.datetime) -> float:
    return when.hour * 60 + when.minute


def agenda_picture(view: PlanView, path: Path) -> None:
    """`agenda_figure` as a PNG at `path`."""
    figure = agenda_figure(view)
    figure.savefig(path, dpi=DPI, metadata=METADATA)
    plt.close(figure)


def agenda_figure(view: PlanView) -> Figure:
    """One panel per day: the sessions and breaks in event time, and under them one band per time zone that
    assigned people connect from, shaded by their local hour (night dark, working day light), with a legend of
    the shadings. The layout makes room for the longest row label and the legend."""
    event = view.event
    every_day = sorted({d.date for d in event.days})
    days = every_day[:MAX_DAYS]
    bands_by_day = {day: _bands(view, day) for day in days}
    rows = [1 + len(bands_by_day[d]) for d in days]
    figure, axes = plt.subplots(
        len(days), 1, figsize=(12, 1.5 + 0.45 * sum(rows) + 0.6 * len(days)), squeeze=False,
        gridspec_kw={"height_ratios": rows}, layout="constrained", dpi=DPI,
    )  # fmt: skip
    for axis, day in zip(axes[:, 0], days, strict=True):
        _day_panel(view, axis, day, bands_by_day[day])
    title = f"Programme in {event.timezone} time; bands: local time where the assigned people connect from (people)"
    if len(days) < len(every_day):
        title += f"\nThe first {len(days)} of {len(every_day)} days; the Programme sheet of agenda.xlsx has them all"
    figure.suptitle(title, fontsize=9)
    # Outlined: the working-hours shade is nearly as light as the page.
    shades = [Patch(facecolor=c, edgecolor=OUTLINE, hatch=h or None, label=label) for label, c, h in SHADES]
    figure.legend(handles=shades, loc="outside lower center", ncols=len(shades), fontsize=7, frameon=False)
    return figure


def _bands(view: PlanView, day: dt.date) -> list[tuple[str, str, int]]:
    """One band per UTC offset that people assigned that day connect from: (a zone, label, people)."""
    noon = view.event.localize(day, dt.time(12))
    groups: dict[dt.timedelta, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for session in view.sessions:
        if session.start.date() == day:
            for person in session.people():
                zone = str(person_tz(view.event, person))
                groups[noon.astimezone(pytz.timezone(zone)).utcoffset() or dt.timedelta()][zone] += 1
    bands = []
    for offset, zones in sorted(groups.items()):
        hours = offset.total_seconds() / 3600
        places = sorted(zones, key=lambda z: -zones[z])
        cities = ", ".join(z.rsplit("/", 1)[-1].replace("_", " ") for z in places[:3])
        more = ", ..." if len(places) > 3 else ""
        bands.append(
            (places[0], f"UTC{hours:+g}: {cities}{more} ({sum(zones.values())})", sum(zones.values()))
        )
    return bands


def _day_panel(view: PlanView, axis: Axes, day: dt.date, bands: list[tuple[str, str, int]]) -> None:
    event = view.event
    windows = [d for d in event.days if d.date == day]
    start = min(d.start for d in windows)
    end = max(d.end for d in windows)
    first = max(0, start.hour - 1) * 60
    last = min(24 * 60, (end.hour + 2) * 60)
    height = 1 + len(bands)
    axis.set_xlim(first, last)
    axis.set_ylim(0, height)
    axis.invert_yaxis()
    sessions: list[SessionView] = [s for s in view.sessions if s.start.date() == day]
    for s in sessions:
        left, width = _minutes(s.start), s.session.minutes
        colour = KIND_COLOURS.get(s.session.kind.value, "#7f7f7f")
        axis.add_patch(Rectangle((left, 0.1), width, 0.8, color=colour))
        axis.text(left + width / 2, 0.5, f"{s.id}\n{s.start:%H:%M}-{s.end:%H:%M}", ha="center", va="center",
                  color="white", fontsize=7)  # fmt: skip
    for pause in event.breaks:
        if pause.date == day:
            left = pause.start.hour * 60 + pause.start.minute
            width = pause.end.hour * 60 + pause.end.minute - left
            axis.add_patch(Rectangle((left, 0.1), width, 0.8, facecolor=BREAK, hatch=HATCH, edgecolor=OUTLINE))
    hours = range(first, last, 60)
    for row, (zone, _, _) in enumerate(bands, start=1):
        tz = pytz.timezone(zone)
        local = [event.localize(day, dt.time(minute // 60)).astimezone(tz) for minute in hours]
        colours = [_hour_colour(t.hour) for t in local]
        # One collection per band rather than a rectangle per hour, which made long events slow to draw.
        axis.broken_barh([(minute, 60) for minute in hours], (row + 0.15, 0.7), color=colours)
        for minute, time, colour in zip(hours, local, colours, strict=True):
            axis.text(minute + 30, row + 0.5, f"{time:%H:%M}", ha="center", va="center", fontsize=6,
                      color="white" if colour == NIGHT else "black")  # fmt: skip
    labels = ["programme"] + [label for _, label, _ in bands]
    axis.set_yticks([r + 0.5 for r in range(height)], labels, fontsize=7)
    ticks = list(range(first, last + 1, 60))
    axis.set_xticks(ticks, [f"{t // 60:02d}:00" for t in ticks], fontsize=7)
    axis.set_title(f"{day:%A %d %B %Y}", fontsize=9, loc="left")
    axis.tick_params(length=0)
    for spine in axis.spines.values():
        spine.set_visible(False)


def coverage_picture(view: PlanView, path: Path) -> None:
    """Objectives (rows) x sessions with objectives (columns): how many assigned speakers address each one.
    The cells of a session's own objectives are framed; an empty framed cell would be a broken rule."""
    event = view.event
    every_session = [s for s in view.sessions if s.session.objectives]
    sessions = every_session[:MAX_SESSIONS]
    numbers = sorted(set(event.objective_titles) | {o for s in every_session for o in s.session.objectives})
    if not sessions or not numbers:
        figure, axis = plt.subplots(figsize=(6, 1.5))
        axis.axis("off")
        axis.text(0.5, 0.5, "No session of this event has objectives.", ha="center", va="center")
        figure.savefig(path, dpi=DPI, metadata=METADATA)
        plt.close(figure)
        return
    counts = [[len(view.coverage(s.id, n)) for s in sessions] for n in numbers]
    top = max(max(row) for row in counts) or 1
    figure, axis = plt.subplots(figsize=(2.5 + 1.1 * len(sessions), 0.8 + 0.32 * len(numbers)))
    colours = LinearSegmentedColormap.from_list("coverage", ["#ffffff", "#2e75b6"])
    axis.imshow(counts, cmap=colours, vmin=0, vmax=top, aspect="auto")
    for row, number in enumerate(numbers):
        for column, s in enumerate(sessions):
            own = number in s.session.objectives
            if own:
                axis.add_patch(
                    Rectangle((column - 0.5, row - 0.5), 1, 1, fill=False, edgecolor="#1f4e79", lw=1.5)
                )
            value = counts[row][column]
            if value or own:
                axis.text(column, row, str(value), ha="center", va="center", fontsize=7,
                          color="white" if value > top / 2 else "black")  # fmt: skip
    axis.set_xticks(range(len(sessions)), [s.id for s in sessions], fontsize=8)
    labels = [f"{n} {event.objective_titles.get(n, '')}".strip() for n in numbers]
    # The labels come from objectives.csv: "$" there is a currency, not the start of matplotlib's math markup.
    axis.set_yticks(range(len(numbers)), labels, fontsize=7, parse_math=False)
    axis.xaxis.tick_top()
    title = "Assigned speakers addressing each objective (framed: the session's own objectives)"
    if len(sessions) < len(every_session):
        title += (
            f"\nThe first {len(sessions)} of {len(every_session)} sessions with objectives;"
            " the Coverage sheet of agenda.xlsx has them all"
        )
    axis.set_title(title, fontsize=8)
    figure.tight_layout()
    figure.savefig(path, dpi=DPI, metadata=METADATA)
    plt.close(figure)
