"""`applicants.xlsx` or `applicants.csv`: one row per person, every cell checked and located."""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import re
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import python_calamine
import pytz

from scheduler.domain import (
    GENDERS,
    LEVELS,
    STAKEHOLDER_GROUPS,
    Applicant,
    Category,
    Interest,
    Role,
    Session,
    Window,
)
from scheduler.forked import Forked, fork_is_safe
from scheduler.i18n import catalogue_languages
from scheduler.load.encoding import decode
from scheduler.load.event_toml import (
    EMAIL,
    LANGUAGE,
    SLUG,
    SLUG_RULE,
    EventSpec,
    timezone_name,
)
from scheduler.load.limits import (
    APPLICANTS,
    MAX_COLUMNS,
    MAX_ROWS,
    XLSX_RATIO,
    XLSX_RATIO_FROM,
    XLSX_UNPACKED,
    FileRefused,
    read_limited,
    size_text,
)
from scheduler.load.objectives import KnownObjectives
from scheduler.load.problems import BadValue, Problem, control_character, did_you_mean, shown
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
# Optional columns beyond the contract's (the template leaves them out; docs/input.md describes them).
OPTIONAL = ("correspondence_language", "on_behalf_of")
REQUIRED = ("id", "name", "email", "category", "interests")
STATUSES = ("active", "withdrawn")
CATEGORIES = tuple(c.value for c in Category)
GENDER_WORDS = {"female": "f", "woman": "f", "male": "m", "man": "m"}
# Words people write for a category, and the category they mean: the closest spelling would mislead.
CATEGORY_WORDS = {
    "ngo": "stakeholder",
    "cso": "stakeholder",
    "civil_society": "stakeholder",
    "government": "member_state",
    "state": "member_state",
    "un": "un_system",
    "io": "igo",
}
ITEM = re.compile(r"^\d+$")
# Between the values of a CSV line: "," or ";" as Excel saves, a tab (Unicode text), "|" as some databases export.
DELIMITERS = ",;\t|"


@dataclass(frozen=True)
class MemberState:
    country: str
    group: str


@dataclass
class _Sheet:
    """The applicants table as header names and rows of raw cell values, with their numbers in the file."""

    file: str
    sheet: str
    header: list[str]
    rows: list[tuple[int, list[Any]]]
    letters: list[str]  # the column letter (xlsx) or number (csv) of each header position
    # (row, column index) of cells whose problem is already reported (hidden under a merged range, a formula, a
    # control character): the cell is not reported again for what follows from it, such as being blank
    reported: set[tuple[int, int]] = field(default_factory=set)
    titles: list[str] = field(default_factory=list)  # the column names as written, for a registration export


def read_applicants(
    folder: Path, spec: EventSpec, objectives: KnownObjectives, states: dict[str, MemberState] | None
) -> tuple[list[Applicant], list[Problem]]:
    """Read the applicants file of an event folder; every problem is collected, none raised.

    The applicants are returned only when no row has a problem; the problems are in row order.
    """
    table, problems = _read_table(folder)
    if table is None:
        return [], problems
    columns = _columns(table, problems)
    if not table.rows:
        problems.append(
            Problem(
                table.file,
                "no applicants: there are column names but no rows below them",
                "fill in one row per person",
                sheet=table.sheet,
                row=2,
            )
        )
    parser = _RowParser(table, columns, spec, objectives, states)
    applicants = _parse_rows(parser, table.rows)
    parser.report_absent_columns()
    _cross_checks(parser, [a for a in applicants if a is not None], spec)
    problems += parser.problems
    problems.sort(key=lambda p: p.row or 0)
    clean = [a for a in applicants if a is not None and a.row not in parser.failed_rows]
    return clean, problems


# Rows from which the second half is parsed in a second process, on the other core: 100,000 rows take seconds.
PARSE_IN_TWO_FROM = 10_000


def _parse_rows(parser: _RowParser, rows: list[tuple[int, list[Any]]]) -> list[Applicant | None]:
    """Every row parsed, in order. A long file's second half is parsed by a second process meanwhile (rows hold
    only text, numbers and dates, so that half comes back pickled at a tenth of the parsing). Its result is used
    only when neither half has a problem and no id or e-mail address of one half is in the other; otherwise this
    process parses the second half too, so that every problem is found and worded exactly as in one pass."""
    if len(rows) < PARSE_IN_TWO_FROM or not fork_is_safe():
        return [parser.parse(number, values) for number, values in rows]
    middle = len(rows) // 2
    second = Forked(lambda: _parsed_without_problems(parser, rows[middle:]))
    applicants = [parser.parse(number, values) for number, values in rows[:middle]]
    found = second()
    if found is not None and not parser.problems and not parser.absent_needed:
        parsed, ids, emails = found
        if ids.keys().isdisjoint(parser.first_id) and emails.keys().isdisjoint(parser.first_email):
            parser.first_id |= ids
            parser.first_email |= emails
            return applicants + parsed
    return applicants + [parser.parse(number, values) for number, values in rows[middle:]]


