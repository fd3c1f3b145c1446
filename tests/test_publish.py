"""Nothing lost: a run that fails, is interrupted or is killed leaves the previous output exactly as it was."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from scheduler.publish import PublishRefused, publish, recover

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_EVENT = ROOT / "data" / "gcm2020-unece"


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def write_version(version: int) -> object:
    def write(folder: Path) -> None:
        (folder / "plan.json").write_text(json.dumps({"version": version}), encoding="utf-8")
        (folder / "calendar").mkdir()
        (folder / "calendar" / "agenda.ics").write_text(f"v{version}", encoding="utf-8")

    return write


@pytest.fixture
def published(tmp_path: Path) -> Path:
    out = tmp_path / "out"
    publish(out, write_version(1))  # type: ignore[arg-type]
    return out


def test_history_keeps_every_version(published: Path) -> None:
    publish(published, write_version(2))  # type: ignore[arg-type]
    assert json.loads((published / "history" / "v1" / "plan.json").read_text())["version"] == 1
    assert json.loads((published / "history" / "v2" / "plan.json").read_text())["version"] == 2


def test_a_folder_that_is_not_an_output_folder_is_never_replaced(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(PublishRefused, match="is not an output folder"):
        publish(home, write_version(1))  # type: ignore[arg-type]
    assert snapshot(home) == {"notes.txt": b"mine"}
    (tmp_path / "empty").mkdir()
    publish(tmp_path / "empty", write_version(1))  # type: ignore[arg-type]  # an empty folder is fine
    assert (tmp_path / "empty" / "plan.json").exists()


def test_a_version_is_published_once(published: Path) -> None:
    publish(published, write_version(2))  # type: ignore[arg-type]
    before = snapshot(published)
    publish(published, write_version(2))  # type: ignore[arg-type]  # the same plan again: outputs re-created
    assert snapshot(published) == before

    def another_version_2(folder: Path) -> None:
        (folder / "plan.json").write_text(json.dumps({"version": 2, "changed": True}), encoding="utf-8")

    with pytest.raises(PublishRefused, match="another plan as version 2"):
        publish(published, another_version_2)
    with pytest.raises(PublishRefused, match="holds version 2, newer than version 1"):
        publish(published, write_version(1))  # type: ignore[arg-type]
    assert snapshot(published) == before
    assert [p.name for p in published.parent.iterdir()] == ["out"]


@pytest.mark.parametrize("failure", [RuntimeError("disk full"), KeyboardInterrupt()])
def test_failure_during_export_leaves_the_previous_output(published: Path, failure: BaseException) -> None:
    before = snapshot(published)

    def write(folder: Path) -> None:
        (folder / "plan.json").write_text('{"version": 2}', encoding="utf-8")
        (folder / "agenda.xlsx").write_bytes(b"half")
        raise failure

    with pytest.raises(type(failure)):
        publish(published, write)
    assert snapshot(published) == before
    assert [p.name for p in published.parent.iterdir()] == ["out"]


def test_leftovers_of_a_killed_run_are_recovered(published: Path) -> None:
    before = snapshot(published)
    # Killed between the two renames: out/ was retired, the new folder never arrived.
    published.rename(published.parent / ".out.old-4242")
    (published.parent / ".out.new-4242").mkdir()
    recover(published)
    assert snapshot(published) == before
    assert [p.name for p in published.parent.iterdir()] == ["out"]


def test_a_plan_killed_at_any_moment_leaves_old_or_complete_new_output(tmp_path: Path) -> None:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1604966400"}
    command = [sys.executable, "-m", "scheduler", "plan", str(DEFAULT_EVENT), "--out", str(tmp_path / "out")]
    subprocess.run(command, env=env, check=True, capture_output=True, timeout=300)
    first = snapshot(tmp_path / "out")
    for delay in (0.2, 0.8, 1.2, 1.6, 2.0, 2.5):
        process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        recover(tmp_path / "out")
        now = snapshot(tmp_path / "out")
        if now != first:  # the run finished before the kill: a complete, newer version
            version = json.loads(now["plan.json"])["version"]
            assert version > json.loads(first["plan.json"])["version"]
            assert {
                "agenda.xlsx",
                "run-of-show.xlsx",
                "calendar/agenda.ics",
                f"history/v{version}/plan.json",
            } <= set(now)
            first = now
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_ctrl_c_while_starting_ends_quietly_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    process = subprocess.Popen(
        [sys.executable, "-m", "scheduler", "plan", str(DEFAULT_EVENT), "--out", str(out)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    time.sleep(0.3)  # the libraries are still loading: far from writing anything
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 1, stderr
    assert "Interrupted" in stderr and "Traceback" not in stderr
    assert not out.exists()
