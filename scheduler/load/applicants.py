"""`applicants.xlsx` or `applicants.csv`: one row per person, every cell checked and located."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import re
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
import pytz
from openpyxl.utils import get_column_letter

from scheduler.domain import (
    GENDERS,
    LEVELS,
    STAKEHOLDER_GROUPS,
    Applicant,
    Category,
    Interest,
    Role,
    Window,
)
from scheduler.load.event_toml import EMAIL, SLUG, EventSpec
from scheduler.load.problems import Problem, did_you_mean
from scheduler.load.timeparse import covers, parse_date, parse_datetime, parse_windows

COLUMNS = (
    "id",
    "name",
    "email",
    "organisation",
    "function",
    "category",
    "country",
    "subregion",
    "stakeholder_group",
    "gender",
    "level",
    "timezone",
    "available",
    "languages",
    "interests",
    "objectives",
    "submission_date",
    "submission_words",
    "fixed",
    "status",
    "registered_at",
)
REQUIRED = ("id", "name", "email", "category", "interests")
STATUSES = ("active", "withdrawn")
LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")


@dataclass(frozen=True)
class MemberState:
    country: str
    group: str
    timezone: str


@dataclass
class _Sheet:
    """The applicants table as header names and rows of raw cell values, with their numbers in the file."""

    file: str
    sheet: str
    header: list[str]
    rows: list[tuple[int, list[Any]]]
    letters: list[str]  # the column letter (xlsx) or number (csv) of each header position


def read_applicants(
    folder: Path, spec: EventSpec, valid_objectives: set[int] | None, states: dict[str, MemberState] | None
) -> tuple[list[Applicant], list[Problem]]:
    """Read the applicants file of an event folder; every problem is collected, none raised."""
    table, problems = _read_table(folder)
    if table is None:
        return [], problems
    columns = _columns(table, problems)
    if columns is None:
        return [], problems
    parser = _RowParser(table, columns, spec, valid_objectives, states)
    applicants = [a for number, values in table.rows if (a := parser.parse(number, values)) is not None]
    problems += parser.problems
    problems += _cross_checks(table, applicants, spec, parser.raw_emails)
    return applicants, problems


# --- reading the file ----------------------------------------------------------------------------------------


def _read_table(folder: Path) -> tuple[_Sheet | None, list[Problem]]:
    xlsx, csv_path = folder / "applicants.xlsx", folder / "applicants.csv"
    if xlsx.exists():
        return _read_xlsx(xlsx)
    if csv_path.exists():
        return _read_csv(csv_path)
    return None, [
        Problem(
            "applicants.xlsx",
            "file not found (nor applicants.csv)",
            f"put the applicants in {xlsx}; `scheduler init` writes a template",
        )
    ]


def _read_xlsx(path: Path) -> tuple[_Sheet | None, list[Problem]]:
    file = path.name
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as error:
        return None, [Problem(file, f"cannot be opened as an Excel workbook ({error})", "save it as .xlsx")]
    try:
        sheet = book["applicants"] if "applicants" in book.sheetnames else book.worksheets[0]
        raw = [list(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()
    problems = [
        Problem(
            file,
            f"merged cells {ref}: each row needs its own values",
            "unmerge the cells and fill every row",
            sheet=sheet.title,
        )
        for ref in _merged_ranges(path, sheet.title)
    ]
    if not raw or all(_blank(v) for v in raw[0]):
        return None, [
            *problems,
            Problem(
                file,
                "the sheet is empty: the first row must hold the column names",
                "copy the header row from the template",
                sheet=sheet.title,
                row=1,
            ),
        ]
    header = [_header_name(v) for v in raw[0]]
    letters = [get_column_letter(i + 1) for i in range(len(header))]
    rows = [(i, values) for i, values in enumerate(raw[1:], start=2) if not all(_blank(v) for v in values)]
    return _Sheet(file, sheet.title, header, rows, letters), problems


def _merged_ranges(path: Path, title: str) -> list[str]:
    """Merged-cell ranges of a sheet, read from the workbook XML (read-only openpyxl does not expose them)."""
    with zipfile.ZipFile(path) as archive:
        book = archive.read("xl/workbook.xml").decode("utf-8", "replace")
        names = re.findall(r'<sheet [^>]*name="([^"]*)"[^>]*r:id="([^"]*)"', book)
        rels = archive.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
        targets = dict(re.findall(r'Id="([^"]*)"[^>]*Target="([^"]*)"', rels))
        targets |= {k: v for v, k in re.findall(r'Target="([^"]*)"[^>]*Id="([^"]*)"', rels)}
        for name, rid in names:
            if name == title and rid in targets:
                target = targets[rid].lstrip("/")
                member = target if target.startswith("xl/") else f"xl/{target}"
                xml = archive.read(member).decode("utf-8", "replace")
                return re.findall(r'<mergeCell ref="([^"]+)"', xml)
    return []


def _read_csv(path: Path) -> tuple[_Sheet | None, list[Problem]]:
    file = path.name
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        return None, [
            Problem(
                file,
                f"not UTF-8 text (byte 0x{data[error.start]:02x} at line {line}); the file looks like a legacy "
                "encoding such as Windows-1252",
                'save it as "CSV UTF-8 (comma delimited)", or as .xlsx',
                row=line,
            )
        ]
    dialect: type[csv.Dialect] | csv.Dialect = csv.excel
    with contextlib.suppress(csv.Error):
        dialect = csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=",;\t")
    raw = list(csv.reader(io.StringIO(text, newline=""), dialect))
    if not raw or all(_blank(v) for v in raw[0]):
        return None, [Problem(file, "the file is empty: the first line must hold the column names", row=1)]
    header = [_header_name(v) for v in raw[0]]
    rows = [
        (i, list(values)) for i, values in enumerate(raw[1:], start=2) if not all(_blank(v) for v in values)
    ]
    return _Sheet(file, "", header, rows, [str(i + 1) for i in range(len(header))]), []


def _header_name(value: Any) -> str:
    return str(value).strip().lower().replace(" ", "_") if value is not None else ""


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _columns(table: _Sheet, problems: list[Problem]) -> dict[str, int] | None:
    """Position of each contract column; problems for missing and duplicated ones."""
    positions: dict[str, int] = {}
    for i, name in enumerate(table.header):
        if not name:
            continue
        if name in positions:
            problems.append(
                Problem(
                    table.file,
                    f'column "{name}" appears twice ({table.letters[positions[name]]} '
                    f"and {table.letters[i]})",
                    "delete or rename one of them",
                    column=table.letters[i],
                    sheet=table.sheet,
                    row=1,
                )
            )
        else:
            positions[name] = i
    unknown = [n for n in positions if n not in COLUMNS]
    for name in REQUIRED:
        if name not in positions:
            near = did_you_mean(name, unknown, cutoff=0.7) if unknown else ""
            hint = f"a column is named differently: {near}" if near.startswith("did") else "add the column"
            problems.append(Problem(table.file, f'missing column "{name}"', hint, sheet=table.sheet, row=1))
    if any(name not in positions for name in REQUIRED):
        return None
    return positions


# --- parsing one row -----------------------------------------------------------------------------------------


class _RowParser:
    def __init__(
        self,
        table: _Sheet,
        columns: dict[str, int],
        spec: EventSpec,
        valid_objectives: set[int] | None,
        states: dict[str, MemberState] | None,
    ) -> None:
        self.table = table
        self.columns = columns
        self.spec = spec
        self.valid_objectives = valid_objectives
        self.states = states
        self.sessions = {s.id for s in spec.sessions}
        self.problems: list[Problem] = []
        self.raw_emails: dict[str, str] = {}
        self._row = 0

    def problem(self, column: str, message: str, hint: str = "") -> None:
        letter = self.table.letters[self.columns[column]] if column in self.columns else ""
        label = f"{letter} ({column})" if letter else column
        self.problems.append(
            Problem(self.table.file, message, hint, sheet=self.table.sheet, row=self._row, column=label)
        )

    def cell(self, values: list[Any], column: str) -> Any:
        index = self.columns.get(column)
        if index is None or index >= len(values):
            return None
        value = values[index]
        if isinstance(value, str):
            value = value.strip()
            return value or None
        return value

    def text(self, values: list[Any], column: str) -> str:
        value = self.cell(values, column)
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return str(value)

    def field(
        self, values: list[Any], column: str, convert: Callable[[Any], Any], default: Any = None
    ) -> Any:
        value = self.cell(values, column)
        if value is None:
            return default
        try:
            return convert(value)
        except ValueError as error:
            self.problem(column, str(error))
            return default

    def parse(self, number: int, values: list[Any]) -> Applicant | None:
        self._row = number
        before = len(self.problems)
        pid = self.text(values, "id")
        if not pid:
            self.problem("id", "missing id", "give every person a unique id such as P001")
        elif not SLUG.match(pid) or pid in {".", ".."}:
            self.problem(
                "id",
                f'"{_short(pid)}" is not a safe id',
                'use letters, digits, "-", "_" or "." '
                '(at most 64 characters, no spaces or "/"): it becomes part of file names',
            )
        name = self.text(values, "name")
        if not name:
            self.problem("name", "missing name")
        email = self.text(values, "email")
        if not EMAIL.match(email):
            self.problem(
                "email",
                f'"{_short(email)}" is not an e-mail address' if email else "missing e-mail",
                "write it as name@example.org",
            )
        else:
            self.raw_emails[pid] = email
        category = self.field(values, "category", _enum(Category))
        if category is None and self.cell(values, "category") is None:
            self.problem("category", "missing category", "one of: " + ", ".join(c.value for c in Category))
        country = self.text(values, "country")
        state = self._country(country, category)
        subregion = self.text(values, "subregion") or (state.group if state else "")
        group = self.field(values, "stakeholder_group", _one_of(STAKEHOLDER_GROUPS), "")
        if category is Category.STAKEHOLDER and not group and self.cell(values, "stakeholder_group") is None:
            self.problem(
                "stakeholder_group",
                "missing stakeholder group for a stakeholder",
                "one of: " + ", ".join(STAKEHOLDER_GROUPS),
            )
        gender = self.field(values, "gender", _one_of(GENDERS), "")
        level = self.field(values, "level", _one_of(LEVELS), "other")
        timezone = self.field(values, "timezone", _timezone, "") or (state.timezone if state else "")
        available = self.field(values, "available", lambda v: parse_windows(str(v)), ())
        languages = self.field(values, "languages", _languages, ())
        interests = self.field(values, "interests", self._interests, ())
        objectives = self.field(values, "objectives", self._objectives, ())
        submission_date = self.field(values, "submission_date", parse_date)
        words = self.field(values, "submission_words", _count)
        fixed = self.field(values, "fixed", self._fixed, ())
        status = self.field(values, "status", _one_of(STATUSES), "active")
        registered_at = self.field(values, "registered_at", parse_datetime)
        if len(self.problems) > before or category is None:
            return None
        if status == "withdrawn" and fixed:
            self.problem(
                "fixed",
                f"{pid} is withdrawn but has a fixed assignment ({', '.join(f'{s}:{r}' for s, r in fixed)})",
                "clear the fixed cell or set status to active",
            )
            return None
        return Applicant(
            id=pid,
            name=name,
            email=email,
            category=category,
            organisation=self.text(values, "organisation"),
            function=self.text(values, "function"),
            country=country,
            subregion=subregion,
            stakeholder_group=group,
            gender=gender,
            level=level,
            timezone=timezone,
            available=available,
            languages=languages,
            interests=interests,
            objectives=objectives,
            submission_date=submission_date,
            submission_words=words,
            fixed=fixed,
            withdrawn=status == "withdrawn",
            registered_at=registered_at,
            row=number,
        )

    def _country(self, country: str, category: Category | None) -> MemberState | None:
        if self.states is None:
            return None
        if country and country in self.states:
            return self.states[country]
        if category is Category.MEMBER_STATE:
            if not country:
                self.problem("country", "missing country for a member State")
            else:
                self.problem(
                    "country",
                    f'"{_short(country)}" is not in member_states.csv',
                    did_you_mean(country, self.states),
                )
        return None

    def _session_role(self, item: str) -> tuple[str, Role]:
        if ":" not in item:
            raise ValueError(f'"{_short(item)}" is not SESSION:ROLE (e.g. RT2:speaker)')
        session, role = (part.strip() for part in item.split(":", 1))
        if session not in self.sessions:
            raise ValueError(
                f'unknown session "{_short(session)}" in "{_short(item)}" '
                f"({did_you_mean(session, self.sessions)})"
            )
        roles = [r.value for r in Role]
        if role.lower() not in roles:
            raise ValueError(
                f'unknown role "{_short(role)}" in "{_short(item)}" ({did_you_mean(role, roles)})'
            )
        return session, Role(role.lower())

    def _interests(self, value: Any) -> tuple[Interest, ...]:
        interests: list[Interest] = []
        for item in _items(value):
            session, role = self._session_role(item)
            if any(i.session == session and i.role is role for i in interests):
                raise ValueError(f'"{item}" is listed twice')
            interests.append(Interest(session, role, len(interests) + 1))
        return tuple(interests)

    def _fixed(self, value: Any) -> tuple[tuple[str, Role], ...]:
        return tuple(dict.fromkeys(self._session_role(item) for item in _items(value)))

    def _objectives(self, value: Any) -> tuple[int, ...]:
        numbers = []
        for item in _items(value):
            try:
                number = int(float(item))
            except ValueError:
                raise ValueError(f'"{_short(item)}" is not an objective number') from None
            if self.valid_objectives is not None and number not in self.valid_objectives:
                low, high = min(self.valid_objectives), max(self.valid_objectives)
                raise ValueError(f"objective {number} is outside {low}-{high}")
            if number < 1:
                raise ValueError(f"objective {number} must be a positive number")
            numbers.append(number)
        return tuple(sorted(set(numbers)))


def _short(text: str, limit: int = 60) -> str:
    """Echo user text in messages without flooding the terminal or carrying control characters."""
    clean = "".join(ch if ch.isprintable() else " " for ch in text)
    return clean if len(clean) <= limit else clean[: limit - 1] + "…"


def _items(value: Any) -> Iterator[str]:
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(int(value)) if float(value).is_integer() else str(value)
    for item in re.split(r"[;,\n]", str(value)):
        if item.strip():
            yield item.strip()


def _enum(enum: Any) -> Callable[[Any], Any]:
    valid = [e.value for e in enum]

    def convert(value: Any) -> Any:
        text = str(value).strip().lower()
        if text not in valid:
            raise ValueError(f'unknown value "{_short(str(value))}" ({did_you_mean(text, valid)})')
        return enum(text)

    return convert


def _one_of(valid: tuple[str, ...]) -> Callable[[Any], str]:
    def convert(value: Any) -> str:
        text = str(value).strip().lower()
        if text not in valid:
            raise ValueError(
                f'unknown value "{_short(str(value))}" ({did_you_mean(text, [v for v in valid if v])})'
            )
        return text

    return convert


def _timezone(value: Any) -> str:
    text = str(value).strip()
    if text not in pytz.all_timezones_set:
        raise ValueError(f'unknown time zone "{_short(text)}" ({did_you_mean(text, pytz.all_timezones)})')
    return text


def _languages(value: Any) -> tuple[str, ...]:
    codes = tuple(item.lower() for item in _items(value))
    for code in codes:
        if not LANGUAGE.match(code):
            raise ValueError(f'"{_short(code)}" is not a language code like en, fr or ru')
    return codes


def _count(value: Any) -> int:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and value.strip().replace(",", "").isdigit():
        value = int(value.strip().replace(",", ""))
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError(f'"{value}" is not a number of words')
    return value


# --- checks across rows --------------------------------------------------------------------------------------


def _cross_checks(
    table: _Sheet, applicants: list[Applicant], spec: EventSpec, emails: dict[str, str]
) -> list[Problem]:
    problems: list[Problem] = []

    def at(applicant: Applicant, column: str, message: str, hint: str = "") -> None:
        problems.append(
            Problem(table.file, message, hint, sheet=table.sheet, row=applicant.row, column=column)
        )

    first_row: dict[str, Applicant] = {}
    first_email: dict[str, Applicant] = {}
    for applicant in applicants:
        if applicant.id in first_row:
            at(
                applicant,
                "id",
                f'duplicate id "{applicant.id}" (first on row {first_row[applicant.id].row})',
                "ids must be unique and stay the same across re-plans",
            )
        first_row.setdefault(applicant.id, applicant)
        email = applicant.email.lower()
        if email in first_email and not applicant.withdrawn and not first_email[email].withdrawn:
            at(
                applicant,
                "email",
                f"e-mail {applicant.email} is also used by {first_email[email].id} "
                f"(row {first_email[email].row})",
                "one row per person: merge the two rows",
            )
        first_email.setdefault(email, applicant)
    sessions = {s.id: s for s in spec.sessions}
    fixed_counts: Counter[tuple[str, Role]] = Counter()
    for applicant in applicants:
        for session_id, role in applicant.fixed:
            fixed_counts[session_id, role] += 1
            session = sessions[session_id]
            if applicant.category not in session.eligible:
                at(
                    applicant,
                    "fixed",
                    f"{applicant.id} is fixed as {role} of {session_id}, but category "
                    f"{applicant.category} is not eligible there",
                    "change the fixed cell or the session's eligible",
                )
        _check_fixed_availability(applicant, spec, at)
    for (session_id, role), count in sorted(fixed_counts.items()):
        high = sessions[session_id].role_count(role)[1]
        if count > high:
            problems.append(
                Problem(
                    table.file,
                    f"{count} people are fixed as {role} of {session_id}, which has {high} such role(s)",
                    "remove some fixed assignments",
                    sheet=table.sheet,
                    column="fixed",
                )
            )
    return problems


def _check_fixed_availability(applicant: Applicant, spec: EventSpec, at: Callable[..., None]) -> None:
    for session_id, role in applicant.fixed:
        session = next(s for s in spec.sessions if s.id == session_id)
        if not session.is_fixed or not applicant.available:
            continue
        assert session.date is not None and session.start is not None
        event_tz = pytz.timezone(spec.timezone)
        start = event_tz.localize(dt.datetime.combine(session.date, session.start))
        end = start + dt.timedelta(minutes=session.minutes)
        local_tz = pytz.timezone(applicant.timezone or spec.timezone)
        local_start, local_end = start.astimezone(local_tz), end.astimezone(local_tz)
        if not covers(applicant.available, local_start, local_end):
            windows = "; ".join(str(w) for w in applicant.available)
            at(
                applicant,
                "fixed",
                f"{applicant.id} is fixed as {role} of {session_id} "
                f"({local_start:%H:%M}-{local_end:%H:%M} their time), outside their availability {windows}",
                "widen the available cell or remove the fixed assignment",
            )


def window_text(windows: tuple[Window, ...]) -> str:
    return "; ".join(str(w) for w in windows) or "any time"
