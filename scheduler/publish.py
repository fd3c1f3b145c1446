"""Publishing outputs atomically: write into a fresh folder beside `out/`, then swap it in.

A run that fails, is interrupted (Ctrl-C) or is killed leaves the previous `out/` exactly as it was; the next run
cleans up what a killed run left behind. Each published plan is kept in `out/history/v<N>/plan.json`, so a
re-plan can always be compared with an earlier version; a version number is published once, never replaced.

One run at a time writes `out/`: a run holds the lock `.out.lock` beside it (`out/` itself is swapped, so it cannot
hold its own lock) from the moment it reads the published plan until it has published the next one. The operating
system releases the lock of a run that is killed, so a lock is never left behind.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from scheduler import interrupt

log = logging.getLogger(__name__)


class PublishRefused(Exception):
    """Publishing into `out` would lose something: a folder that is not an output folder (an event folder, a
    home folder), or a published version (calendar programs would also ignore updates that do not raise the
    SEQUENCE numbers already sent). The message says what and how to go on."""


REPLAN_HINT = (
    "re-plan against the newest version (leave out --previous), or write to another --out folder; "
    "to bring back an earlier programme, see docs/rules.md, section 'Re-planning'"
)


class Busy(Exception):
    """Another run kept `out` locked for longer than this one would wait."""


def lock_file(out: Path) -> Path:
    """The lock file of an output folder: `.<name>.lock` beside it."""
    return out.parent / f".{out.name}.lock"


@contextmanager
def writing(out: Path, wait: float, on_wait: Callable[[], None] | None = None) -> Iterator[Path]:
    """Hold the lock of `out` (calling `on_wait` first when another run holds it, then waiting up to `wait`
    seconds), and recover what a killed run left, before anything reads `out`; yield `out` resolved. Busy when
    the other run keeps the lock longer."""
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(lock_file(out))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        if wait <= 0:
            raise Busy(f"another run is writing {out}") from None
        if on_wait:
            on_wait()
        try:
            lock.acquire(timeout=wait)
        except Timeout:
            raise Busy(f"another run is writing {out} and did not finish within {wait:g} seconds") from None
    try:
        recover(out)
        yield out
    finally:
        lock.release()


def publish(out: Path, write: Callable[[Path], None]) -> None:
    """Call `write(folder)` on an empty staging folder, keep the history, and swap the folder in as `out`.
    Commands call it inside `writing(out)`, so that no other run swaps `out` at the same time."""
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    recover(out)
    check_target(out)
    staging = out.parent / f".{out.name}.new-{os.getpid()}"
    retired = out.parent / f".{out.name}.old-{os.getpid()}"
    staging.mkdir()
    try:
        write(staging)
        _keep_history(out, staging)
        interrupt.check()  # a Ctrl-C that something swallowed on its way still stops the run here
        if out.exists():
            out.rename(retired)
        staging.rename(out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        if retired.exists() and not out.exists():
            retired.rename(out)
        raise
    shutil.rmtree(retired, ignore_errors=True)


def check_target(out: Path) -> None:
    """PublishRefused unless `out` is new, empty or an output folder: publishing replaces it whole."""
    if out.exists() and not (out / "plan.json").is_file() and (not out.is_dir() or any(out.iterdir())):
        raise PublishRefused(
            f"{out} exists and is not an output folder (it has no plan.json): publishing would replace it with "
            "all it holds (hint: give --out a new folder name, such as out)"
        )


def recover(out: Path) -> None:
    """Undo what a killed run left beside `out`: a staging folder is deleted; a retired `out/` whose
    replacement never arrived is put back."""
    for leftover in sorted(out.parent.glob(f".{out.name}.old-*")):
        if out.exists():
            shutil.rmtree(leftover, ignore_errors=True)
        else:
            log.warning("restoring %s from an interrupted run", out)
            leftover.rename(out)
    for leftover in out.parent.glob(f".{out.name}.new-*"):
        shutil.rmtree(leftover, ignore_errors=True)


def _keep_history(out: Path, staging: Path) -> None:
    """Copy the history into the staging folder and add the new plan to it, unless its version is taken."""
    if (out / "history").is_dir():
        shutil.copytree(out / "history", staging / "history", dirs_exist_ok=True)
    plan = staging / "plan.json"
    if plan.exists():
        version = int(json.loads(plan.read_text(encoding="utf-8"))["version"])
        current = out / "plan.json"
        newest = int(json.loads(current.read_text(encoding="utf-8"))["version"]) if current.exists() else 0
        if version < newest:
            raise PublishRefused(
                f"{out} holds version {newest}, newer than version {version} (hint: {REPLAN_HINT})"
            )
        keep = staging / "history" / f"v{version}"
        if (keep / "plan.json").exists() and (keep / "plan.json").read_bytes() != plan.read_bytes():
            kept = json.loads((keep / "plan.json").read_text(encoding="utf-8"))
            new = json.loads(plan.read_text(encoding="utf-8"))
            if {**kept, "input_digest": None} == {**new, "input_digest": None}:
                raise PublishRefused(
                    f"{out} holds version {version} made from other input (the event folder changed since): "
                    "its outputs would change under the same version, and calendars would ignore that (hint: "
                    "re-plan with scheduler plan to publish the change as a new version)"
                )
            raise PublishRefused(
                f"{out} already holds another plan as version {version} (history/v{version}) (hint: {REPLAN_HINT})"
            )
        keep.mkdir(parents=True, exist_ok=True)
        shutil.copy2(plan, keep / "plan.json")
