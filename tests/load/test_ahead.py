"""Loading in a second process gives the event, and the problems, that loading in one does: the whole event
(`scheduler.load.ahead`) or the second half of a long applicants sheet (`applicants._parse_rows`)."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from scheduler.load import InputError, applicants, load_event
from scheduler.load.ahead import LOAD_AHEAD_UP_TO, LoadAhead, _pays

ROOT = Path(__file__).resolve().parent.parent.parent
DEFAULT = ROOT / "data" / "gcm2020-unece"


def test_the_event_loaded_in_a_second_process_equals_the_one_loaded_here() -> None:
    assert _pays(DEFAULT)  # the default event is read in the second process
    loading = LoadAhead(DEFAULT)
    loaded = loading()
    assert loading.from_second_process
    assert loaded == load_event(DEFAULT)
    assert [a.id for a in loaded.applicants] == [a.id for a in load_event(DEFAULT).applicants]


def test_bad_input_gives_the_same_problems_as_loading_here(tmp_path: Path) -> None:
    folder = tmp_path / "event"
    shutil.copytree(DEFAULT, folder)
    toml = folder / "event.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8").replace('timezone = "Europe/Zurich"', 'timezone = "Mars/Olympus"')
    )
    with pytest.raises(InputError) as here:
        load_event(folder)
    assert _pays(folder)
    loading = LoadAhead(folder)
    with pytest.raises(InputError) as ahead:
        loading()
    assert not loading.from_second_process  # it only ever hands over a loaded event
    assert [str(p) for p in ahead.value.problems] == [str(p) for p in here.value.problems]
    assert any("Mars/Olympus" in str(p) for p in ahead.value.problems)


def test_no_second_process_for_a_very_large_folder_or_beside_another_thread(tmp_path: Path) -> None:
    folder = tmp_path / "event"
    shutil.copytree(DEFAULT, folder)
    (folder / "notes.bin").write_bytes(b"\0" * (LOAD_AHEAD_UP_TO + 1))
    assert not _pays(folder)
    loading = LoadAhead(folder)
    assert loading() == load_event(DEFAULT)
    assert not loading.from_second_process
    done = threading.Event()
    other = threading.Thread(target=done.wait)
    other.start()
    try:
        assert not _pays(DEFAULT)  # a fork beside a running thread could inherit a lock it holds
    finally:
        done.set()
        other.join()


def _copy_with_cells(tmp_path: Path, changes: dict[tuple[int, str], str]) -> Path:
    """The default event with some cells of its applicants sheet changed: (row, column name) -> text."""
    folder = tmp_path / "event"
    shutil.copytree(DEFAULT, folder)
    book = openpyxl.load_workbook(folder / "applicants.xlsx")
    sheet = book["applicants"]
    names = [c.value for c in sheet[1]]
    for (row, column), text in changes.items():
        sheet.cell(row=row, column=names.index(column) + 1, value=text)
    book.save(folder / "applicants.xlsx")
    return folder


def _problems(folder: Path) -> list[str]:
    with pytest.raises(InputError) as raised:
        load_event(folder)
    return [str(p) for p in raised.value.problems]


@pytest.fixture
def in_two(monkeypatch: pytest.MonkeyPatch) -> Callable[[bool], None]:
    """Parse the default event's 180 rows in two processes (True), or in one (False)."""

    def choose(two: bool) -> None:
        monkeypatch.setattr(applicants, "PARSE_IN_TWO_FROM", 10 if two else 10**9)

    return choose


def test_rows_parsed_in_two_processes_give_the_same_applicants(in_two: Callable[[bool], None]) -> None:
    in_two(False)
    one = load_event(DEFAULT)
    in_two(True)
    two = load_event(DEFAULT)
    assert two == one
    assert [a.row for a in two.applicants] == [a.row for a in one.applicants]
    # The loader gives identical cells one object; across the two processes they are equal but not the same: the
    # second half did come from the second process.
    first, last = one.applicants[0], one.applicants[-1]
    assert first.languages == last.languages and first.languages is last.languages
    first, last = two.applicants[0], two.applicants[-1]
    assert first.languages == last.languages and first.languages is not last.languages


@pytest.mark.parametrize(
    "changes",
    [
        {(170, "id"): "P001"},  # an id of the first half again in the second
        {(170, "id"): "p001"},  # the same but for capitals
        {(170, "email"): "ignored", (171, "email"): "not an address"},  # problems in the second half only
        {(5, "level"): "emperor"},  # a problem in the first half only
        {(150, "category"): ""},  # a required cell left blank in the second half
    ],
)
def test_bad_rows_give_the_same_problems_in_two_processes(
    tmp_path: Path, in_two: Callable[[bool], None], changes: dict[tuple[int, str], str]
) -> None:
    folder = _copy_with_cells(tmp_path, changes)
    in_two(False)
    one = _problems(folder)
    in_two(True)
    assert _problems(folder) == one