def _parsed_without_problems(
    parser: _RowParser, rows: list[tuple[int, list[Any]]]
) -> tuple[list[Applicant | None], dict[str, tuple[str, int]], dict[str, tuple[str, int]]] | None:
    """In the second process: the rows parsed, with the ids and e-mail addresses met; None at any problem."""
    parsed = [parser.parse(number, values) for number, values in rows]
    if parser.problems or parser.absent_needed:
        return None
    return parsed, parser.first_id, parser.first_email


# --- reading the file ----------------------------------------------------------------------------------------


def _read_table(folder: Path) -> tuple[_Sheet | None, list[Problem]]:
    xlsx, csv_path = folder / "applicants.xlsx", folder / "applicants.csv"
    # With both, one is probably an old copy, and planning from it would go unnoticed.
    if xlsx.exists() and csv_path.exists():
        return None, [
            Problem(
                "applicants.csv",
                "both applicants.xlsx and applicants.csv are in the event folder",
                "keep the one that is up to date and move the other away",
            )
        ]
    if xlsx.exists():
        return _read_xlsx(xlsx)
    if csv_path.exists():
        return _read_csv(csv_path)
    others = sorted(p.name for p in folder.glob("*") if p.stem.lower() == "applicants")
    return None, [
        Problem(
            "applicants.xlsx",
            "file not found (nor applicants.csv)" + (f"; found {', '.join(others)}" if others else ""),
            "put the applicants, one row per person, in applicants.xlsx or applicants.csv next to event.toml"
            + (" (save an .xls or .ods as .xlsx)" if others else ""),
        )
    ]


def _read_xlsx(path: Path) -> tuple[_Sheet | None, list[Problem]]:
    file = path.name
    try:
        data = read_limited(path, APPLICANTS)
    except FileRefused as error:
        return None, [Problem(file, error.message, error.hint)]
    except OSError as error:
        return None, [Problem(file, f"cannot be read ({shown(error.strerror)})")]
    wrong = _not_a_workbook(data)
    if wrong:
        return None, [Problem(file, *wrong)]
    errors: tuple[type[Exception], ...] = (zipfile.BadZipFile, OSError, KeyError, ValueError, IndexError)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            bomb = _unpacks_too_large(archive)
        if bomb:
            return None, [Problem(file, *bomb)]
        fast = _fast_rows(data)
        if fast is not None:
            name, raw = fast
            formulas: dict[tuple[int, int], str] = {}
            too_many = None
        else:
            # openpyxl takes a quarter of a second to import: only for the workbooks calamine does not read.
            import openpyxl  # noqa: PLC0415
            from openpyxl.utils.exceptions import InvalidFileException  # noqa: PLC0415

            errors += (InvalidFileException,)
            # Not data_only: a formula is then seen as one, to be reported, rather than read as its cached
            # value (or as a blank when the program that wrote the file saved none).
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
            try:
                sheet = book["applicants"] if "applicants" in book.sheetnames else book.worksheets[0]
                name = sheet.title
                raw, formulas, too_many = _sheet_rows(sheet)
            finally:
                book.close()
        merged = _merged_ranges(io.BytesIO(data), name)
    except errors as error:
        return None, [
            Problem(file, f"cannot be opened as an Excel workbook ({shown(error)})", "save it as .xlsx")
        ]
    title = shown(name)
    if too_many:
        message, hint, row, column = too_many
        return None, [Problem(file, message, hint, sheet=title, row=row, column=column)]
    if not raw or raw[0][0] != 1:
        return None, [
            Problem(
                file,
                "the sheet is empty: the first row must hold the column names",
                "put the column names (id, name, email, ...) in row 1",
                sheet=title,
                row=1,
            )
        ]
    header = [_header_name(v) for v in raw[0][1]]
    letters = [get_column_letter(i + 1) for i in range(max(len(values) for _, values in raw))]
    table = _Sheet(file, title, header, raw[1:], letters, titles=_titles(raw[0][1]))
    problems = []
    for ref in merged:
        first_col, first_row, last_col, last_row = range_boundaries(ref)
        if not (first_col and first_row and last_col and last_row):
            continue  # merged cells always have four bounds; a range without them covers nothing to report
        cells = {(r, c - 1) for r in range(first_row, last_row + 1) for c in range(first_col, last_col + 1)}
        table.reported |= cells - {(first_row, first_col - 1)}
        problems.append(
            Problem(
                file,
                f"merged cells {ref}: each row needs its own values",
                "unmerge the cells and fill in every row",
                sheet=title,
                row=first_row,
                column=_column_label(table, first_col - 1),
            )
        )
    for (row, index), formula in formulas.items():
        table.reported.add((row, index))
        problems.append(
            Problem(
                file,
                f'a formula ("{shown(formula, 40)}"): type the value itself',
                "copy the cells and paste them back with Paste Special > Values",
                sheet=title,
                row=row,
                column=_column_label(table, index),
            )
        )
    return table, problems


# Password-protected .xlsx files and old .xls files are both OLE compound files; encryption adds this stream.
OLE = bytes.fromhex("D0CF11E0A1B11AE1")
ENCRYPTED = "EncryptedPackage".encode("utf-16-le")


