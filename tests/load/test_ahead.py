"""Loading in a second process (`scheduler.load.ahead`) gives the event, and the problems, that loading here does."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest

from scheduler.load import InputError, load_event
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
