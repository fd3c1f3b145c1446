"""agenda.png and coverage.png of the default event: everything they show is there (every session with its id and
times, the breaks, each zone's band with every local hour, the legend, every coverage number and frame), every
label readable inside the picture and inside its box, and the PNG shows the colours laid out."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import pytz
from PIL import Image

from scheduler import release
from scheduler.export.pictures import (
    BREAK,
    DAY,
    EDGE,
    FRAME,
    KIND_COLOURS,
    MAX_DAYS,
    MAX_SESSIONS,
    NIGHT,
    SHADES,
    Box,
    Drawing,
    Label,
    agenda_drawing,
    agenda_picture,
    coverage_drawing,
    coverage_picture,
)
from scheduler.load import load_event
from scheduler.timeline import person_tz
from scheduler.views import PlanView, build_view
from tests.factories import GENERATED


@pytest.fixture(scope="module")
def view() -> PlanView:
    ev = load_event("data/gcm2020-unece")
    return build_view(ev, release.plan(ev, generated_at=GENERATED, time_limit=60))


@pytest.fixture(scope="module")
def agenda(view: PlanView) -> Drawing:
    return agenda_drawing(view)


@pytest.fixture(scope="module")
def coverage(view: PlanView) -> Drawing:
    return coverage_drawing(view)


def inside(label: Label, box: Box) -> bool:
    left, top, right, bottom = label.extent()
    return box.left <= left and right <= box.right + 1 and box.top <= top and bottom <= box.bottom + 1


def rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


@pytest.mark.parametrize("name", ["agenda", "coverage"])
def test_every_label_lies_inside_the_picture(name: str, request: pytest.FixtureRequest) -> None:
    drawing: Drawing = request.getfixturevalue(name)
    for label in drawing.labels:
        left, top, right, bottom = label.extent()
        assert left >= 0 and right <= drawing.width, label.text
        assert top >= 0 and bottom <= drawing.height, label.text


def test_agenda_row_labels_name_the_cities(agenda: Drawing) -> None:
    # The longest row labels, which list a zone's cities, were cut at the left edge once.
    assert any(", ... (" in label.text for label in agenda.labels)


def test_agenda_legend_names_each_shading_beside_its_patch(agenda: Drawing) -> None:
    texts = [label.text for label in agenda.labels]
    legend = texts[-len(SHADES) :]
    assert legend == [
        "local working hours, 08:00-18:00",
        "local early morning 07:00-08:00 or evening 18:00-22:00",
        "local night, 22:00-07:00",
        "break",
    ]
    patches = agenda.boxes[-len(SHADES) :]
    assert [(p.fill, p.outline, p.hatch) for p in patches] == [(c, "#a6a6a6", bool(h)) for _, c, h in SHADES]
    for patch, label in zip(patches, agenda.labels[-len(SHADES) :], strict=True):
        assert patch.right < label.extent()[0] and patch.top <= label.y <= patch.bottom


def test_agenda_shows_every_session_with_its_id_and_times_inside_its_box(
    view: PlanView, agenda: Drawing
) -> None:
    days = sorted({d.date for d in view.event.days})[:MAX_DAYS]
    shown = [s for s in view.sessions if s.start.date() in days]
    assert shown
    for s in shown:
        (label,) = [lab for lab in agenda.labels if lab.text == f"{s.id}\n{s.start:%H:%M}-{s.end:%H:%M}"]
        assert label.colour == "white"
        boxes = [b for b in agenda.boxes if b.fill == KIND_COLOURS[s.session.kind.value] and inside(label, b)]
        assert len(boxes) == 1, s.id


def test_agenda_shows_every_break_hatched(view: PlanView, agenda: Drawing) -> None:
    days = sorted({d.date for d in view.event.days})[:MAX_DAYS]
    breaks = [b for b in view.event.breaks if b.date in days]
    assert breaks
    hatched = [b for b in agenda.boxes if b.hatch and b.fill == BREAK]
    assert len(hatched) == len(breaks) + 1  # and the legend's


def test_agenda_bands_show_every_local_hour_readable_in_its_cell(view: PlanView, agenda: Drawing) -> None:
    event = view.event
    day = sorted({d.date for d in event.days})[0]
    zones = sorted(
        {str(person_tz(event, p)) for s in view.sessions if s.start.date() == day for p in s.people()}
    )
    cells = [b for b in agenda.boxes if b.fill in (DAY, EDGE, NIGHT) and not b.outline]
    hours = [lab for lab in agenda.labels if len(lab.text) == 5 and lab.text[2] == ":" and lab.size == 6]
    assert len(cells) == len(hours)
    for cell, hour in zip(cells, hours, strict=True):
        assert inside(hour, cell), hour.text
        assert hour.colour == ("white" if cell.fill == NIGHT else "black")
    # The first band of the first day: the local time of each hour of the day, in its zone's shade.
    start = min(d.start for d in event.days if d.date == day).hour - 1
    first_zone = min(
        zones, key=lambda z: event.localize(day, dt.time(12)).astimezone(pytz.timezone(z)).utcoffset()
    )
    local = [event.localize(day, dt.time(start + i)).astimezone(pytz.timezone(first_zone)) for i in range(3)]
    assert [h.text for h in hours[:3]] == [f"{t:%H:%M}" for t in local]


def test_agenda_labels_do_not_overlap(agenda: Drawing) -> None:
    extents = sorted(label.extent() for label in agenda.labels)
    for i, (_, top, right, bottom) in enumerate(extents):
        for other in extents[i + 1 :]:
            if other[0] >= right:
                break
            assert other[1] >= bottom or other[3] <= top, (extents[i], other)


def test_coverage_shows_every_number_and_frames_each_own_objective(view: PlanView, coverage: Drawing) -> None:
    sessions = [s for s in view.sessions if s.session.objectives][:MAX_SESSIONS]
    numbers = sorted(view.event.objective_titles)
    cells = [b for b in coverage.boxes if b.outline is None and b.right - b.left > 10]
    assert len(cells) == len(sessions) * len(numbers)
    frames = [b for b in coverage.boxes if b.outline == FRAME]
    own = [(n, s) for n in numbers for s in sessions if n in s.session.objectives]
    assert len(frames) == len(own)
    for row, n in enumerate(numbers):
        for column, s in enumerate(sessions):
            cell = cells[row * len(sessions) + column]
            value = len(view.coverage(s.id, n))
            texts = [lab for lab in coverage.labels if inside(lab, cell)]
            if value or n in s.session.objectives:
                assert [t.text for t in texts] == [str(value)], (n, s.id)
            else:
                assert texts == [], (n, s.id)
    labels = {lab.text for lab in coverage.labels}
    assert {s.id for s in sessions} <= labels
    assert {f"{n} {t}" for n, t in view.event.objective_titles.items()} <= labels


def test_pictures_show_the_colours_laid_out(
    view: PlanView, agenda: Drawing, coverage: Drawing, tmp_path: Path
) -> None:
    agenda_picture(view, tmp_path / "agenda.png")
    coverage_picture(view, tmp_path / "coverage.png")
    with Image.open(tmp_path / "agenda.png") as png:
        assert png.size == (agenda.width, agenda.height)
        for box in agenda.boxes:
            if box.fill and not box.hatch and not box.outline:
                assert png.getpixel((box.left, box.top)) == rgb(box.fill)
    with Image.open(tmp_path / "coverage.png") as png:
        assert png.size == (coverage.width, coverage.height)
        for box in coverage.boxes:
            if box.outline == FRAME:
                assert png.getpixel((box.left, (box.top + box.bottom) // 2)) == rgb(FRAME)


@pytest.mark.parametrize("picture", [agenda_picture, coverage_picture])
def test_picture_is_the_same_bytes_for_the_same_plan(view: PlanView, tmp_path: Path, picture: object) -> None:
    assert callable(picture)
    picture(view, tmp_path / "a.png")
    picture(view, tmp_path / "b.png")
    assert (tmp_path / "a.png").read_bytes() == (tmp_path / "b.png").read_bytes()
    with Image.open(tmp_path / "a.png") as png:
        assert set(png.info) <= {"dpi"}, png.info  # no software name or version, no time