def _not_a_workbook(data: bytes) -> tuple[str, str] | None:
    """A message and a hint for the files people save as applicants.xlsx that are not workbooks; None otherwise."""
    if data.startswith(OLE):
        if ENCRYPTED in data:
            return (
                "is encrypted (protected with a password)",
                "save it without a password (Excel: File > Info > Protect Workbook > Encrypt with Password, "
                "empty the password, save)",
            )
        return "is an old Excel 97-2003 workbook (.xls) named .xlsx", 'save it as "Excel Workbook (.xlsx)"'
    first = decode(data[:4096])[0].split("\n", 1)[0]
    if not data.startswith(b"PK") and any(d in first for d in DELIMITERS) and "\0" not in first:
        return "is a CSV file named .xlsx", "rename it applicants.csv"
    return None


def _unpacks_too_large(archive: zipfile.ZipFile) -> tuple[str, str] | None:
    """A message and a hint when the sizes a workbook's zip directory declares are absurd (a zip bomb).

    Python's zipfile never unpacks more than a member declares, so the declared sizes bound what is read.
    """
    hint = "save the sheet again from a spreadsheet program, or save it as applicants.csv"
    total = sum(member.file_size for member in archive.infolist())
    if total > XLSX_UNPACKED:
        return f"unpacks to {size_text(total)}, over the limit of {size_text(XLSX_UNPACKED)}", hint
    for member in archive.infolist():
        packed = max(member.compress_size, 1)
        if member.file_size > XLSX_RATIO_FROM and member.file_size > XLSX_RATIO * packed:
            return (
                f"{shown(member.filename)} unpacks from {size_text(packed)} to {size_text(member.file_size)}, "
                f"more than {XLSX_RATIO} times: no spreadsheet program saves that (a zip bomb?)",
                hint,
            )
    return None


def _sheet_rows(
    sheet: Any,
) -> tuple[list[tuple[int, list[Any]]], dict[tuple[int, int], str], tuple[str, str, int, str] | None]:
    """The filled rows of a sheet with their numbers, the formulas by (row, column index), and a problem
    (message, hint, row, column) when the sheet has more rows or columns than the limits.

    A sheet may hold a cell at row 1,048,576 or column XFD in a few bytes, so only the first MAX_COLUMNS + 1
    columns are read, and reading stops after MAX_ROWS + 1 filled rows.
    """
    rows: list[tuple[int, list[Any]]] = []
    formulas: dict[tuple[int, int], str] = {}
    # The size a sheet declares may be stale (rows past it would be lost) or absurd: read what is there.
    sheet.reset_dimensions()
    skipped = None  # openpyxl fills a gap between rows with one shared empty row: skipped without a look
    for number, cells in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS + 1), start=1):
        if cells is skipped:
            continue
        values: list[Any] = []
        width = 0
        for index, cell in enumerate(cells):
            if cell.data_type == "f":
                formulas[number, index] = str(cell.value)
                values.append(None)
            else:
                values.append(cell.value)
            if cell.data_type == "f" or not _blank(cell.value):
                width = index + 1
        if not width:
            skipped = cells
            continue
        del values[width:]  # the empty cells a sheet's declared size pads every row with
        if len(values) > MAX_COLUMNS:
            return (
                rows,
                formulas,
                (
                    f"has more than {MAX_COLUMNS} columns",
                    "delete the columns that are not needed, or keep the people on a sheet of their own",
                    number,
                    get_column_letter(MAX_COLUMNS + 1),
                ),
            )
        rows.append((number, values))
        if len(rows) > MAX_ROWS + 1:  # the column names, then the people
            return (
                rows,
                formulas,
                (
                    f"has more than {MAX_ROWS:,} filled rows",
                    "no real meeting has that many applicants: check that this is the right sheet",
                    number,
                    "",
                ),
            )
    return rows, formulas, None


def _merged_ranges(path: io.BytesIO, title: str) -> list[str]:
    """Merged-cell ranges of a sheet, read from the workbook XML (read-only openpyxl does not expose them)."""
    with zipfile.ZipFile(path) as archive:
        xml = _sheet_xml(archive, title)
    return re.findall(r'<mergeCell ref="([^"]+)"', xml) if xml is not None else []


def _sheet_xml(archive: zipfile.ZipFile, title: str) -> str | None:
    """The XML of the sheet named `title`, found through the workbook's relationships; None without one."""
    book = archive.read("xl/workbook.xml").decode("utf-8", "replace")
    names = re.findall(r'<sheet [^>]*name="([^"]*)"[^>]*r:id="([^"]*)"', book)
    rels = archive.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
    targets = dict(re.findall(r'Id="([^"]*)"[^>]*Target="([^"]*)"', rels))
    targets |= {k: v for v, k in re.findall(r'Target="([^"]*)"[^>]*Id="([^"]*)"', rels)}
    for name, rid in names:
        if name == title and rid in targets:
            target = targets[rid].lstrip("/")
            member = target if target.startswith("xl/") else f"xl/{target}"
            return archive.read(member).decode("utf-8", "replace")
    return None


