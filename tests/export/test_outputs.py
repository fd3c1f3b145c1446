"""write_outputs as a whole: the same files whether one process writes them or two, a failure in the second
process raised in the first, and pictures of long events kept to a readable size."""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from PIL import Image

from scheduler import release
from scheduler.domain import Event
from scheduler.export import outputs, pictures
from scheduler.views import PlanView, build_view
from tests import factories as f


def long_event(days: int) -> Event:
    """One fixed session with objectives a day, on `days` consecutive days, each with its own people."""
    dates = [f.DAY + dt.timedelta(days=n) for n in range(days)]
    sessions = [f.session(f"S{n}", date=date, objectives=(1,)) for n, date in enumerate(dates, start=1)]
    people = [
        p
        for n in range(1, days + 1)
        for p in (f.person(f"M{n}", f"S{n}:moderator"), f.person(f"P{n}", f"S{n}:speaker", objectives=(1,)))
    ]
    return f.event(
        sessions,
        people,
        days=tuple(f.Day(date, dt.time(9, 0), dt.time(17, 0)) for date in dates),
        objective_titles={1: "Data"},
    )


def view_of(event: Event) -> PlanView:
    return build_view(event, release.plan(event, generated_at=f.GENERATED))


def contents(folder: Path) -> dict[str, object]:
    """Every file's bytes, but a workbook's cell values (its zip holds the time it was written)."""
    found: dict[str, object] = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        name = path.relative_to(folder).as_posix()
        if path.suffix == ".xlsx":
            book = openpyxl.load_workbook(path)
            found[name] = [[[c.value for c in row] for row in ws.iter_rows()] for ws in book.worksheets]
        else:
            found[name] = path.read_bytes()
    return found


@pytest.fixture(scope="module")
def view() -> PlanView:
    return view_of(long_event(3))


def test_two_processes_write_what_one_writes(
    view: PlanView, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "one").mkdir()
    outputs.write_outputs(view, tmp_path / "one")
    monkeypatch.setattr(outputs, "SECOND_PROCESS_FROM", 0)
    monkeypatch.setattr(outputs, "BATCH", 1)  # both processes write invitations
    assert outputs._second_process_pays(view)
    (tmp_path / "two").mkdir()
    outputs.write_outputs(view, tmp_path / "two")

    written = contents(tmp_path / "two")
    assert written == contents(tmp_path / "one")
    assert {"run-of-show.xlsx", "calendar/agenda.ics", "mail/P1_S1.eml"} <= set(written)
    assert gc.get_freeze_count() == 0


def test_a_failure_in_either_process_is_raised(
    view: PlanView, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(outputs, "SECOND_PROCESS_FROM", 0)
    monkeypatch.setattr(outputs, "write_run_of_show", broken)

    # Whichever process takes the run-of-show fails: this one with the error, the other with its exit code.
    with pytest.raises((OSError, RuntimeError), match=r"disk full|second process failed"):
        outputs.write_outputs(view, tmp_path)
    assert gc.get_freeze_count() == 0


def test_a_long_event_is_drawn_for_its_first_days_and_sessions(tmp_path: Path) -> None:
    longer = view_of(long_event(max(pictures.MAX_DAYS, pictures.MAX_SESSIONS) + 2))
    days = view_of(long_event(pictures.MAX_DAYS))
    sessions = view_of(long_event(pictures.MAX_SESSIONS))

    def size(draw: Callable[[PlanView, Path], None], v: PlanView) -> tuple[int, int]:
        draw(v, tmp_path / "picture.png")
        with Image.open(tmp_path / "picture.png") as image:
            return image.size

    assert size(pictures.agenda_picture, longer) == size(pictures.agenda_picture, days)
    assert size(pictures.coverage_picture, longer) == size(pictures.coverage_picture, sessions)
