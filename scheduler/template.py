"""`scheduler init`: a new event folder to fill in, with a commented event.toml and an applicants workbook that
guides whoever types in it (drop-down lists, input hints, an instructions sheet)."""

from __future__ import annotations

import re
import shlex
from importlib import resources
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from scheduler.domain import GENDERS, LEVELS, STAKEHOLDER_GROUPS, Category
from scheduler.load.applicants import COLUMNS, REQUIRED, STATUSES
from scheduler.load.objectives import GCM_OBJECTIVES

ROWS = 2000  # drop-down lists and hints apply to this many rows

HINTS: dict[str, str] = {
    "id": "Unique and stable, e.g. P001. Letters, digits, - _ . only.",
    "name": "As on the registration.",
    "email": "Where the invitation is sent, e.g. name@example.org.",
    "organisation": "e.g. Ministry of Interior.",
    "function": "e.g. Deputy Minister.",
    "category": "Who the person speaks for: choose from the list.",
    "country": "Required for member States: the State's name as in member_states.csv.",
    "subregion": "Free label used to balance panels, e.g. Central Asia.",
    "stakeholder_group": "Required for stakeholders: choose from the list.",
    "gender": "f, m, x, or leave blank (not stated).",
    "level": "Protocol rank: choose from the list.",
    "timezone": "Where the person connects from, e.g. Asia/Almaty. Blank: the event's time zone, for everyone "
    "(a delegate's capital is never assumed: fill it in for people who connect from there).",
    "available": "Local hours the person can take a role, e.g. 08:00-20:00 or 07:00-12:00; 14:00-22:00.",
    "languages": "e.g. en; ru (first = language of intervention).",
    "interests": "Ranked SESSION:ROLE wishes, e.g. RT2:speaker; RT4:speaker; RT2:moderator.",
    "objectives": "Objective numbers (from objectives.csv) the person will address, e.g. 4; 11; 13.",
    "submission_date": "Date a written submission was received, e.g. 2030-01-02.",
    "submission_words": "Length of the written submission in words.",
    "fixed": "An organiser's decision that must hold, e.g. opening:speaker.",
    "status": "active (default) or withdrawn.",
    "registered_at": "When the interest was registered, e.g. 2030-01-02 14:30.",
}
CHOICES: dict[str, tuple[str, ...]] = {
    "category": tuple(c.value for c in Category),
    "stakeholder_group": STAKEHOLDER_GROUPS,
    "gender": tuple(g for g in GENDERS if g),
    "level": LEVELS,
    "status": STATUSES,
}


class FolderNotEmpty(Exception):
    """The target folder already holds files: `init` never overwrites an event."""


def write_template(folder: Path) -> list[Path]:
    """Write event.toml, applicants.xlsx and objectives.csv (the GCM's 23, to edit for another framework) into
    a new (or empty) folder; returns the files written."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise FolderNotEmpty(f"{folder} is not empty" if folder.is_dir() else f"{folder} is a file")
    folder.mkdir(parents=True, exist_ok=True)
    event_id = re.sub(r"[^A-Za-z0-9_.-]+", "-", folder.resolve().name).strip("-.") or "my-event"
    text = resources.files("scheduler").joinpath("templates/event.toml").read_text(encoding="utf-8")
    toml = folder / "event.toml"
    toml.write_text(
        # The folder goes into a comment: quoted as a shell would need it, and on one line, so the TOML stays valid.
        text.replace("{event_id}", event_id[:64]).replace(
            "{folder}", " ".join(shlex.quote(str(folder)).split())
        ),
        encoding="utf-8",
    )
    workbook = folder / "applicants.xlsx"
    _applicants_workbook(workbook)
    objectives = folder / "objectives.csv"
    objectives.write_bytes(GCM_OBJECTIVES.read_bytes())
    return [toml, workbook, objectives]


def _applicants_workbook(path: Path) -> None:
    book = Workbook()
    sheet = book.active
    if sheet is None:
        raise ValueError("a new workbook has no sheet")
    sheet.title = "applicants"
    header_fill = PatternFill("solid", fgColor="1F4E79")
    for column, name in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=column, value=name)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = header_fill
        letter = get_column_letter(column)
        sheet.column_dimensions[letter].width = max(14, min(40, len(HINTS[name]) // 2))
        cells = f"{letter}2:{letter}{ROWS + 1}"
        if name in CHOICES:
            check = DataValidation(type="list", formula1='"' + ",".join(CHOICES[name]) + '"', allow_blank=True,
                                   showErrorMessage=True, errorTitle=name,
                                   error="Choose a value from the list.")  # fmt: skip
        else:
            check = DataValidation(allow_blank=True)
        check.promptTitle = name + (" (required)" if name in REQUIRED else "")
        check.prompt = HINTS[name][:255]
        check.showInputMessage = True
        sheet.add_data_validation(check)
        check.add(cells)
    sheet.freeze_panes = "B2"
    _instructions(book.create_sheet("Instructions"))
    book.save(path)


def _instructions(sheet: Worksheet) -> None:
    lines = [
        ("How to fill in the applicants sheet", ""),
        ("", "One row per person who expressed interest. Keep the first row (the column names) as it is."),
        ("", "Required columns: " + ", ".join(REQUIRED) + ". The others may stay blank."),
        ("", "Then run: scheduler validate <this folder>. It lists every problem with its row and column."),
        ("", ""),
        ("column", "what to write"),
        *((name, HINTS[name]) for name in COLUMNS),
    ]
    for row, (label, text) in enumerate(lines, start=1):
        sheet.cell(row=row, column=1, value=label).font = Font(bold=row in (1, 6))
        sheet.cell(row=row, column=2, value=text).alignment = Alignment(wrap_text=True, vertical="top")
    sheet.column_dimensions["A"].width = 22
    sheet.column_dimensions["B"].width = 100