# A cell reference in the sheet XML (`<c r="AB12"`), for the sheet's extent before anything is unpacked into cells.
CELL_REF = re.compile(r'<c r="([A-Z]{1,3})(\d{1,7})"')


def _fast_rows(data: bytes) -> tuple[str, list[tuple[int, list[Any]]]] | None:
    """The sheet's name and filled rows (as `_sheet_rows` gives them) read by calamine, several times faster
    than openpyxl; None when the sheet needs openpyxl's reading: formulas (calamine reads only their cached
    values, and a formula is to be reported), error cells, more rows or columns than the limits (reported with
    their place; calamine would also unpack a far cell into a whole grid), or anything calamine cannot read.
    """
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        names = [m.name for m in book.sheets_metadata if m.typ == python_calamine.SheetTypeEnum.WorkSheet]
        name = "applicants" if "applicants" in names else names[0]
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            xml = _sheet_xml(archive, name)
        if xml is None or "<f>" in xml or "<f " in xml or 't="e"' in xml:
            return None
        refs = CELL_REF.findall(xml)
        last_row = max((int(number) for _, number in refs), default=0)
        last_column = max({letters for letters, _ in refs}, key=lambda c: (len(c), c), default="A")
        if last_row > MAX_ROWS + 1 or column_index_from_string(last_column) > MAX_COLUMNS:
            return None
        grid = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
    except Exception:  # anything calamine cannot read goes to openpyxl, which names the problem
        return None
    rows = []
    for number, cells in enumerate(grid, start=1):
        values = [v if type(v) is str and v else _as_openpyxl(v) for v in cells]  # most cells: text as it is
        width = len(values)
        while width and _blank(values[width - 1]):
            width -= 1
        if width:
            rows.append((number, values[:width]))
    return name, rows


def _as_openpyxl(value: Any) -> Any:
    """A value as openpyxl reads it, so that every check and message stays the same: blank cells None, whole
    numbers int (the sheet XML stores "3470", which openpyxl reads as an int), dates as datetimes."""
    if value == "":
        return None
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return int(value)
    if type(value) is dt.date:
        return dt.datetime.combine(value, dt.time())
    return value


def _read_csv(path: Path) -> tuple[_Sheet | None, list[Problem]]:
    file = path.name
    try:
        data = read_limited(path, APPLICANTS)
    except FileRefused as error:
        return None, [Problem(file, error.message, error.hint)]
    except OSError as error:
        return None, [Problem(file, f"cannot be read ({shown(error.strerror)})")]
    text, complaint, line = decode(data)
    problems = []
    if complaint:  # reported once; the file is still read, so that its other problems are found too
        problems.append(
            Problem(file, complaint, 'save it as "CSV UTF-8 (comma delimited)", or as .xlsx', row=line)
        )
    first = text.split("\n", 1)[0]
    # Excel writes ";" instead of "," where the comma is the decimal separator; the header tells which.
    delimiter = max(DELIMITERS, key=first.count) if any(d in first for d in DELIMITERS) else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    raw: list[tuple[int, list[str]]] = []  # the first line and the filled rows; blank rows are never kept
    try:
        for number, values in enumerate(reader, start=1):
            if number == 1 or not all(_blank(v) for v in values):
                raw.append((number, values))
            if len(raw) > MAX_ROWS + 1:
                return None, [
                    *problems,
                    Problem(
                        file,
                        f"has more than {MAX_ROWS:,} filled rows",
                        "no real meeting has that many applicants: check that this is the right file",
                        row=number,
                    ),
                ]
    except csv.Error as error:  # e.g. a quote left open, which swallows the rest of the file into one cell
        return None, [
            *problems,
            Problem(
                file,
                f"cannot be read as CSV ({shown(error)})",
                "a quote is probably left open on this line or above it",
                row=reader.line_num,
            ),
        ]
    if not raw or all(_blank(v) for v in raw[0][1]):
        return None, [
            *problems,
            Problem(
                file,
                "the file is empty: the first line must hold the column names",
                "put the column names (id, name, email, ...) in line 1",
                row=1,
            ),
        ]
    header = [_header_name(v) for v in raw[0][1]]
    width = max(len(values) for _, values in raw)
    letters = [str(i + 1) for i in range(width)]
    return _Sheet(file, "", header, raw[1:], letters, titles=_titles(raw[0][1])), problems


def read_sheet(path: Path) -> tuple[_Sheet | None, list[Problem]]:
    """Any table of people as this module reads applicants files: an .xlsx workbook (the sheet named
    `applicants`, else the first) or a CSV file in any encoding and delimiter it accepts, within the same limits."""
    return _read_xlsx(path) if path.suffix.lower() == ".xlsx" else _read_csv(path)


def _titles(values: list[Any]) -> list[str]:
    return [" ".join(str(v).split()) if v is not None else "" for v in values]


def _header_name(value: Any) -> str:
    return str(value).strip().lower().replace(" ", "_") if value is not None else ""


def get_column_letter(index: int) -> str:
    """`A` for 1, `AB` for 28: a spreadsheet's column letters."""
    letters = ""
    while index > 0:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def column_index_from_string(letters: str) -> int:
    """1 for `A`, 28 for `AB`."""
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - ord("A") + 1
    return index


