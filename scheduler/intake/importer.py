"""`scheduler import`: a registration export (.xlsx or .csv, any form tool) into the event's applicants sheet.

Rows of one person (the same e-mail in any letter case) merge: list answers (interests, objectives, languages...)
add up in order of appearance, and for single values the later non-blank answer wins. A person already in the
applicants sheet keeps their id and the columns the export does not fill; new people get the next free id
(`P` and a number one above the highest `P<number>` id in the sheet, at least three digits: P001, P002...), in
the order they first appear in the export. People in the sheet but not in the export are kept as they are.

The result is checked by the same loader as `scheduler validate` before anything is written; every problem
points back to the export's row and column header. The sheet is replaced atomically (a temporary file renamed).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.writer.excel import ExcelWriter

from scheduler.load import InputError, Problem, load_event
from scheduler.load.applicants import COLUMNS, read_sheet
from scheduler.load.event_toml import EMAIL, SLUG, SLUG_RULE
from scheduler.load.problems import BadValue, control_character, did_you_mean, shown

from .mapping import LIST_COLUMNS, VALID, Mapping, answer_key, our_value, read_mapping

# The date of every part of a written workbook: a fixed one, so that the same input gives the same bytes.
STAMP = dt.datetime(2020, 1, 1)
NEXT_ID = re.compile(r"^P(\d+)$", re.IGNORECASE)
REFERENCE_FILES = ("event.toml", "objectives.csv", "member_states.csv")


@dataclass
class Report:
    """What an import did, or would do with --dry-run."""

    source: str
    target: Path
    rows: int = 0  # filled rows of the export
    people: int = 0  # distinct e-mail addresses among them
    new: list[str] = field(default_factory=list)  # ids given to people not in the sheet before
    updated: list[str] = field(default_factory=list)  # ids of people in the sheet whose answers changed
    unchanged: int = 0  # people in the sheet and the export, nothing changed
    kept: int = 0  # people in the sheet who are not in the export: kept as they are
    withdrawn: int = 0  # people of the export whose status is withdrawn
    written: bool = False

    @property
    def merged(self) -> int:
        """Rows that were merged into an earlier row of the same person."""
        return self.rows - self.people


@dataclass
class _Person:
    """One person of the export: the merged answers of their rows."""

    email_key: str
    first_row: int
    rows: list[int] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)  # single-valued columns: the later answer wins
    items: dict[str, list[str]] = field(default_factory=dict)  # list columns, in order of appearance
    source: dict[str, tuple[int, str]] = field(default_factory=dict)  # our column -> (export row, header)


def import_registrations(source: Path, folder: Path, mapping_file: Path, *, dry_run: bool = False) -> Report:
    """Import a registration export into `folder`'s applicants sheet; InputError (nothing written) on problems."""
    _check_folder(folder)
    table, problems = read_sheet(source) if _supported(source) else (None, [_unsupported(source)])
    if table is None or problems:
        raise InputError(problems)
    mapping, problems = read_mapping(mapping_file, table.titles)
    if problems:
        raise InputError(problems)
    target, existing = _existing(folder)
    reader = _ExportReader(table.file, table.sheet, table.titles, mapping)
    people: dict[str, _Person] = {}
    for number, values in table.rows:
        reader.read_row(number, values, people)
    if reader.problems:
        raise InputError(reader.problems)
    report = Report(table.file, target, rows=len(table.rows), people=len(people))
    merged = _merge(existing, list(people.values()), mapping, report, table.file)
    if merged.problems:
        raise InputError(merged.problems)
    data = _xlsx_bytes(merged) if target.suffix == ".xlsx" else _csv_bytes(merged)
    _check_result(folder, target.name, data, merged, table.file)
    if not dry_run:
        _replace(target, data)
        report.written = True
    return report


def _supported(source: Path) -> bool:
    return source.suffix.lower() in (".xlsx", ".csv")


def _unsupported(source: Path) -> Problem:
    return Problem(
        shown(source.name), "is neither .xlsx nor .csv", "export the registrations as Excel (.xlsx) or CSV"
    )


def _check_folder(folder: Path) -> None:
    if not (folder / "event.toml").is_file():
        raise InputError(
            [
                Problem(
                    shown(folder, 200),
                    "is not an event folder (no event.toml in it)",
                    "give the event folder the applicants go to, or make one with `scheduler init`",
                )
            ]
        )


