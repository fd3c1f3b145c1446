"""Pictures for people who would rather look than read: the days as a timeline with the local-time bands of
where speakers connect from (`agenda.png`), and objectives x sessions coverage (`coverage.png`).

Drawn with Pillow in two steps: a layout (boxes and labels in pixels, which the tests read) and its rendering.
Matplotlib laid out every one of the thousand hour labels of a large event on its own and drew the figure twice
to fit its margins; here the margins come from the measured label widths, and the whole costs a few tens of ms."""

from __future__ import annotations

import datetime as dt
import importlib.util
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytz
from PIL import Image, ImageDraw, ImageFont

from scheduler.timeline import person_tz
from scheduler.views import PlanView

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
FRAME, LOW, HIGH = "#1f4e79", "#ffffff", "#2e75b6"  # coverage: own-objective frame, and the scale of counts
# What each shading means, in the agenda's legend: (label, colour, hatch).
SHADES = (
    ("local working hours, 08:00-18:00", DAY, ""),
    ("local early morning 07:00-08:00 or evening 18:00-22:00", EDGE, ""),
    ("local night, 22:00-07:00", NIGHT, ""),
    ("break", BREAK, HATCH),
)
DPI = 110  # pixels per inch: sizes below are in points (1/72 inch), as a reader of the picture sees them
# A picture of a long event would be metres long, unreadable on screen or on its page of agenda.xlsx, and slow to
# draw: the timeline shows the first days and the coverage the first sessions, and each says so (the workbook's
# sheets list everything).
MAX_DAYS = 10
MAX_SESSIONS = 20
AGENDA_WIDTH = 12 * DPI
PAD = 10  # the page's margin, in pixels
ROW = round(0.45 * DPI)  # one row of a day: the programme or a zone's band
CELL_WIDTH, CELL_HEIGHT = round(1.1 * DPI), round(0.32 * DPI)  # one cell of the coverage
# Level 1 rather than Pillow's 6: a tenth of the time for a file a little larger (these are flat colours).
COMPRESS_LEVEL = 1


@dataclass(frozen=True)
class Box:
    """A filled rectangle in pixels, edges included; an outline of `width` pixels drawn inside it; a hatch."""

    left: int
    top: int
    right: int
    bottom: int
    fill: str | None
    outline: str | None = None
    width: int = 1
    hatch: bool = False


@dataclass(frozen=True)
class Label:
    """A text at (x, y) in pixels, placed by Pillow's `anchor` (e.g. "mm": centred both ways); lines centred."""

    text: str
    x: float
    y: float
    size: float  # points
    colour: str = "black"
    anchor: str = "mm"

    def extent(self) -> tuple[float, float, float, float]:
        """The box (left, top, right, bottom) that the text covers, in pixels."""
        return _ruler().multiline_textbbox(
            (self.x, self.y), self.text, _font(self.size), self.anchor, align="center"
        )


@dataclass
class Drawing:
    """What a picture shows, in drawing order (boxes, then the labels over them)."""

    width: int
    height: int
    boxes: list[Box]
    labels: list[Label]


@cache
def _font(size: float) -> ImageFont.FreeTypeFont:
    # DejaVu Sans as matplotlib ships it, found without importing matplotlib (slow to import, not needed here).
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError("matplotlib, which ships the font of the pictures, is not installed")
    path = Path(spec.origin).parent / "mpl-data" / "fonts" / "ttf" / "DejaVuSans.ttf"
    return ImageFont.truetype(str(path), size * DPI / 72)


@cache
def _ruler() -> ImageDraw.ImageDraw:
    return ImageDraw.Draw(Image.new("1", (1, 1)))


def _title_bottom(size: float) -> int:
    """Where a title ends: room for two lines whether it has one or two, so that a long event's picture, whose
    title says what it leaves out, is no larger than that of an event as long as what it shows."""
    return round(Label("Programme\nProgramme", 0, PAD, size, anchor="ma").extent()[3])