RANGE = re.compile(r"^\$?([A-Z]{1,3})?\$?(\d+)?(?::\$?([A-Z]{1,3})?\$?(\d+)?)?$")


def range_boundaries(ref: str) -> tuple[int | None, int | None, int | None, int | None]:
    """First column, first row, last column, last row of `B2:C4` (None for a bound it does not give)."""
    match = RANGE.match(ref.upper())
    if not match:
        return None, None, None, None
    first_col, first_row, last_col, last_row = match.groups()
    if last_col is None and last_row is None:
        last_col, last_row = first_col, first_row
    return (
        column_index_from_string(first_col) if first_col else None,
        int(first_row) if first_row else None,
        column_index_from_string(last_col) if last_col else None,
        int(last_row) if last_row else None,
    )


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _column_label(table: _Sheet, index: int) -> str:
    """`D (email)`: the column's letter or number, and its name when it has one."""
    letter = table.letters[index] if index < len(table.letters) else str(index + 1)
    name = table.header[index] if index < len(table.header) else ""
    return f"{letter} ({shown(name, 30)})" if name else letter


def _columns(table: _Sheet, problems: list[Problem]) -> dict[str, int]:
    """Position of each column by name; problems for missing, misspelt and duplicated contract columns."""

    def problem(message: str, hint: str, index: int | None = None) -> None:
        column = table.letters[index] if index is not None else ""
        problems.append(Problem(table.file, message, hint, sheet=table.sheet, row=1, column=column))

    positions: dict[str, int] = {}
    for i, name in enumerate(table.header):
        if not name:
            continue
        if name in positions:
            problem(
                f'column "{shown(name)}" appears twice ({table.letters[positions[name]]} and {table.letters[i]})',
                "delete or rename one of them",
                i,
            )
        else:
            positions[name] = i
    # Other columns are allowed, but one that is nearly the name of an absent contract column is a typo.
    absent = [c for c in (*COLUMNS, *OPTIONAL) if c not in positions]
    explained = set()
    for name, i in positions.items():
        known = name in COLUMNS or name in OPTIONAL
        close = difflib.get_close_matches(name, absent, n=1, cutoff=0.75) if not known else []
        if close:
            problem(f'unknown column "{shown(name)}"', f'did you mean "{close[0]}"?', i)
            explained.add(close[0])
    for name in REQUIRED:
        if name not in positions and name not in explained:
            problem(f'missing column "{name}"', f'add a column named "{name}"')
    return positions


# --- parsing one row -----------------------------------------------------------------------------------------


