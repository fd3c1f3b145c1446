"""`run-of-show.xlsx`: one printable sheet per session for its moderator."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from scheduler.domain import Applicant
from scheduler.export.cells import put, write_table
from scheduler.timeline import person_tz
from scheduler.views import ItemView, PlanView, SessionView

HEADER = [
    "#",
    "start",
    "end",
    "min",
    "segment",
    "speaker",
    "function and organisation",
    "delegation",
    "role",
    "language",
    "speaker's local time",
    "cue",
    "status",
]
WIDTHS = [4, 7, 7, 5, 12, 22, 30, 16, 11, 9, 16, 30, 10]
STATUSES = ("ready", "on air", "done", "skipped")
CUES = {
    "opening": "Welcome; housekeeping (interpretation, raise hand, chat); introduce the theme",
    "intervention": "Give the floor; 1-minute warning; thank the speaker",
    "discussion": "Open the floor; take requests in order of raised hands",
    "report": "Invite the rapporteur to summarise",
    "closing": "Sum up; thank speakers and interpreters; close",
}


def write_run_of_show(view: PlanView, path: Path) -> None:
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for session in view.sessions:
        _sheet(view, session, book.create_sheet(session.id[:31]))
    book.save(path)


def _sheet(view: PlanView, session: SessionView, ws: Worksheet) -> None:
    event = view.event
    objectives = ", ".join(
        f"{o} {event.objective_titles.get(o, '')}".strip() for o in session.session.objectives
    )
    tech = session.start - dt.timedelta(minutes=event.tech_check_minutes)
    facts: list[tuple[str, Any]] = [
        ("Session", session.session.title),
        ("Date", f"{session.start:%A %d %B %Y}"),
        ("Time", f"{session.start:%H:%M}-{session.end:%H:%M} {session.start:%Z} ({event.timezone})"),
        (
            "Tech check",
            f"{tech:%H:%M} (speakers and moderators join {event.tech_check_minutes} minutes early)",
        ),
        ("Moderator(s)", "; ".join(_who(p) for p in session.moderators) or "-"),
        ("Rapporteur(s)", "; ".join(_who(p) for p in session.rapporteurs) or "-"),
        ("Objectives", objectives or "-"),
        ("Languages", ", ".join(event.languages)),
        ("Speaker link", event.speaker_link or "-"),
    ]
    for row, (label, value) in enumerate(facts, start=1):
        put(ws, row, 1, label)
        ws.cell(row=row, column=1).font = Font(bold=True)
        put(ws, row, 2, value)
        ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=len(HEADER))
    first = len(facts) + 2
    rows = [_row(view, item) for item in session.items]
    last = write_table(ws, HEADER, rows, widths=WIDTHS, first_row=first)
    status = DataValidation(type="list", formula1='"' + ",".join(STATUSES) + '"', allow_blank=True)
    ws.add_data_validation(status)
    status.add(f"M{first + 1}:M{max(last, first + 1)}")
    ws.print_title_rows = f"{first}:{first}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True  # type: ignore[union-attr]
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    footer, header = ws.oddFooter, ws.oddHeader
    assert footer is not None and header is not None
    footer.center.text = "Page &P of &N"
    header.center.text = event.title[:80]


def _who(person: Applicant) -> str:
    return f"{person.name} ({person.function + ', ' if person.function else ''}{person.organisation})"


def _row(view: PlanView, item: ItemView) -> list[Any]:
    person = item.person
    local = ""
    if person is not None and item.role is not None:
        tz = person_tz(view.event, person)
        start, end = item.start.astimezone(tz), item.end.astimezone(tz)
        local = f"{start:%H:%M}-{end:%H:%M} {start:%Z}"
    return [
        item.number,
        item.start.strftime("%H:%M"),
        item.end.strftime("%H:%M"),
        item.minutes,
        item.segment,
        person.name if person else "",
        ", ".join(x for x in (person.function, person.organisation) if x) if person else "",
        (person.country or person.category.value) if person else "",
        item.role.value if item.role else "",
        person.languages[0] if person and person.languages else "",
        local,
        CUES.get(item.segment, ""),
        "",
    ]