def _text_width(text: str, size: float) -> float:
    left, _, right, _ = Label(text, 0, 0, size, anchor="la").extent()
    return right - left


def _hour_colour(hour: int) -> str:
    if 8 <= hour < 18:
        return DAY
    if 7 <= hour < 8 or 18 <= hour < 22:
        return EDGE
    return NIGHT


def _minutes(when: dt.datetime | dt.time) -> int:
    return when.hour * 60 + when.minute


def agenda_picture(view: PlanView, path: Path) -> None:
    """`agenda_drawing` as a PNG at `path`."""
    _save(agenda_drawing(view), path)


def agenda_drawing(view: PlanView) -> Drawing:
    """One panel per day: the sessions and breaks in event time, and under them one band per time zone that
    assigned people connect from, shaded by their local hour (night dark, working day light), with a legend of
    the shadings. The left margin makes room for the longest row label."""
    event = view.event
    every_day = sorted({d.date for d in event.days})
    days = every_day[:MAX_DAYS]
    bands_by_day = {day: _bands(view, day) for day in days}
    boxes: list[Box] = []
    labels: list[Label] = []
    title = f"Programme in {event.timezone} time; bands: local time where the assigned people connect from (people)"
    if len(days) < len(every_day):
        title += f"\nThe first {len(days)} of {len(every_day)} days; the Programme sheet of agenda.xlsx has them all"
    top = _title_bottom(9)
    labels.append(Label(title, AGENDA_WIDTH / 2, top, 9, anchor="md"))
    top += 8
    rows = ["programme"] + [label for bands in bands_by_day.values() for _, label, _ in bands]
    left = PAD + max(_text_width(r, 7) for r in rows) + 6
    right = AGENDA_WIDTH - PAD - _text_width("00:00", 7) / 2
    for day in days:
        top = _day_panel(view, day, bands_by_day[day], (round(left), top, round(right)), boxes, labels)
    bottom = _legend(top + 6, boxes, labels)
    return Drawing(AGENDA_WIDTH, bottom + PAD, boxes, labels)


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


