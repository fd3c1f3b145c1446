"""Nothing lost: a run that fails, is interrupted or is killed leaves the previous output exactly as it was."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from filelock import FileLock

from scheduler.publish import Busy, PublishRefused, lock_file, publish, recover, writing

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_EVENT = ROOT / "data" / "gcm2020-unece"
EPOCH = {**os.environ, "SOURCE_DATE_EPOCH": "1604966400"}


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def beside(folder: Path) -> list[str]:
    """What lies beside an output folder, but for its lock file, which stays there."""
    return sorted(p.name for p in folder.parent.iterdir() if p != lock_file(folder))


def event_with(folder: Path, description: str) -> Path:
    """A copy of the default event in `folder` whose first session has `description`: a change to publish."""
    if not folder.exists():
        shutil.copytree(DEFAULT_EVENT, folder)
    toml = folder / "event.toml"
    text = (DEFAULT_EVENT / "event.toml").read_text(encoding="utf-8")
    first = text.index("[[sessions]]\n") + len("[[sessions]]\n")
    toml.write_text(
        text[:first] + f"description = {json.dumps(description)}\n" + text[first:], encoding="utf-8"
    )
    return folder


def plan_command(event: Path, out: Path, *options: str) -> list[str]:
    return [sys.executable, "-m", "scheduler", "plan", str(event), "--out", str(out), *options]


def plan(event: Path, out: Path, *options: str) -> subprocess.CompletedProcess[str]:
    command = plan_command(event, out, *options)
    return subprocess.run(command, env=EPOCH, capture_output=True, text=True, timeout=300, check=False)


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


def test_a_version_is_not_published_again_from_other_input(published: Path) -> None:
    def write(digest: str) -> object:
        def into(folder: Path) -> None:
            text = json.dumps({"version": 2, "input_digest": digest})
            (folder / "plan.json").write_text(text, encoding="utf-8")

        return into

    publish(published, write("sha256:1"))  # type: ignore[arg-type]
    with pytest.raises(PublishRefused, match="holds version 2 made from other input"):
        publish(published, write("sha256:2"))  # type: ignore[arg-type]


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


def test_writing_recovers_what_a_killed_run_left_before_out_is_read(published: Path) -> None:
    before = snapshot(published)
    published.rename(published.parent / ".out.old-12345")  # killed between the two renames
    with writing(published, wait=0) as folder:
        assert folder == published and snapshot(folder) == before
    assert beside(published) == ["out"]


def test_one_run_at_a_time_writes_out(published: Path) -> None:
    waited: list[bool] = []
    with FileLock(lock_file(published)):  # another run, writing
        with pytest.raises(Busy, match=r"another run is writing .*out$"), writing(published, wait=0):
            pass
        with (
            pytest.raises(Busy, match=r"did not finish within 0\.1 seconds"),
            writing(published, wait=0.1, on_wait=lambda: waited.append(True)),
        ):
            pass
    assert waited == [True]
    with writing(published, wait=0) as folder:  # that run is over
        publish(folder, write_version(2))  # type: ignore[arg-type]
    assert json.loads((published / "plan.json").read_text())["version"] == 2


@pytest.mark.slow
def test_plan_after_a_run_killed_between_the_renames_replans_against_the_restored_version(
    tmp_path: Path,
) -> None:
    out = tmp_path / "out"
    assert plan(DEFAULT_EVENT, out).returncode == 0
    before = snapshot(out)
    out.rename(tmp_path / ".out.old-12345")  # what a run killed between publishing's two renames leaves
    done = plan(DEFAULT_EVENT, out)
    assert done.returncode == 0, done.stderr
    assert "Nothing changed since version 1" in done.stdout
    assert snapshot(out) == before
    out.rename(tmp_path / ".out.old-12345")
    done = plan(event_with(tmp_path / "event", "Changed."), out)
    assert done.returncode == 0, done.stderr
    data = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    assert (data["version"], data["changes"]) == (2, [])  # kept every assignment of version 1
    assert (out / "history" / "v1" / "plan.json").read_bytes() == before["plan.json"]
    assert beside(out) == ["event", "out"]


@pytest.mark.slow
def test_two_plans_into_one_folder_at_once_publish_one_after_the_other(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert plan(DEFAULT_EVENT, out).returncode == 0
    events = [event_with(tmp_path / f"event{n}", f"Changed, take {n}.") for n in (1, 2)]
    with FileLock(lock_file(out)):  # a third run is writing: both start, and wait for it
        runs = [
            subprocess.Popen(
                plan_command(e, out), env=EPOCH, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
            )
            for e in events
        ]
        for process in runs:
            assert process.stderr is not None
            assert f"Waiting for another run writing {out}/" in process.stderr.readline()
        busy = plan(DEFAULT_EVENT, out, "--wait", "0")
        assert busy.returncode == 1
        assert f"Nothing was written: another run is writing {out}." in busy.stderr
        assert "Traceback" not in busy.stderr
    finished = [process.communicate(timeout=300) for process in runs]
    for process, (_, stderr) in zip(runs, finished, strict=True):
        assert process.returncode == 0, stderr
        assert "Traceback" not in stderr and "No such file" not in stderr
    assert sorted(int(stdout.split("plan version ")[1][0]) for stdout, _ in finished) == [2, 3]
    assert json.loads((out / "plan.json").read_text(encoding="utf-8"))["version"] == 3
    assert sorted(p.name for p in (out / "history").iterdir()) == ["v1", "v2", "v3"]
    assert (out / "history" / "v3" / "plan.json").read_bytes() == (out / "plan.json").read_bytes()
    assert beside(out) == ["event1", "event2", "out"]


@pytest.mark.slow
def test_a_plan_killed_at_any_moment_leaves_old_or_complete_new_output(tmp_path: Path) -> None:
    out = tmp_path / "out"
    event = event_with(tmp_path / "event", "take 0")
    assert plan(event, out).returncode == 0
    first = snapshot(out)
    for take, delay in enumerate((0.2, 0.8, 1.2, 1.6, 2.0, 2.5), start=1):
        event_with(event, f"take {take}")  # a change each time: a run that finishes publishes a new version
        process = subprocess.Popen(
            plan_command(event, out), env=EPOCH, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        recover(out)
        now = snapshot(out)
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
    assert beside(out) == ["event", "out"]


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