# --- the sheet as it is --------------------------------------------------------------------------------------


@dataclass
class _Existing:
    header: list[str]  # our column names, as the loader reads them
    titles: list[str]  # as written: kept for columns of the organisers' own
    rows: list[tuple[int, dict[str, Any]]]


def _existing(folder: Path) -> tuple[Path, _Existing]:
    """The applicants file to write and what it holds now (nothing when there is none yet)."""
    xlsx, csv_path = folder / "applicants.xlsx", folder / "applicants.csv"
    if xlsx.exists() and csv_path.exists():
        raise InputError(
            [
                Problem(
                    "applicants.csv",
                    "both applicants.xlsx and applicants.csv are in the event folder",
                    "keep the one that is up to date and move the other away",
                )
            ]
        )
    target = csv_path if csv_path.exists() else xlsx
    if not target.exists():
        return target, _Existing([], [], [])
    table, problems = read_sheet(target)
    if table is None or problems:
        raise InputError(problems)
    rows = [
        (number, {name: values[i] for i, name in enumerate(table.header) if name and i < len(values)})
        for number, values in table.rows
    ]
    return target, _Existing(table.header, table.titles, rows)


# --- reading the export ----------------------------------------------------------------------------------------


class _ExportReader:
    """Turns export rows into people, collecting a problem (row, header, hint) for each answer it cannot use."""

    def __init__(self, file: str, sheet: str, titles: list[str], mapping: Mapping) -> None:
        self.file = file
        self.sheet = sheet
        self.mapping = mapping
        self.index = {title: i for i, title in reversed(list(enumerate(titles)))}
        self.problems: list[Problem] = []

    def problem(self, row: int, header: str, message: str, hint: str = "") -> None:
        self.problems.append(
            Problem(self.file, message, hint, sheet=self.sheet, row=row, column=f'"{shown(header, 50)}"')
        )

    def cell(self, row: int, values: list[Any], header: str) -> Any:
        index = self.index[header]
        value = values[index] if index < len(values) else None
        if isinstance(value, str):
            value = value.strip()
            where = control_character(value)
            if where:
                self.problem(
                    row, header, f'"{shown(value)}" holds a control character ({where})', "retype it"
                )
                return None
        return None if value in ("", None) else value

    def read_row(self, row: int, values: list[Any], people: dict[str, _Person]) -> None:
        answers: dict[str, tuple[Any, str]] = {}  # our column -> (value or list of items, header)
        for ours, header in self.mapping.columns.items():
            value = self.cell(row, values, header)
            if value is None:
                continue
            found = (
                self.items(row, header, ours, [value])
                if self.is_list(ours)
                else self.single(row, header, ours, value)
            )
            if found not in (None, []):
                answers[ours] = (found, header)
        for ours, headers in self.mapping.derive.items():
            cells = [(h, self.cell(row, values, h)) for h in headers]
            filled = [(h, v) for h, v in cells if v is not None]
            if not filled:
                continue
            if self.is_list(ours):
                items: list[str] = []
                for header, value in filled:
                    items += self.items(row, header, ours, [value])
                answer: Any = items
            else:  # e.g. a name from "First name" and "Last name"
                answer = self.single(row, filled[0][0], ours, " ".join(_text(v) for _, v in filled))
            if answer not in (None, []):
                answers[ours] = (answer, filled[0][0])
        email = answers.get("email")
        if email is None:
            header = self.mapping.columns.get("email", "")
            self.problem(
                row,
                header,
                "missing e-mail: the row cannot be matched to a person",
                "fill it in, or delete the row",
            )
            return
        address = _text(email[0])
        if not EMAIL.match(address):
            self.problem(
                row,
                email[1],
                f'"{shown(address)}" is not an e-mail address',
                "write it like name@example.org",
            )
            return
        key = address.casefold()
        person = people.setdefault(key, _Person(key, row))
        person.rows.append(row)
        for ours, (answer, header) in answers.items():
            if isinstance(answer, list):
                listed = person.items.setdefault(ours, [])
                listed += [item for item in answer if item not in listed]
                person.source.setdefault(ours, (row, header))
            elif ours != "email" or ours not in person.values:  # the address as first written
                person.values[ours] = answer
                person.source[ours] = (row, header)

    def is_list(self, ours: str) -> bool:
        return ours in LIST_COLUMNS or ours in self.mapping.lists

    def items(self, row: int, header: str, ours: str, values: list[Any]) -> list[str]:
        separator = self.mapping.lists.get(ours)
        found: list[str] = []
        for value in values:
            text = _text(value)
            parts = text.split(separator) if separator else [text]
            for part in (p.strip() for p in parts):
                if not part:
                    continue
                mapped = self.map(row, header, ours, part)
                if mapped is not None:
                    found += [i.strip() for i in mapped.split(";") if i.strip()]
        return found

    def single(self, row: int, header: str, ours: str, value: Any) -> Any:
        if ours not in VALID and ours not in self.mapping.values:
            return value  # as typed in the export: numbers and dates stay numbers and dates
        return self.map(row, header, ours, _text(value))

    def map(self, row: int, header: str, ours: str, answer: str) -> str | None:
        """Our value for an answer: from the mapping's [values] table, else the answer itself if it is one."""
        table = self.mapping.values.get(ours)
        if table is not None and answer_key(answer) in table:
            return table[answer_key(answer)]
        try:
            return our_value(ours, answer)
        except BadValue as error:
            known = self.mapping.answers.get(ours, [])
            if table is None:
                self.problem(row, header, str(error), error.hint)
            else:
                self.problem(
                    row,
                    header,
                    f'answer "{shown(answer)}" is not in [values.{ours}] of {self.mapping.file}',
                    did_you_mean(answer, known) or f"add it to [values.{ours}]",
                )
            return None


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    return str(value).strip()


