"""Every output of a plan, written into one folder."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from scheduler.export.agenda_xlsx import write_agenda
from scheduler.export.ics import invitation, public_calendar
from scheduler.export.mail import write_mail
from scheduler.export.pictures import agenda_picture, coverage_picture
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
    say("pictures")
    agenda_picture(view, folder / "agenda.png")
    coverage_picture(view, folder / "coverage.png")
    say("agenda.xlsx")
    write_agenda(view, folder / "agenda.xlsx", [folder / "agenda.png", folder / "coverage.png"])
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
    write_mail(view, folder / "mail")