class _RowParser:
    """Parses rows one by one, collecting a problem for each cell that cannot be used."""

    def __init__(
        self,
        table: _Sheet,
        columns: dict[str, int],
        spec: EventSpec,
        objectives: KnownObjectives,
        states: dict[str, MemberState] | None,
    ) -> None:
        self.table = table
        self.columns = columns
        self.spec = spec
        self.objectives = objectives
        self.states = states
        self.problems: list[Problem] = []
        self.failed_rows: set[int] = set()
        self.bad_cells: set[tuple[int, str]] = set()  # (row, column) of cells with a problem
        self.absent_needed: dict[str, list[int]] = defaultdict(list)  # absent column -> rows that need it
        self.first_id: dict[str, tuple[str, int]] = {}  # lower-case id -> (id, row)
        self.first_email: dict[
            str, tuple[str, int]
        ] = {}  # lower-case e-mail -> (id, row) of an active person
        self._row = 0
        # What a cell's text converted to, by column, when it had no problem: 100,000 rows repeat a few values.
        self._known: dict[tuple[str, type, Any], Any] = {}

    def problem(self, column: str, message: str, hint: str = "", *, row: int | None = None) -> None:
        row = row or self._row
        self.failed_rows.add(row)
        self.bad_cells.add((row, column))
        index = self.columns.get(column)
        if index is not None and (row, index) in self.table.reported:
            return  # e.g. a cell hidden by merged cells: the merge is the problem, reported once
        label = _column_label(self.table, index) if index is not None else column
        self.problems.append(
            Problem(self.table.file, message, hint, sheet=self.table.sheet, row=row, column=label)
        )

    def ok(self, row: int, *columns: str) -> bool:
        """Whether the cells of these columns in a row were read without a problem."""
        return not any((row, c) in self.bad_cells for c in columns)

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

    def required(self, values: list[Any], column: str, message: str, hint: str = "") -> str:
        """The text of a cell that must be filled in; a problem when it is blank (once per file if absent)."""
        text = self.text(values, column)
        if not text:
            if column in self.columns:
                self.problem(column, message, hint)
            else:
                self.absent_needed[column].append(self._row)
        return text

    def field(
        self, values: list[Any], column: str, convert: Callable[[Any], Any], default: Any = None
    ) -> Any:
        value = self.cell(values, column)
        if value is None:
            return default
        key = (column, type(value), value)
        if key in self._known:
            return self._known[key]
        try:
            converted = self._known[key] = convert(value)
        except ValueError as error:
            self.problem(column, str(error), getattr(error, "hint", ""))
            return default
        return converted

    def _same_as_before(self, values: list[Any], column: str, parse: Callable[[], Any]) -> Any:
        """`parse()` of the column's cell, remembered by the cell's value when it found no problem (it then
        depends on nothing else)."""
        value = self.cell(values, column)
        key = (column, type(value), value)
        if key in self._known:
            return self._known[key]
        before = len(self.bad_cells)
        parsed = parse()
        if len(self.bad_cells) == before:
            self._known[key] = parsed
        return parsed

    def parse(self, number: int, values: list[Any]) -> Applicant | None:
        """The applicant of one row; None when its category is unknown. Problems go to `self.problems`."""
        self._row = number
        self._control_characters(values)
        pid = self.required(values, "id", "missing id", "give every person a unique id such as P001")
        if pid and not SLUG.match(pid):
            self.problem("id", f'"{shown(pid)}" is not a safe id: it becomes part of file names', SLUG_RULE)
        name = self.required(values, "name", "missing name")
        email = self.required(values, "email", "missing e-mail", "write it like name@example.org")
        if email and not EMAIL.match(email):
            self.problem(
                "email", f'"{shown(email)}" is not an e-mail address', "write it like name@example.org"
            )
        self._check_unique(pid, email, self.text(values, "status").lower() == "withdrawn")
        category = self.field(values, "category", _one_of(CATEGORIES, "category", CATEGORY_WORDS))
        if category is None and self.cell(values, "category") is None:
            self.required(values, "category", "missing category", _listing(CATEGORIES))
        category = Category(category) if category else None
        country = self.text(values, "country")
        state = self._country(values, country, category)
        group = self.field(values, "stakeholder_group", _one_of(STAKEHOLDER_GROUPS, "stakeholder group"), "")
        if category is Category.STAKEHOLDER and self.cell(values, "stakeholder_group") is None:
            self.required(
                values,
                "stakeholder_group",
                "missing stakeholder group for a stakeholder",
                _listing(STAKEHOLDER_GROUPS),
            )
        gender = self.field(values, "gender", _one_of(GENDERS, "gender", GENDER_WORDS), "")
        level = self.field(values, "level", _one_of(LEVELS, "level"), "other")
        # Blank: the event's zone, for every category. A delegate may connect from a mission anywhere, so no
        # zone is ever guessed from the country.
        timezone = self.field(values, "timezone", timezone_name, "")
        available = self.field(values, "available", lambda v: parse_windows(str(v)), ())
        languages = self.field(values, "languages", _languages, ())
        interests = self._same_as_before(values, "interests", lambda: self._interests(values))
        objectives = self._same_as_before(values, "objectives", lambda: self._objectives(values))
        submission_date = self.field(values, "submission_date", parse_date)
        words = self.field(values, "submission_words", _count)
        fixed = tuple(dict.fromkeys(self._pairs(values, "fixed")))
        status = self.field(values, "status", _one_of(STATUSES, "status"), "active")
        registered_at = self.field(values, "registered_at", parse_datetime)
        correspondence = self.field(values, "correspondence_language", self._correspondence, "")
        if category is None:
            return None
        return Applicant(
            id=pid,
            name=name,
            email=email,
            category=category,
            organisation=self.text(values, "organisation"),
            function=self.text(values, "function"),
            country=country,
            subregion=self.text(values, "subregion") or (state.group if state else ""),
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
            correspondence_language=correspondence,
            on_behalf_of=self.text(values, "on_behalf_of"),
            row=number,
        )

    def _correspondence(self, value: Any) -> str:
        """A language the event offers (scheduler writes it and the event lists it), for the person's mail."""
        code = str(value).strip().lower()
        offered = [c for c in self.spec.languages if c in catalogue_languages()] or ["en"]
        if code not in offered:
            raise BadValue(
                f'"{shown(code)}" is not a language this event writes in',
                f"write one of {', '.join(offered) or 'en'}, or leave it blank for the first of the person's "
                "languages that is",
            )
        return code

    def _control_characters(self, values: list[Any]) -> None:
        """A problem for each named column's cell that holds a control character; the cell is not checked further.

        Names, organisations and the rest go into every invitation and mail, where NUL, ESC and the like break the
        calendar file (tab and line breaks are allowed: every output writes them escaped)."""
        if "".join([v for v in values if isinstance(v, str)]).isprintable():
            return  # most rows: a control character is never printable (nor are tab and line breaks)
        for column, index in self.columns.items():
            value = values[index] if index < len(values) else None
            where = control_character(value) if isinstance(value, str) else ""
            if where:
                self.problem(
                    column,
                    f'"{shown(value)}" holds a control character ({where})',
                    "delete it: retype the text, or paste it as plain text",
                )
                self.table.reported.add((self._row, index))

    def _check_unique(self, pid: str, email: str, withdrawn: bool) -> None:
        if pid and self.ok(self._row, "id"):
            first = self.first_id.setdefault(pid.lower(), (pid, self._row))
            if first[1] != self._row and first[0] == pid:
                self.problem(
                    "id",
                    f'duplicate id "{shown(pid)}" (also on row {first[1]})',
                    "ids must be unique and stay the same across re-plans",
                )
            elif first[1] != self._row:
                self.problem(
                    "id",
                    f'id "{shown(pid)}" differs from "{shown(first[0])}" (row {first[1]}) only in capitals',
                    "ids become file names, where capitals may not count: make them differ",
                )
        if email and self.ok(self._row, "email") and not withdrawn:  # a withdrawn row may share an address
            other = self.first_email.setdefault(email.lower(), (pid, self._row))
            if other[1] != self._row:
                self.problem(
                    "email",
                    f"e-mail {shown(email)} is also used by {shown(other[0]) or 'another person'} "
                    f"(row {other[1]})",
                    "one row per person: merge the two rows",
                )

    def _country(self, values: list[Any], country: str, category: Category | None) -> MemberState | None:
        if self.states is not None and country in self.states:
            return self.states[country]
        if category is not Category.MEMBER_STATE:
            return None
        if not country:
            self.required(values, "country", "missing country for a member State", "write the country's name")
        elif self.states is not None:
            self.problem(
                "country",
                f'"{shown(country)}" is not in member_states.csv',
                did_you_mean(country, self.states),
            )
        return None

    def _pairs(self, values: list[Any], column: str) -> list[tuple[str, Role]]:
        """The `SESSION:ROLE` items of a cell; a problem for each item that is not one."""
        pairs = []
        for item in _items(self.cell(values, column)):
            try:
                pairs.append(self._session_role(item))
            except BadValue as error:
                self.problem(column, str(error), error.hint)
        return pairs

    def _session_role(self, item: str) -> tuple[str, Role]:
        if ":" not in item:
            raise BadValue(f'"{shown(item)}" is not SESSION:ROLE', "write it like RT2:speaker")
        session, role = (part.strip() for part in item.split(":", 1))
        # Sessions with their own problems in event.toml are known; when event.toml is unreadable, any is.
        if self.spec.declared is not None and session not in self.spec.declared:
            same = [s for s in self.spec.declared if s.casefold() == session.casefold()]
            if len(same) == 1:  # rt2 for RT2; ids that differ only in case stay apart
                session = same[0]
        if self.spec.declared is not None and session not in self.spec.declared:
            raise BadValue(
                f'unknown session "{shown(session)}" in "{shown(item)}"',
                did_you_mean(session, self.spec.declared),
            )
        roles = [r.value for r in Role]
        if role.lower() not in roles:
            raise BadValue(
                f'unknown role "{shown(role)}" in "{shown(item)}"', did_you_mean(role.lower(), roles)
            )
        return session, Role(role.lower())

    def _interests(self, values: list[Any]) -> tuple[Interest, ...]:
        interests: list[Interest] = []
        for session, role in self._pairs(values, "interests"):
            if any(i.session == session and i.role is role for i in interests):
                self.problem("interests", f'"{session}:{role}" is listed twice', "list each wish once")
            else:
                interests.append(Interest(session, role, len(interests) + 1))
        return tuple(interests)

    def _objectives(self, values: list[Any]) -> tuple[int, ...]:
        numbers = set()
        for item in _items(self.cell(values, "objectives")):
            if not ITEM.match(item):
                self.problem(
                    "objectives",
                    f'"{shown(item)}" is not an objective number',
                    "write numbers like 4; 11; 13",
                )
                continue
            number = int(item)
            unknown = self.objectives.unknown([number])
            if unknown:
                self.problem("objectives", *unknown)
            else:
                numbers.add(number)
        return tuple(sorted(numbers))

    def report_absent_columns(self) -> None:
        """One problem per absent column that some rows need (a missing required column is already reported)."""
        for column, rows in self.absent_needed.items():
            if column in REQUIRED:
                continue
            listed = ", ".join(map(str, rows[:5])) + (", ..." if len(rows) > 5 else "")
            self.problems.append(
                Problem(
                    self.table.file,
                    f'missing column "{column}", needed on rows {listed}',
                    f'add a column named "{column}"',
                    sheet=self.table.sheet,
                    row=1,
                )
            )


