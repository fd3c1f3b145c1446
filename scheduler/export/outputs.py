"""Every output of a plan, written into one folder.

A big plan is written by two processes (on a machine with two cores or more). Each takes the next output of the
programme that the other has not taken (the pictures with the agenda workbook first, the longest, then the
run-of-show, plan.json, and so on). Then this one writes the invitations' calendar files and the other their
mail, each taking them in batches; the first to finish helps the other with what is left. For 10,000
invitations that halves the time. Each keeps to a folder of its own as long as it can, because two processes
creating files in one folder wait for each other in the file system (measured on ext4: 20,000 files took 1.2-2.4
times as long that way).
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from itertools import chain
from multiprocessing.sharedctypes import Synchronized
from pathlib import Path

from scheduler.export.agenda_xlsx import write_agenda
from scheduler.export.ics import Invitations, public_calendar, session_calendar
from scheduler.export.list_of_speakers import write_lists_of_speakers
from scheduler.export.mail import write_message
from scheduler.export.pictures import agenda_picture, coverage_picture
from scheduler.export.rosters import write_rosters
from scheduler.export.run_of_show import write_run_of_show
from scheduler.export.site import write_site
from scheduler.store import write_plan
from scheduler.views import PlanView

log = logging.getLogger(__name__)
Step = Callable[[str], None]

# With fewer invitations and people on the waiting list, and fewer sessions, than these, starting a second process
# costs more than it saves.
SECOND_PROCESS_FROM = 2_000
SECOND_PROCESS_FROM_SESSIONS = 10
BATCH = 250  # invitations taken at a time by either process: neither waits long for the other at the end


def write_outputs(view: PlanView, folder: Path, step: Step | None = None) -> None:
    """Write every output of the plan into `folder` (which must exist and be empty)."""
    say = step or (lambda _: None)
    # Frozen, the objects alive now (the view above all: a million for a big event) are left alone by the garbage
    # collector, which otherwise walks them again and again while the exporters make millions of short-lived
    # objects; and a forked process then does not copy them (Python's advice before a fork).
    gc.freeze()
    try:
        if _second_process_pays(view):
            _write_in_two_processes(view, folder, say)
        else:
            for name, write in _programme(view, folder):
                say(name)
                write()
            say("invitations")
            everyone = [range(len(view.invites))]
            _write_invitations(view, folder, everyone, calendars=True, mail=True)
    finally:
        gc.unfreeze()


def _second_process_pays(view: PlanView) -> bool:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return (
        (
            len(view.invites) + len(view.unassigned) >= SECOND_PROCESS_FROM
            or len(view.sessions) >= SECOND_PROCESS_FROM_SESSIONS
        )
        and cores > 1
        and "fork" in multiprocessing.get_all_start_methods()  # no copy of the view to send
    )


def _write_in_two_processes(view: PlanView, folder: Path, say: Step) -> None:
    context = multiprocessing.get_context("fork")
    # How many of the programme's outputs have been taken, by either process; then how many invitations, to
    # write their calendar files, and their mail.
    programme, calendars, mail = context.Value("i", 0), context.Value("i", 0), context.Value("i", 0)
    helper = context.Process(
        target=_helper, args=(view, folder, programme, calendars, mail), name="scheduler: outputs"
    )
    helper.start()
    try:
        _write_programme(view, folder, programme, say)
        say("invitations")
        total = len(view.invites)
        _write_invitations(view, folder, _batches(calendars, total), calendars=True)
        _write_invitations(view, folder, _batches(mail, total), mail=True)
        helper.join()
    finally:
        if helper.is_alive():  # this process failed or was interrupted: the other's work is not wanted
            helper.terminate()
            helper.join()
    if helper.exitcode != 0:
        raise RuntimeError(
            f"writing the outputs in a second process failed (exit code {helper.exitcode}; "
            "the error is printed above)"
        )


def _helper(
    view: PlanView,
    folder: Path,
    programme: Synchronized[int],
    calendars: Synchronized[int],
    mail: Synchronized[int],
) -> None:
    """The second process: its share of the programme, then the invitations' mail, then any calendar files
    left. Ctrl-C reaches both processes: this one then ends quietly, and the first reports the interruption."""
    try:
        _write_programme(view, folder, programme, lambda _: None)
        total = len(view.invites)
        _write_invitations(view, folder, _batches(mail, total), mail=True)
        _write_invitations(view, folder, _batches(calendars, total), calendars=True)
    except KeyboardInterrupt:
        sys.exit(1)


def _batches(taken: Synchronized[int], total: int, size: int = BATCH) -> Iterator[range]:
    """The next batch of `size` items (invitations: indexes into `view.invites`) for as long as any is left."""
    while True:
        with taken.get_lock():
            start = taken.value
            taken.value = min(start + size, total)
        if start >= total:
            return
        yield range(start, min(start + size, total))


def _write_programme(view: PlanView, folder: Path, taken: Synchronized[int], say: Step) -> None:
    """The programme's outputs that the other process has not taken, one at a time."""
    outputs = _programme(view, folder)
    for index in chain.from_iterable(_batches(taken, len(outputs), size=1)):
        name, write = outputs[index]
        say(name)
        write()


def _programme(view: PlanView, folder: Path) -> list[tuple[str, Callable[[], None]]]:
    """Every output but the invitations, as (name, writer), the longest to write first so that two processes
    finish together: the pictures with the agenda workbook (which shows them), the run-of-show, plan.json, the
    lists of speakers, the public calendars and page, and the rosters."""

    def agenda() -> None:
        agenda_picture(view, folder / "agenda.png")
        coverage_picture(view, folder / "coverage.png")
        write_agenda(view, folder / "agenda.xlsx", [folder / "agenda.png", folder / "coverage.png"])

    def calendars() -> None:
        sessions = folder / "calendar" / "sessions"
        sessions.mkdir(parents=True, exist_ok=True)  # calendar/ may have been made by the other process
        (sessions.parent / "agenda.ics").write_bytes(public_calendar(view, view.sessions, view.event.title))
        for session in view.sessions:
            (sessions / f"{session.id}.ics").write_bytes(session_calendar(view, session))

    return [
        ("agenda.xlsx", agenda),
        ("run-of-show.xlsx", lambda: write_run_of_show(view, folder / "run-of-show.xlsx")),
        ("plan.json", lambda: write_plan(view, folder / "plan.json")),
        ("list-of-speakers.xlsx", lambda: write_lists_of_speakers(view, folder)),
        ("calendars", calendars),
        ("site", lambda: write_site(view, folder / "site")),
        ("rosters", lambda: write_rosters(view, folder / "rosters")),
    ]


def _write_invitations(
    view: PlanView, folder: Path, batches: Iterable[range], *, calendars: bool = False, mail: bool = False
) -> None:
    """The invitations of the batches, as calendar files, as mail, or both. Each process makes the invitations
    it writes: a mail carries the .ics too, and making one again costs far less than sending it across."""
    calendar_folder, mail_folder = folder / "calendar" / "invites", folder / "mail"
    for wanted, made_here in ((calendars, calendar_folder), (mail, mail_folder)):
        if wanted:
            made_here.mkdir(parents=True, exist_ok=True)  # or by the other process
    invitations = Invitations(view)
    for index in chain.from_iterable(batches):
        invite = view.invites[index]
        made = invitations.make(invite)
        if calendars:
            (calendar_folder / f"{invite.applicant.id}_{invite.session.id}.ics").write_bytes(made.calendar)
        if mail:
            write_message(view, invite, made, mail_folder)  # the same .ics, and the text again in the letter