def _day_panel(
    view: PlanView,
    day: dt.date,
    bands: list[tuple[str, str, int]],
    frame: tuple[int, int, int],
    boxes: list[Box],
    labels: list[Label],
) -> int:
    """Lay out one day from `frame` = (left, top, right) down; returns the y where the next thing may start."""
    event = view.event
    left, top, right = frame
    windows = [d for d in event.days if d.date == day]
    first = max(0, min(d.start for d in windows).hour - 1) * 60
    last = min(24 * 60, (max(d.end for d in windows).hour + 2) * 60)
    scale = (right - left) / (last - first)

    def x(minute: float) -> int:
        return round(left + (minute - first) * scale)

    labels.append(Label(f"{day:%A %d %B %Y}", left, top, 9, anchor="la"))
    top = round(labels[-1].extent()[3]) + 6

    def y(row: float) -> int:
        return round(top + row * ROW)

    for s in (s for s in view.sessions if s.start.date() == day):
        start = _minutes(s.start)
        end = start + s.session.minutes
        colour = KIND_COLOURS.get(s.session.kind.value, "#7f7f7f")
        boxes.append(Box(x(start), y(0.1), x(end) - 1, y(0.9) - 1, colour))
        labels.append(
            Label(f"{s.id}\n{s.start:%H:%M}-{s.end:%H:%M}", x((start + end) / 2), y(0.5), 7, "white")
        )
    for pause in event.breaks:
        if pause.date == day:
            boxes.append(
                Box(x(_minutes(pause.start)), y(0.1), x(_minutes(pause.end)) - 1, y(0.9) - 1, BREAK, OUTLINE,
                    hatch=True)
            )  # fmt: skip
    for row, (zone, _, _) in enumerate(bands, start=1):
        tz = pytz.timezone(zone)
        for minute in range(first, last, 60):
            local = event.localize(day, dt.time(minute // 60)).astimezone(tz)
            colour = _hour_colour(local.hour)
            boxes.append(Box(x(minute), y(row + 0.15), x(minute + 60) - 1, y(row + 0.85) - 1, colour))
            labels.append(
                Label(
                    f"{local:%H:%M}", x(minute + 30), y(row + 0.5), 6, "white" if colour == NIGHT else "black"
                )
            )
    for row, text in enumerate(["programme"] + [label for _, label, _ in bands]):
        labels.append(Label(text, left - 6, y(row + 0.5), 7, anchor="rm"))
    bottom = y(1 + len(bands))
    for minute in range(first, last + 1, 60):
        labels.append(Label(f"{minute // 60:02d}:00", x(minute), bottom + 4, 7, anchor="ma"))
    return round(max(label.extent()[3] for label in labels[-3:])) + 14


def _legend(top: int, boxes: list[Box], labels: list[Label]) -> int:
    """The shadings with what they mean, in one row centred under the days; returns its bottom."""
    patch_width, patch_height, gap, spacing = 22, 11, 6, 24
    widths = [patch_width + gap + _text_width(text, 7) for text, _, _ in SHADES]
    x = (AGENDA_WIDTH - sum(widths) - spacing * (len(widths) - 1)) / 2
    middle = top + patch_height // 2
    for (text, colour, hatch), width in zip(SHADES, widths, strict=True):
        # Outlined: the working-hours shade is nearly as light as the page.
        boxes.append(Box(round(x), top, round(x) + patch_width - 1, top + patch_height - 1, colour, OUTLINE,
                         hatch=bool(hatch)))  # fmt: skip
        labels.append(Label(text, round(x) + patch_width + gap, middle, 7, anchor="lm"))
        x += width + spacing
    return max(top + patch_height, round(max(label.extent()[3] for label in labels[-len(SHADES) :])))


def coverage_picture(view: PlanView, path: Path) -> None:
    """`coverage_drawing` as a PNG at `path`."""
    _save(coverage_drawing(view), path)


def coverage_drawing(view: PlanView) -> Drawing:
    """Objectives (rows) x sessions with objectives (columns): how many assigned speakers address each one.
    The cells of a session's own objectives are framed; an empty framed cell would be a broken rule."""
    event = view.event
    every_session = [s for s in view.sessions if s.session.objectives]
    sessions = every_session[:MAX_SESSIONS]
    numbers = sorted(set(event.objective_titles) | {o for s in every_session for o in s.session.objectives})
    if not sessions or not numbers:
        width, height = 6 * DPI, round(1.5 * DPI)
        return Drawing(
            width, height, [], [Label("No session of this event has objectives.", width / 2, height / 2, 10)]
        )
    counts = [[len(view.coverage(s.id, n)) for s in sessions] for n in numbers]
    top_count = max(max(row) for row in counts) or 1
    row_labels = [f"{n} {event.objective_titles.get(n, '')}".strip() for n in numbers]
    title = "Assigned speakers addressing each objective (framed: the session's own objectives)"
    if len(sessions) < len(every_session):
        title += (
            f"\nThe first {len(sessions)} of {len(every_session)} sessions with objectives;"
            " the Coverage sheet of agenda.xlsx has them all"
        )
    tick = 5
    left = round(PAD + max(_text_width(text, 7) for text in row_labels) + tick + 4)
    grid_width = CELL_WIDTH * len(sessions)
    title_width = _text_width(title, 8)
    width = round(max(left + grid_width + PAD, title_width + 2 * PAD))
    centre = min(max(left + grid_width / 2, PAD + title_width / 2), width - PAD - title_width / 2)
    boxes: list[Box] = []
    title_bottom = _title_bottom(8)
    labels = [Label(title, centre, title_bottom, 8, anchor="md")]
    heads = [Label(s.id, left + (c + 0.5) * CELL_WIDTH, 0, 8, anchor="md") for c, s in enumerate(sessions)]
    head_height = max(h.extent()[3] - h.extent()[1] for h in heads)
    top = round(title_bottom + 6 + head_height + 3 + tick)
    for head in heads:
        labels.append(Label(head.text, head.x, top - tick - 3, 8, anchor="md"))
        middle = round(head.x)
        boxes.append(Box(middle, top - tick, middle, top - 1, "black"))
    for row, (number, text) in enumerate(zip(numbers, row_labels, strict=True)):
        cell_top = top + row * CELL_HEIGHT
        middle = cell_top + CELL_HEIGHT // 2
        boxes.append(Box(left - tick, middle, left - 1, middle, "black"))
        labels.append(Label(text, left - tick - 4, middle, 7, anchor="rm"))
        for column, s in enumerate(sessions):
            value = counts[row][column]
            cell_left = left + column * CELL_WIDTH
            boxes.append(Box(cell_left, cell_top, cell_left + CELL_WIDTH - 1, cell_top + CELL_HEIGHT - 1,
                             _shade(value / top_count)))  # fmt: skip
            if value or number in s.session.objectives:
                labels.append(Label(str(value), cell_left + CELL_WIDTH / 2, middle, 7,
                                    "white" if value > top_count / 2 else "black"))  # fmt: skip
    bottom = top + CELL_HEIGHT * len(numbers)
    boxes.append(Box(left - 1, top - 1, left + grid_width, bottom, None, "black"))  # the grid's frame
    for row, number in enumerate(numbers):
        for column, s in enumerate(sessions):
            if number in s.session.objectives:
                cell_left, cell_top = left + column * CELL_WIDTH, top + row * CELL_HEIGHT
                boxes.append(Box(cell_left - 1, cell_top - 1, cell_left + CELL_WIDTH, cell_top + CELL_HEIGHT,
                                 None, FRAME, 2))  # fmt: skip
    return Drawing(width, bottom + PAD, boxes, labels)


def _shade(share: float) -> str:
    """The colour of a cell holding `share` of the largest count: white for none, blue for the most."""
    low, high = _rgb(LOW), _rgb(HIGH)
    return "#" + "".join(f"{round(a + (b - a) * share):02x}" for a, b in zip(low, high, strict=True))


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def _save(drawing: Drawing, path: Path) -> None:
    image = Image.new("RGB", (drawing.width, drawing.height), "white")
    draw = ImageDraw.Draw(image)
    for box in drawing.boxes:
        corners = (box.left, box.top, box.right, box.bottom)
        draw.rectangle(corners, fill=box.fill)
        if box.hatch:
            _hatch(image, box)
        if box.outline:
            draw.rectangle(corners, outline=box.outline, width=box.width)
    for label in drawing.labels:
        draw.multiline_text((label.x, label.y), label.text, label.colour, _font(label.size), label.anchor,
                            align="center")  # fmt: skip
    # Pillow writes no text chunks (no software name or version, no time): same plan, same bytes.
    image.save(path, format="PNG", compress_level=COMPRESS_LEVEL, dpi=(DPI, DPI))


def _hatch(image: Image.Image, box: Box) -> None:
    """Diagonal lines across `box`, as matplotlib's "//" hatch: drawn four times larger and scaled down, which
    smooths their edges."""
    times, spacing = 4, DPI // 4
    width, height = box.right - box.left + 1, box.bottom - box.top + 1
    tile = Image.new("RGB", (width * times, height * times), box.fill or "white")
    draw = ImageDraw.Draw(tile)
    for start in range(-height, width, spacing):
        draw.line(
            [(start * times, height * times), ((start + height) * times, 0)],
            fill=OUTLINE,
            width=times * 3 // 2,
        )
    image.paste(tile.resize((width, height), Image.Resampling.LANCZOS), (box.left, box.top))