def _items(value: Any) -> Iterator[str]:
    if value is None:
        return
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(int(value)) if float(value).is_integer() else str(value)
    for item in re.split(r"[;,\n]", str(value)):
        if item.strip():
            yield item.strip()


def _listing(valid: tuple[str, ...]) -> str:
    return "expected one of: " + ", ".join(v for v in valid if v)


def _one_of(
    valid: tuple[str, ...], noun: str, synonyms: dict[str, str] | None = None
) -> Callable[[Any], str]:
    def convert(value: Any) -> str:
        # "Member State", "deputy-minister" and "Civil Society" are the contract's values typed for people.
        text = re.sub(r"[\s-]+", "_", str(value).strip().lower())
        if text not in valid:
            meant = (synonyms or {}).get(text)
            hint = f'did you mean "{meant}"?' if meant else did_you_mean(text, [v for v in valid if v])
            raise BadValue(f'unknown {noun} "{shown(value)}"', hint)
        return text

    return convert


def _languages(value: Any) -> tuple[str, ...]:
    codes = tuple(item.lower() for item in _items(value))
    for code in codes:
        if not LANGUAGE.match(code):
            raise BadValue(f'"{shown(code)}" is not a language code', "write codes like en; fr; ru")
    return codes


def _count(value: Any) -> int:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str):
        digits = re.sub(r"[\s,'’]", "", value)  # thousands written 5,200 or 5 200 or 5'200
        if digits.isdigit():
            value = int(digits)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise BadValue(f'"{shown(value)}" is not a number of words', "write a whole number like 1200")
    return value