# --- merging into the sheet --------------------------------------------------------------------------------------


@dataclass
class _Merged:
    columns: list[str]  # our column names, in the order written
    titles: list[str]  # the header row as written
    rows: list[dict[str, Any]]
    origin: list[
        tuple[int | None, _Person | None]
    ]  # per row: its row in the old sheet, its person of the export
    problems: list[Problem] = field(default_factory=list)


def _merge(
    existing: _Existing, people: list[_Person], mapping: Mapping, report: Report, export_file: str
) -> _Merged:
    rows = [dict(values) for _, values in existing.rows]
    origin: list[tuple[int | None, _Person | None]] = [(number, None) for number, _ in existing.rows]
    by_email: dict[str, int] = {}
    for position, values in enumerate(rows):
        key = _text(values.get("email") or "").casefold()
        # A withdrawn row may share its address with an active one, who is the person meant.
        if key and (key not in by_email or _withdrawn(rows[by_email[key]])):
            by_email[key] = position
    used = {_text(v.get("id") or "").casefold() for v in rows}
    numbers = [NEXT_ID.match(_text(v.get("id") or "")) for v in rows]
    digits = [m[1] for m in numbers if m]
    next_number = max((int(d) for d in digits), default=0) + 1
    width = max([3, *(len(d) for d in digits)])
    problems: list[Problem] = []
    matched: set[int] = set()
    for person in people:
        answers: dict[str, Any] = dict(person.values)
        answers |= {column: "; ".join(items) for column, items in person.items.items()}
        found = by_email.get(person.email_key)
        if found is not None:
            matched.add(found)
            origin[found] = (origin[found][0], person)
            answers.pop("id", None)  # an applicant keeps their id on every re-import
            answers.pop("email", None)  # and their address as the sheet spells it
            old = rows[found]
            if any(_text(old.get(c) or "") != _text(v) for c, v in answers.items()):
                report.updated.append(_text(old.get("id")))
            else:
                report.unchanged += 1
            old |= answers
            values = old
        else:
            given = _text(answers.get("id") or "")
            if given:
                where = person.source["id"]
                if not SLUG.match(given):
                    problems.append(
                        Problem(
                            export_file,
                            f'"{shown(given)}" is not a safe id',
                            SLUG_RULE,
                            row=where[0],
                            column=f'"{where[1]}"',
                        )
                    )
                elif given.casefold() in used:
                    problems.append(
                        Problem(
                            export_file,
                            f'id "{shown(given)}" is already someone else\'s',
                            "leave the id to the import, or give another",
                            row=where[0],
                            column=f'"{where[1]}"',
                        )
                    )
            else:
                while f"p{next_number:0{width}d}" in used:
                    next_number += 1
                given = f"P{next_number:0{width}d}"
            used.add(given.casefold())
            values = {"id": given, **answers}
            rows.append(values)
            origin.append((None, person))
            report.new.append(given)
        for column, default in mapping.defaults.items():
            if values.get(column) in (None, ""):
                values[column] = default
        report.withdrawn += _withdrawn(values)
    report.kept = len(existing.rows) - len(matched)
    extra_existing = [h for h in existing.header if h and h not in COLUMNS]
    extra_mapped = [c for c in mapping.ours() if c not in COLUMNS and c not in extra_existing]
    columns = [*COLUMNS, *dict.fromkeys(extra_existing), *extra_mapped]
    title_of = {h: t for h, t in zip(existing.header, existing.titles, strict=False) if h not in COLUMNS}
    titles = [title_of.get(c, c) for c in columns]
    return _Merged(columns, titles, rows, origin, problems)


