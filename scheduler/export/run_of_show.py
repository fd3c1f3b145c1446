"""`run-of-show.xlsx`: one printable sheet per session for its moderator.

Each sheet: the session's facts (date, event time, tech check, moderators, objectives, languages, speakers' link),
then the running order with a status drop-down. Printed on A4 landscape: on one page when the whole sheet fits
at a readable scale, otherwise one page wide and as many tall as the rows need, the running order's header
repeated on every page.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from scheduler.domain import Applicant, Category
from scheduler.export.cells import LABEL_FONT, Book, Sheet, Style, sheet_name
from scheduler.timeline import person_tz
from scheduler.views import ItemView, PlanView, SessionView

HEADER = (
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
)
# Function and organisation together run to 130 characters ("Ambassador, Permanent Observer, Permanent Observer
# Mission of ... to the United Nations Office at Geneva"): a wide column keeps such rows at two or three lines, so
# that a round table of 17 items fits on one page at MIN_SCALE.
WIDTHS = (4, 6.5, 6.5, 5, 12, 18, 60, 18, 10, 9, 16, 27, 8)
LABEL_COLUMNS = 4  # the facts' labels span "#" to "min", their values the rest of the width
STATUSES = ("ready", "on air", "done", "skipped")
# A sheet is printed on one page when that takes no more shrinking than this (11-point text printed at 7.7
# points); a longer session is printed one page wide, its pages as many as the rows need.
MIN_SCALE = 0.7
TITLE_FONT: Style = {"bold": True, "font_size": 14}
CATEGORY_LABELS = {
    Category.MEMBER_STATE: "Member State",
    Category.OBSERVER: "observer",
    Category.IGO: "IGO",
    Category.UN_SYSTEM: "UN system",
    Category.STAKEHOLDER: "stakeholder",
}


def write_run_of_show(view: PlanView, path: Path) -> None:
    """One sheet per session, in time order, named after the session."""
    book = Book(path, created=view.plan.generated_at)
    for session in view.sessions:
        _sheet(view, session, book.sheet(sheet_name(session.id, book.names())))
    book.close()


def _facts(view: PlanView, session: SessionView) -> list[tuple[str, str]]:
    """The labelled facts above the running order."""
    event = view.event
    tech = (session.start - dt.timedelta(minutes=event.tech_check_minutes)).astimezone(event.tz)
    objectives = "; ".join(
        f"{o} {event.objective_titles.get(o, '')}".strip() for o in session.session.objectives
    )
    rows = [
        # Date and time on one line: a row saved is what lets a full round table fit on one page.
        (
            "When",
            f"{session.start:%A %d %B %Y}, {session.start:%H:%M}-{session.end:%H:%M} {session.start:%Z}"
            f" ({event.timezone}), {session.session.minutes} minutes",
        ),
        (
            "Tech check",
            f"{tech:%H:%M} {tech:%Z}: speakers and moderators join {event.tech_check_minutes} minutes early",
        ),
        ("Moderators", "; ".join(_who(p) for p in session.moderators) or "-"),
    ]
    if session.rapporteurs or session.session.rapporteurs:
        rows.append(("Rapporteurs", "; ".join(_who(p) for p in session.rapporteurs) or "-"))
    rows += [
        ("Objectives", objectives or "-"),
        ("Languages", ", ".join(event.languages)),
        ("Speaker link", session.session.speaker_link or event.speaker_link or "-"),
    ]
    return rows


def _sheet(view: PlanView, session: SessionView, sheet: Sheet) -> None:
    last_column = len(HEADER)
    sheet.merge(1, 1, last_column, session.session.title, font=TITLE_FONT)
    for row, (label, value) in enumerate(_facts(view, session), start=2):
        sheet.merge(row, 1, LABEL_COLUMNS, label, font=LABEL_FONT)
        link = value if label == "Speaker link" and value.startswith(("https://", "http://")) else None
        sheet.merge(row, LABEL_COLUMNS + 1, last_column, value, link=link)
    first = sheet.max_row + 2
    rows = [_row(view, item) for item in session.items]
    last = sheet.table(HEADER, rows, widths=WIDTHS, first_row=first)
    status_column = HEADER.index("status")
    sheet.ws.data_validation(
        first,  # the first row below the header, counted from 0
        status_column,
        max(last, first + 1) - 1,
        status_column,
        {
            "validate": "list",
            "source": list(STATUSES),
            "ignore_blank": True,
            "error_title": "Status",
            "error_message": "Choose ready, on air, done or skipped.",
        },
    )
    tall = 1 if sheet.one_page_scale() >= MIN_SCALE else 0
    right = f"{session.id}, {session.start:%d %b %Y}"
    sheet.print_setup(first, header=view.event.title, right=right, pages_tall=tall)


def _who(person: Applicant) -> str:
    details = ", ".join(x for x in (person.function, person.organisation) if x)
    return f"{person.name} ({details})" if details else person.name


def _row(view: PlanView, item: ItemView) -> list[Any]:
    person = item.person
    return [
        item.number,
        item.start.time(),
        item.end.time(),
        item.minutes,
        item.segment,
        person.name if person else "",
        ", ".join(x for x in (person.function, person.organisation) if x) if person else "",
        _delegation(person) if person else "",
        item.role.value if item.role else "",
        person.languages[0] if person and person.languages else "",
        _local_time(view, item),
        _cue(view, item),
        "",
    ]


def _delegation(person: Applicant) -> str:
    """Whom the person speaks for: a State's name for its delegates; otherwise the category (and group), with
    the country a stakeholder or organisation gave in brackets, so that it does not read as a State's delegation."""
    if person.country and person.is_delegate:
        return person.country
    label = CATEGORY_LABELS[person.category]
    if person.category is Category.STAKEHOLDER and person.stakeholder_group:
        label = f"stakeholder: {person.stakeholder_group.replace('_', ' ')}"
    return f"{label} ({person.country})" if person.country else label


def _local_time(view: PlanView, item: ItemView) -> str:
    """The item in the person's own time zone, with their date when it differs from the event's."""
    if item.person is None:
        return ""
    tz = person_tz(view.event, item.person)
    start, end = item.start.astimezone(tz), item.end.astimezone(tz)
    day = f" ({start:%a %d %b})" if start.date() != item.start.date() else ""
    return f"{start:%H:%M}-{end:%H:%M} {start:%Z}{day}"


def _cue(view: PlanView, item: ItemView) -> str:
    if item.segment == "opening":
        return "Welcome; housekeeping (interpretation, raise hand, chat); introduce the theme"
    if item.segment == "intervention" and item.minutes > 1:
        warning = (item.end - dt.timedelta(minutes=1)).astimezone(view.event.tz)
        return f"1-minute warning at {warning:%H:%M}"
    return {
        "discussion": "Open the floor; raised hands in order",
        "report": "Invite the rapporteur to summarise",
        "closing": "Sum up; thank speakers and interpreters",
    }.get(item.segment, "")