# --- checks across rows --------------------------------------------------------------------------------------


def _cross_checks(parser: _RowParser, applicants: list[Applicant], spec: EventSpec) -> None:
    """Fixed assignments against the sessions: who is fixed, whether they may be, and how many per role."""
    sessions = {s.id: s for s in spec.sessions}
    fixed_rows: dict[tuple[str, Role], list[int]] = defaultdict(list)
    for applicant in applicants:
        if not applicant.fixed:
            continue
        if applicant.withdrawn:
            pairs = ", ".join(f"{s}:{r}" for s, r in applicant.fixed)
            parser.problem(
                "fixed",
                f"{applicant.id or 'this person'} is withdrawn but has a fixed assignment ({pairs})",
                "clear the fixed cell or set status to active",
                row=applicant.row,
            )
            continue
        for session_id, role in applicant.fixed:
            session = sessions.get(session_id)
            if session is None:  # not a usable session: its own problem is reported in event.toml
                continue
            fixed_rows[session_id, role].append(applicant.row)
            if parser.ok(applicant.row, "category", "level"):
                _check_eligible(parser, applicant, session_id, role, spec)
            if parser.ok(applicant.row, "languages"):
                _check_interpreted(parser, applicant, session, role, spec)
        if parser.ok(applicant.row, "timezone", "available") and spec.timezone:
            _check_fixed_availability(parser, applicant, spec)
    for (session_id, role), rows in sorted(fixed_rows.items()):
        high = sessions[session_id].role_count(role)[1]
        if len(rows) > high:
            listed = ", ".join(map(str, rows))
            parser.problem(
                "fixed",
                f"{len(rows)} people are fixed as {role} of {session_id} (rows {listed}), "
                f"but it has {high} such role{'s' if high != 1 else ''}",
                "remove some fixed assignments, or add roles to the session",
                row=rows[high],
            )


def _check_eligible(
    parser: _RowParser, applicant: Applicant, session_id: str, role: Role, spec: EventSpec
) -> None:
    session = next(s for s in spec.sessions if s.id == session_id)
    reason = ""
    if applicant.category not in session.eligible:
        reason = f"category {applicant.category} is not eligible there"
    elif (
        role is Role.SPEAKER
        and session.min_level is not None
        and applicant.is_delegate
        and applicant.level_rank > LEVELS.index(session.min_level)
    ):
        reason = f"level {applicant.level} is below its minimum level {session.min_level}"
    if reason:
        parser.problem(
            "fixed",
            f"{applicant.id} is fixed as {role} of {session_id}, but {reason}",
            "change the fixed cell or the session's eligible or min_level",
            row=applicant.row,
        )


def _check_interpreted(
    parser: _RowParser, applicant: Applicant, session: Session, role: Role, spec: EventSpec
) -> None:
    """A person fixed in a session must speak one of the languages interpreted there (the `interpretation` rule)."""
    interpreted = session.languages or spec.languages
    speaks = applicant.languages or spec.languages[:1]
    if not set(speaks) & set(interpreted):
        parser.problem(
            "fixed",
            f"{applicant.id} is fixed as {role} of {session.id}, which is interpreted in "
            f"{', '.join(interpreted)}, but speaks only {', '.join(speaks)}",
            f"add a language of theirs to the languages of {session.id}, or change the fixed cell",
            row=applicant.row,
        )


def _check_fixed_availability(parser: _RowParser, applicant: Applicant, spec: EventSpec) -> None:
    for session_id, role in applicant.fixed:
        session = next((s for s in spec.sessions if s.id == session_id), None)
        if session is None or session.date is None or session.start is None or not applicant.available:
            continue
        event_tz = pytz.timezone(spec.timezone)
        start = event_tz.localize(dt.datetime.combine(session.date, session.start))
        end = start + dt.timedelta(minutes=session.minutes)
        local_tz = pytz.timezone(applicant.timezone or spec.timezone)
        local_start, local_end = start.astimezone(local_tz), end.astimezone(local_tz)
        if not covers(applicant.available, local_start, local_end):
            parser.problem(
                "fixed",
                f"{applicant.id} is fixed as {role} of {session_id} "
                f"({local_start:%H:%M}-{local_end:%H:%M} their time), outside their availability "
                f"{window_text(applicant.available)}",
                "widen the available cell or remove the fixed assignment",
                row=applicant.row,
            )


def window_text(windows: tuple[Window, ...]) -> str:
    return "; ".join(str(w) for w in windows) or "any time"