def _withdrawn(values: dict[str, Any]) -> bool:
    return _text(values.get("status") or "").lower() == "withdrawn"


# --- writing -------------------------------------------------------------------------------------------------


def _cell(value: Any) -> Any:
    return None if value in ("", None) else value


def _xlsx_bytes(merged: _Merged) -> bytes:
    """The applicants workbook; every part dated STAMP, so that the same import writes the same bytes."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "applicants"
    sheet.append(merged.titles)
    for values in merged.rows:
        sheet.append([_cell(values.get(c)) for c in merged.columns])
    sheet.freeze_panes = "B2"
    book.properties.created = book.properties.modified = STAMP
    made = io.BytesIO()
    with zipfile.ZipFile(made, "w") as archive:  # not book.save, which stamps the time of the run
        ExcelWriter(book, archive).save()
    stamped = io.BytesIO()
    with zipfile.ZipFile(made) as parts, zipfile.ZipFile(stamped, "w", zipfile.ZIP_DEFLATED) as archive:
        for part in parts.infolist():
            archive.writestr(
                zipfile.ZipInfo(part.filename, STAMP.timetuple()[:6]), parts.read(part), zipfile.ZIP_DEFLATED
            )
    return stamped.getvalue()


def _csv_bytes(merged: _Merged) -> bytes:
    text = io.StringIO(newline="")
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(merged.titles)
    for values in merged.rows:
        writer.writerow([_text(values.get(c)) if values.get(c) is not None else "" for c in merged.columns])
    return text.getvalue().encode("utf-8")


def _check_result(folder: Path, name: str, data: bytes, merged: _Merged, export_file: str) -> None:
    """Load the event as it would be after the import; InputError with each problem traced to the export."""
    with tempfile.TemporaryDirectory(prefix="scheduler-import-") as trial:
        for reference in REFERENCE_FILES:
            if (folder / reference).is_file():
                shutil.copyfile(folder / reference, Path(trial) / reference)
        (Path(trial) / name).write_bytes(data)
        try:
            load_event(trial)
        except InputError as error:
            raise InputError([_traced(p, name, merged, export_file) for p in error.problems]) from None


def _traced(problem: Problem, name: str, merged: _Merged, export_file: str) -> Problem:
    """A problem of the imported sheet as the export's row and header, or as the sheet's own row."""
    if problem.file != name or problem.row is None or problem.row < 2:
        return problem
    position = problem.row - 2
    if position >= len(merged.origin):
        return problem
    label = re.match(r"^\S+ \((.*)\)$", problem.column)
    column = label[1] if label else problem.column
    old_row, person = merged.origin[position]
    if person is not None and column in person.source:
        row, header = person.source[column]
        return Problem(export_file, problem.message, problem.hint, row=row, column=f'"{shown(header, 50)}"')
    if old_row is not None:
        return Problem(name, problem.message, problem.hint, row=old_row, column=column)
    assert person is not None
    return Problem(export_file, problem.message, problem.hint, row=person.first_row, column=column)


def _replace(target: Path, data: bytes) -> None:
    """Write `target` as a whole or not at all: a temporary file next to it, then renamed over it."""
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        Path(temporary).replace(target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
