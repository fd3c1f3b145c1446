"""Exporters: format an already-built view as .ics, .xlsx or JSON, never deciding anything."""

from __future__ import annotations

import json
import logging
import os
import shutil
from collections.abc import Callable
from pathlib import Path

from scheduler.export.agenda_xlsx import write_agenda
from scheduler.export.ics import invitation, public_calendar
from scheduler.export.plan_json import to_json
from scheduler.export.run_of_show import write_run_of_show
from scheduler.views import PlanView

log = logging.getLogger(__name__)
Step = Callable[[str], None]


def write_outputs(view: PlanView, folder: Path, step: Step | None = None) -> None:
    """Write every output of the plan into `folder` (which must exist and be empty)."""
    say = step or (lambda _: None)
    say("plan.json")
    (folder / "plan.json").write_text(to_json(view), encoding="utf-8")
    say("agenda.xlsx")
    write_agenda(view, folder / "agenda.xlsx")
    say("run-of-show.xlsx")
    write_run_of_show(view, folder / "run-of-show.xlsx")
    say("calendars")
    calendar = folder / "calendar"
    (calendar / "sessions").mkdir(parents=True)
    (calendar / "invites").mkdir()
    (calendar / "agenda.ics").write_bytes(public_calendar(view, view.sessions, view.event.title))
    for session in view.sessions:
        data = public_calendar(view, [session], f"{view.event.title}: {session.id}")
        (calendar / "sessions" / f"{session.id}.ics").write_bytes(data)
    for invite in view.invites:
        name = f"{invite.applicant.id}_{invite.session.id}.ics"
        (calendar / "invites" / name).write_bytes(invitation(view, invite))


def publish(out: Path, write: Callable[[Path], None]) -> None:
    """Write the outputs into a fresh folder beside `out`, then swap it in: a run that fails or is interrupted
    leaves the previous `out/` exactly as it was. Each published plan is also kept in `out/history/v<N>/`."""
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = out.parent / f".{out.name}.new-{os.getpid()}"
    retired = out.parent / f".{out.name}.old-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    try:
        write(staging)
        if (out / "history").is_dir():
            shutil.copytree(out / "history", staging / "history", dirs_exist_ok=True)
        version = _version(staging / "plan.json")
        if version is not None:
            keep = staging / "history" / f"v{version}"
            keep.mkdir(parents=True, exist_ok=True)
            shutil.copy2(staging / "plan.json", keep / "plan.json")
        if out.exists():
            out.rename(retired)
        staging.rename(out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        if retired.exists() and not out.exists():
            retired.rename(out)
        raise
    shutil.rmtree(retired, ignore_errors=True)


def _version(plan_path: Path) -> int | None:
    if not plan_path.exists():
        return None
    return int(json.loads(plan_path.read_text(encoding="utf-8"))["version"])
