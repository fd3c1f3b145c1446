"""Writing workbooks safely and readably, shared by both workbooks.

Applicant text is data, never a formula, whatever it starts with; text is cleaned to what a workbook can hold;
wrapped text gets the row height it needs (a spreadsheet program computes heights only when it edits a row, so
wrapped lines would overlap in print); sheets print on A4 landscape, one page wide.

The workbooks are written with XlsxWriter and read (the applicants', the tests') with openpyxl: writing the
230,000 cells of a 10,000-people agenda takes XlsxWriter less than half of openpyxl's time (benchmarks/analysis.md).
The data rows of a table of more than `BULK_ROWS` rows (a session's list of speakers, a large event's waiting
list) are written as sheet XML in one go into the file XlsxWriter wrote without them, the same cells as XlsxWriter
would write (`_Bulk`).
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import math
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.image import Image
from xlsxwriter.utility import (
    _datetime_to_excel_datetime,
    xl_cell_to_rowcol,
    xl_col_to_name,
    xl_rowcol_to_cell,
)
from xlsxwriter.worksheet import Worksheet

# Spreadsheet programs treat text starting with these as a formula or a command (CWE-1236).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# Characters XML 1.0 cannot carry: a file holding them opens in no program.
NOT_IN_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
REPLACEMENT = "\ufffd"
MAX_CELL_TEXT = 32_767  # Excel's limit for one cell
MAX_LINK = 2_079  # Excel's limit for a hyperlink
SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
MAX_SHEET_NAME = 31
# Text is always text: XlsxWriter would otherwise write strings starting with "=" as formulas, and turn
# strings that look like numbers or links into those. In memory: XlsxWriter otherwise writes each sheet to a
# temporary file first (600 files for the lists of speakers of 200 sessions, on a busy disk 0.5 s of creating
# files); the parts of the workbook are then dated 1 January 1980 instead of 31 January, the same on every run.
BOOK_OPTIONS = {
    "strings_to_formulas": False,
    "strings_to_numbers": False,
    "strings_to_urls": False,
    "in_memory": True,
}

A4, A4_LANDSCAPE = 9, (841.9, 595.3)  # Excel's paper number; points
MARGINS = {"left": 0.4, "right": 0.4, "top": 0.4, "bottom": 0.4}  # inches: the header and footer need 0.38
HEADER_MARGIN = 0.25  # inches, header and footer alike
FONT_SIZE = 11.0  # the workbooks' font: Calibri 11, XlsxWriter's default
DEFAULT_WIDTH = 8.43  # a column whose width is not set

# Styles are XlsxWriter format properties, combined per cell by `Sheet.put`.
Style = Mapping[str, Any]
HEADER_FONT: Style = {"bold": True, "font_color": "#FFFFFF"}
HEADER_FILL: Style = {"pattern": 1, "bg_color": "#1F4E79"}
LABEL_FONT: Style = {"bold": True}
# Left to right, whatever script a cell starts with: a list of names that starts with an Arabic one must still
# read in order from the left.
LEFT_TO_RIGHT = 1
WRAP: Style = {"text_wrap": True, "valign": "top", "reading_order": LEFT_TO_RIGHT}
CENTRE: Style = {**WRAP, "align": "center"}
GRID: Style = {"border": 1, "border_color": "#A6A6A6"}
NUMBER_FORMATS = {dt.datetime: "yyyy-mm-dd hh:mm", dt.date: "yyyy-mm-dd", dt.time: "hh:mm"}

# Row-height estimate. A unit of column width is the width of a digit of the default font (11-point Calibri),
# so a line holds `width` units. A lowercase letter counts 1 unit, a capital 1.3, a space 0.5: a little more
# than Calibri needs in Excel at 96 dpi (about 0.95, 1.2 and 0.45). It holds for the fonts a program may
# substitute too, since a program sizes its columns with the digit of the font it uses. Wide East Asian
# characters and emoji count 2. Lines are 1.3 times the font size apart, plus a little padding per row.
LOWER_UNITS, UPPER_UNITS, SPACE_UNITS, WIDE_UNITS = 1.0, 1.3, 0.5, 2.0
BOLD_WIDTH = 1.1
LINE_SPACING = 1.3
ROW_PADDING = 3.0
ROUNDING = 0.05  # less than any width a text can take (tenths of a unit)

# A table with more data rows than this has them written as sheet XML by `Sheet` itself (`_Bulk`). Even a table
# of a few dozen rows (a session's list of speakers, its run-of-show) is written in less than half the time.
BULK_ROWS = 10
BULK_KINDS = frozenset({str, int, float, dt.date, dt.time, type(None)})
# The formats of its cells: kind of value, alignment, quoted (as `Sheet._cells` gives them).
BULK_FORMATS = (
    (str, WRAP, False),
    (str, WRAP, True),
    (type(None), WRAP, False),
    (int, CENTRE, False),
    (float, CENTRE, False),
    (dt.date, CENTRE, False),
    (dt.time, CENTRE, False),
)
DEFAULT_ROW_PIXELS = 20  # XlsxWriter's default row height (15 points), written without a height


def clean(text: str) -> str:
    """Text as a workbook can hold it. XML readers turn CR and CR LF into LF, so line breaks are written as LF
    (Excel's own line break in a cell); characters XML cannot carry become U+FFFD; text beyond Excel's
    32,767 characters per cell is cut, ending with an ellipsis."""
    # Most cells (ids, e-mail addresses) have nothing to change, and are not worth a place in the cache.
    if text.isascii() and text.isprintable() and len(text) <= MAX_CELL_TEXT:
        return text
    return _clean(text)


@functools.lru_cache(maxsize=65_536)  # the same names, organisations and reasons come back in row after row
def _clean(text: str) -> str:
    text = NOT_IN_XML.sub(REPLACEMENT, text.replace("\r\n", "\n").replace("\r", "\n"))
    if len(text) > MAX_CELL_TEXT:
        text = text[: MAX_CELL_TEXT - 1] + "…"
    return text


class Book:
    """A workbook being written to `path` on `close`. `created` goes into its properties instead of the time of
    writing, so that the same plan gives the same file."""

    def __init__(self, path: Path, created: dt.datetime | None = None, bulk_rows: int | None = None) -> None:
        self.path = path
        # Tables with more data rows are written as XML by `Sheet` (`_Bulk`).
        self.bulk_rows = BULK_ROWS if bulk_rows is None else bulk_rows
        self._book = xlsxwriter.Workbook(str(path), BOOK_OPTIONS)
        if created is not None:
            if created.tzinfo is not None:
                created = created.astimezone(dt.UTC).replace(tzinfo=None)
            self._book.set_properties({"created": created})
        self.sheets: list[Sheet] = []
        # One Format per combination of styles, found by the styles' identities (they are module constants,
        # kept alive here so an identity is never reused), with the font size and weight the heights need.
        self._formats: dict[tuple[object, ...], tuple[Format, float, bool, tuple[object, ...]]] = {}

    def sheet(self, name: str) -> Sheet:
        """A new sheet named `name` (see `sheet_name`), after the others."""
        sheet = Sheet(self, self._book.add_worksheet(name))
        self.sheets.append(sheet)
        return sheet

    def names(self) -> list[str]:
        """The names of the sheets so far, in order."""
        return [s.name for s in self.sheets]

    def close(self) -> None:
        """Set every sheet's row heights and write the file."""
        for sheet in self.sheets:
            sheet.fit_row_heights()
        self._book.close()
        # XlsxWriter names the XML of its n-th worksheet sheetn.xml.
        bulk = {f"xl/worksheets/sheet{n}.xml": s._bulk for n, s in enumerate(self.sheets, start=1) if s._bulk}
        if bulk:
            _insert_rows(self.path, bulk)

    def format(
        self, styles: tuple[Style | None, ...], number_format: str | None, quote: bool
    ) -> tuple[Format, float, bool]:
        """The format of a cell with these styles (later ones win), and its font's size and whether it is bold."""
        key = (*map(id, styles), number_format, quote)
        found = self._formats.get(key)
        if found is None:
            properties: dict[str, Any] = {}
            for style in styles:
                properties.update(style or {})
            if number_format:
                properties["num_format"] = number_format
            if quote:
                properties["quote_prefix"] = True
            size = float(properties.get("font_size", FONT_SIZE))
            found = (self._book.add_format(properties), size, bool(properties.get("bold")), styles)
            self._formats[key] = found
        return found[:3]


class Sheet:
    """One worksheet: cells written with the house styles, 1-based rows and columns as a spreadsheet shows them.
    Keeps what the row heights need: the column widths, the merged ranges and each row's text."""

    def __init__(self, book: Book, ws: Worksheet) -> None:
        self.book, self.ws = book, ws
        self.name: str = ws.get_name()
        self.max_row = 0
        self.max_column = 0
        self.heights: dict[int, float] = {}  # row -> points, once fitted
        self._widths: dict[int, float] = {}
        self._spans: dict[tuple[int, int], int] = {}  # (row, first column) -> last column, of one-row merges
        self._texts: list[tuple[int, int, str, float, bool]] = []  # row, column, text, font size, bold
        self._bulk: list[_Bulk] = []  # large tables' data rows, written as XML, not by XlsxWriter

    def put(
        self,
        row: int,
        column: int,
        value: Any,
        *,
        font: Style | None = None,
        border: Style | None = None,
        fill: Style | None = None,
        alignment: Style | None = None,
        number_format: str | None = None,
        link: str | None = None,
    ) -> None:
        """Write one value, top-aligned: text wrapped, numbers, dates and times centred (unless `alignment`).
        Text is always a string cell, never a formula, and is quoted (`quotePrefix`) when it starts like a
        formula, so that editing the cell cannot turn it into one. Writing a cell again replaces it."""
        if isinstance(value, dt.datetime) and value.tzinfo is not None:
            value = value.replace(tzinfo=None)  # Excel has no time zones: the sheet says which zone it shows
        text = isinstance(value, str)
        quote = text and value.startswith(FORMULA_TRIGGERS)
        if text:
            value = clean(value)
        number_format = number_format or NUMBER_FORMATS.get(type(value))
        align = alignment or (WRAP if text or value is None else CENTRE)
        self._write(
            row, column, value, self.book.format((align, font, border, fill), number_format, quote), link
        )

    def _write(
        self, row: int, column: int, value: Any, formatted: tuple[Format, float, bool], link: str | None
    ) -> None:
        """`put` once the value is cleaned and its format found."""
        cell_format, size, bold = formatted
        if self._bulk:
            self._unbulk(row)
        r, c = row - 1, column - 1
        if value == "" or value is None:
            self.ws.write_blank(r, c, None, cell_format)  # an empty cell, as a program leaves it
        elif isinstance(value, str):
            if link and len(link) <= MAX_LINK:
                self.ws.write_url(r, c, link, cell_format, value)
            else:
                self.ws.write_string(r, c, value, cell_format)
            self._texts.append((row, column, value, size, bold))
        elif isinstance(value, bool):
            self.ws.write_boolean(r, c, value, cell_format)
        elif isinstance(value, int | float):
            self.ws.write_number(r, c, value, cell_format)
        elif isinstance(value, dt.date | dt.time):
            self.ws.write_datetime(r, c, value, cell_format)
        else:
            raise TypeError(f"a workbook cell cannot hold {type(value).__name__}: {value!r}")
        self.max_row = max(self.max_row, row)
        self.max_column = max(self.max_column, column)

    def merge(self, row: int, first: int, last: int, value: Any, **style: Any) -> None:
        """`value` in one cell spanning columns `first` to `last` of `row`, its text wrapped in their width."""
        self.ws.merge_range(row - 1, first - 1, row - 1, last - 1, "")
        self.put(row, first, value, **style)  # the merged range's first cell holds the value
        self._spans[(row, first)] = last
        self.max_column = max(self.max_column, last)

    def widths(self, widths: Sequence[float]) -> None:
        """Columns 1, 2, ... `widths` characters wide."""
        for column, width in enumerate(widths, start=1):
            self.ws.set_column(column - 1, column - 1, width)
            self._widths[column] = width

    def width(self, column: int) -> float:
        return self._widths.get(column, DEFAULT_WIDTH)

    def table(
        self,
        header: Sequence[str],
        rows: Iterable[Sequence[Any]],
        *,
        widths: Sequence[float],
        first_row: int = 1,
        name: str | None = None,
    ) -> int:
        """A header row and data rows with a grid, filterable (an Excel table when `name` is given), the header
        frozen, the columns `widths` characters wide; returns the last row written."""
        self.widths(widths)
        rows = rows if isinstance(rows, list) else list(rows)
        # In bulk, the rows' texts join the shared strings XlsxWriter writes, for the header's text at least.
        if len(rows) > self.book.bulk_rows and any(header) and _bulkable(rows):
            bulk = _Bulk(first_row + 1, rows)
            self._bulk.append(bulk)
            last = bulk.last
            self.max_row = max(self.max_row, last)
            self.max_column = max(self.max_column, *map(len, rows))
        else:
            last = self._cells(first_row, rows)
        titles = [clean(title) for title in header]
        end = max(last, first_row + 1)
        # A table needs a data row and distinct column names; otherwise a plain filter does.
        if name and last > first_row and len({t.casefold() for t in titles}) == len(titles):
            columns = [{"header": title} for title in titles]
            options = {"name": name, "style": "Table Style Light 9", "columns": columns}
            self.ws.add_table(first_row - 1, 0, end - 1, len(titles) - 1, options)
        else:
            self.ws.autofilter(first_row - 1, 0, end - 1, len(titles) - 1)
        for column, title in enumerate(header, start=1):  # after add_table, which writes plain header cells
            self.put(first_row, column, title, font=HEADER_FONT, border=GRID, fill=HEADER_FILL)
        self.ws.freeze_panes(first_row, 0)
        return last

    def _cells(self, first_row: int, rows: Sequence[Sequence[Any]]) -> int:
        """The data rows of `table` below `first_row`, through XlsxWriter; returns the last row written."""
        last = first_row
        # `put` with border=GRID, faster: a table of 100,000 rows has a million cells. A cell's format depends
        # only on the type of its value and whether its text is quoted, so each is looked up once per table.
        formats: dict[tuple[type, bool], tuple[Format, float, bool]] = {}
        write_string, texts = self.ws.write_string, self._texts
        for last, values in enumerate(rows, start=first_row + 1):
            for column, value in enumerate(values, start=1):
                kind = type(value)
                if kind is str and value:
                    quote = value.startswith(FORMULA_TRIGGERS)
                    formatted = formats.get((kind, quote))
                    if formatted is None:
                        formatted = formats[kind, quote] = self.book.format(
                            (WRAP, None, GRID, None), None, quote
                        )
                    cleaned = clean(value)
                    cell_format, size, bold = formatted
                    write_string(last - 1, column - 1, cleaned, cell_format)
                    texts.append((last, column, cleaned, size, bold))
                elif kind in (int, float, dt.date, dt.time, type(None)):  # a datetime goes to `put`: its zone
                    formatted = formats.get((kind, False))
                    if formatted is None:
                        align = WRAP if value is None else CENTRE
                        formatted = self.book.format(
                            (align, None, GRID, None), NUMBER_FORMATS.get(kind), False
                        )
                        formats[kind, False] = formatted
                    self._write(last, column, value, formatted, None)
                else:
                    self.put(last, column, value, border=GRID)
            if values:
                self.max_row = max(self.max_row, last)
                self.max_column = max(self.max_column, len(values))
        return last

    def fit_row_heights(self) -> None:
        """Set the height of every row to what its longest wrapped text needs (once: later calls keep them). A
        cell merged across columns of one row wraps in the width of the whole merged range."""
        if self.heights:
            return
        heights = dict.fromkeys(range(1, self.max_row + 1), FONT_SIZE * LINE_SPACING)
        width_of = functools.cache(self.width)
        spans = self._spans
        for row, column, text, size, bold in self._texts:
            last = spans.get((row, column), column)
            width = width_of(column) if last == column else sum(map(width_of, range(column, last + 1)))
            height = text_lines(text, width, size, bold) * size * LINE_SPACING
            heights[row] = max(heights[row], height)
        bulk_rows = {row for bulk in self._bulk for row in range(bulk.first, bulk.last + 1)}
        for row, height in heights.items():
            self.heights[row] = round(height + ROW_PADDING, 1)
            if row not in bulk_rows:
                self.ws.set_row(row - 1, self.heights[row])
        self._texts.clear()
        for bulk in self._bulk:
            bulk.fit(self)
            self.heights.update(zip(range(bulk.first, bulk.last + 1), bulk.heights, strict=True))

    def _unbulk(self, row: int) -> None:
        """Before a cell of a large table's data rows is written again: the table's rows through XlsxWriter."""
        for bulk in [b for b in self._bulk if b.first <= row <= b.last]:
            self._bulk.remove(bulk)
            self._cells(bulk.first - 1, bulk.rows)
            for r in range(bulk.first, bulk.last + 1) if self.heights else ():
                self.ws.set_row(r - 1, self.heights[r])

    def one_page_scale(self) -> float:
        """The print scale (1 = full size) at which the whole sheet fits on one A4 landscape page: the rows
        at their fitted heights, a column 7 pixels per unit of width plus 5, at 96 pixels per inch. The row
        heights are generous, so a program prints at this scale or a little larger."""
        self.fit_row_heights()
        width = sum(self.width(c) * 7 + 5 for c in range(1, self.max_column + 1)) * 72 / 96
        height = sum(self.heights.values())
        page_width = A4_LANDSCAPE[0] - 72 * (MARGINS["left"] + MARGINS["right"])
        page_height = A4_LANDSCAPE[1] - 72 * (MARGINS["top"] + MARGINS["bottom"])
        return min(1.0, page_width / width, page_height / height)

    def print_setup(
        self,
        title_row: int,
        *,
        header: str = "",
        right: str = "",
        pages_tall: int = 0,
        page: str = "Page {page} of {pages}",
    ) -> None:
        """A4 landscape, one page wide (and at most `pages_tall` pages tall unless 0), the row `title_row`
        repeated on every page, `header` at the top left (and `right` at the right), the sheet name and
        `page` ("Page N of M", in the sheet's language) at the bottom."""
        ws = self.ws
        ws.set_landscape()
        ws.set_paper(A4)
        ws.fit_to_pages(1, pages_tall)
        ws.set_start_page(1)  # each sheet counts its own pages
        ws.repeat_rows(title_row - 1)
        ws.set_margins(**MARGINS)
        top = f"&L{header_text(header)}" + (f"&R{header_text(right)}" if right else "")
        ws.set_header(top, {"margin": HEADER_MARGIN})
        numbers = header_text(page).replace("{page}", "&P").replace("{pages}", "&N")
        ws.set_footer(f"&L&A&C{numbers}", {"margin": HEADER_MARGIN})

    def picture(self, row: int, path: Path, width: int) -> int:
        """The PNG at `path` from column A of `row`, `width` pixels wide on screen; returns its height in pixels."""
        image = Image(str(path))
        # XlsxWriter sizes a picture by its resolution: one of 150 dpi shows at 96/150 of its pixels.
        shown = float(image.width) * 96 / float(image.x_dpi)
        scale = width / shown
        self.ws.insert_image(
            row - 1, 0, str(path), {"x_scale": scale, "y_scale": scale, "description": path.stem}
        )
        return round(float(image.height) * 96 / float(image.y_dpi) * scale)


def text_lines(text: str, width: float, size: float = FONT_SIZE, bold: bool = False) -> int:
    """How many lines `text` takes when wrapped word by word in `width` units of column width, at `size`
    points; a word longer than a line is broken inside, as spreadsheet programs do."""
    capacity = max(1.0, width) * FONT_SIZE / size / (BOLD_WIDTH if bold else 1.0)
    if "\n" not in text and (
        len(text) * WIDE_UNITS <= capacity
        # ASCII takes at most UPPER_UNITS a character; the margin keeps the sum's rounding from mattering.
        or (len(text) * UPPER_UNITS <= capacity - ROUNDING and text.isascii())
    ):
        return 1  # it fits even at the widest: most cells (e-mail addresses too), without measuring a word
    return _wrapped_lines(text, capacity)


@functools.lru_cache(maxsize=65_536)  # a waiting list of 100,000 people repeats its reasons row after row
def _wrapped_lines(text: str, capacity: float) -> int:
    lines = 0
    for paragraph in text.split("\n"):
        lines += 1
        used = 0.0
        for word in paragraph.split(" "):
            need = _word_units(word)
            if used and used + SPACE_UNITS + need > capacity:
                lines += 1
                used = 0.0
            elif used:
                used += SPACE_UNITS
            while need > capacity:
                lines += 1
                need -= capacity
            used += need
    return lines


@functools.lru_cache(maxsize=65_536)
def _word_units(word: str) -> float:
    """Cached: the same names, organisations and words come back in row after row."""
    return sum(map(_units, word))


def _units(character: str) -> float:
    if unicodedata.east_asian_width(character) in ("W", "F"):
        return WIDE_UNITS
    return UPPER_UNITS if character.isupper() else LOWER_UNITS


def sheet_name(wanted: str, taken: Iterable[str]) -> str:
    """A valid sheet name close to `wanted` and unlike every name in `taken` (compared as Excel does, ignoring
    case): at most 31 characters, none of []:*?/\\, no apostrophe or space at either end, not "History"."""
    base = SHEET_NAME_FORBIDDEN.sub("_", " ".join(clean(wanted).split()))[:MAX_SHEET_NAME].strip("' ")
    base = base or "Sheet"
    used = {name.casefold() for name in taken} | {"history"}
    name, number = base, 1
    while name.casefold() in used:
        number += 1
        suffix = f" ({number})"
        name = base[: MAX_SHEET_NAME - len(suffix)].rstrip("' ") + suffix
    return name


def header_text(text: str, limit: int = 150) -> str:
    """Text for a page header: `&` starts a field code there, so it is doubled; text longer than `limit`
    once escaped is shortened (Excel allows 255 characters for a whole header)."""
    text = " ".join(clean(text).split())
    if len(text.replace("&", "&&")) > limit:
        while len(text.replace("&", "&&")) > limit - 1:
            text = text[:-1]
        text = text.rstrip() + "…"
    return text.replace("&", "&&")


@dataclass
class _Bulk:
    """The data rows of a large table, written as sheet XML into the file XlsxWriter wrote without them:
    XlsxWriter's call per cell and its XML writer were most of the time of a 100,000-row waiting list. The rows
    come out as XlsxWriter writes a table's rows (same formats, heights and shared strings). Rows `first` to
    `last`; a cell written there later (`Sheet._write`) sends the rows through XlsxWriter instead."""

    first: int
    rows: list[Sequence[Any]]
    heights: list[float] = field(default_factory=list)  # points, once fitted
    texts: list[str] = field(default_factory=list)  # the cleaned text of each text cell, row by row
    styles: dict[tuple[type, bool], int] = field(default_factory=dict)  # kind, quoted -> format index

    @property
    def last(self) -> int:
        return self.first + len(self.rows) - 1

    def fit(self, sheet: Sheet) -> None:
        """Clean the texts and fit the rows' heights (as `Sheet.fit_row_heights`), and number the formats,
        before XlsxWriter writes the workbook: it numbers only the formats of its own cells."""
        book, formatted = sheet.book, {}
        for kind, align, quote in BULK_FORMATS:
            formatted[kind, quote] = book.format((align, None, GRID, None), NUMBER_FORMATS.get(kind), quote)
            self.styles[kind, quote] = formatted[kind, quote][0]._get_xf_index()
        size, bold = formatted[str, False][1:]
        # The lines of a text in a column, remembered: the same names, organisations and reasons come back.
        lines_in: list[dict[str, int]] = [{} for _ in range(max(map(len, self.rows)))]
        widths = [sheet.width(column) for column in range(1, len(lines_in) + 1)]
        texts, heights = self.texts, self.heights
        for values in self.rows:
            lines = 1
            for column, value in enumerate(values):
                if type(value) is str and value:
                    text = clean(value)
                    texts.append(text)
                    known = lines_in[column].get(text)
                    if known is None:
                        known = lines_in[column][text] = text_lines(text, widths[column], size, bold)
                    lines = max(lines, known)
            heights.append(round(lines * size * LINE_SPACING + ROW_PADDING, 1))

    def xml(self, strings: _SharedStrings) -> str:
        """The rows' XML, their texts added to `strings`."""
        styles, texts = self.styles, iter(self.texts)
        plain, quoted, blank = styles[str, False], styles[str, True], styles[type(None), False]
        names = [xl_col_to_name(column) for column in range(max(map(len, self.rows)))]
        # XlsxWriter's `spans`, a hint for readers: the columns used in each block of 16 rows.
        spans: dict[int, int] = {}
        for row, values in enumerate(self.rows, start=self.first - 1):
            spans[row // 16] = max(spans.get(row // 16, 0), len(values))
        known, add = strings.by_text, strings.add
        strings.count += len(self.texts)
        out = []
        for (row, values), height in zip(enumerate(self.rows, start=self.first), self.heights, strict=True):
            pixels = int(height * 4.0 / 3.0 + 0.5)  # as XlsxWriter's `set_row`
            fitted = f' ht="{pixels * 0.75:.16g}" customHeight="1"' if pixels != DEFAULT_ROW_PIXELS else ""
            out.append(f'<row r="{row}" spans="1:{spans[(row - 1) // 16]}"{fitted}>')
            for column, value in enumerate(values):
                kind = type(value)
                if kind is str and value:
                    style = quoted if value.startswith(FORMULA_TRIGGERS) else plain
                    text = next(texts)
                    index = known.get(text)
                    if index is None:
                        index = add(text)
                    out.append(f'<c r="{names[column]}{row}" s="{style}" t="s"><v>{index}</v></c>')
                elif kind is str or value is None:
                    out.append(f'<c r="{names[column]}{row}" s="{blank}"/>')
                else:
                    number = (
                        _excel_date(value)
                        if kind is dt.date
                        else _excel_time(value)
                        if kind is dt.time
                        else value
                    )
                    out.append(
                        f'<c r="{names[column]}{row}" s="{styles[kind, False]}"><v>{number:.16G}</v></c>'
                    )
            out.append("</row>")
        return "".join(out)


def _bulkable(rows: list[Sequence[Any]]) -> bool:
    """Whether `_Bulk` can write these rows: no empty row, and only the values a table usually holds."""
    if not all(rows):
        return False
    values = list(itertools.chain.from_iterable(rows))
    kinds = set(map(type, values))
    if not kinds <= BULK_KINDS:
        return False
    return float not in kinds or all(math.isfinite(v) for v in values if type(v) is float)


@functools.lru_cache(maxsize=1_440)  # the times of one event: a few hundred
def _excel_time(time: dt.time) -> float:
    """A time of day as Excel's fraction of a day, exactly as XlsxWriter computes it."""
    return float(_datetime_to_excel_datetime(time, False, False))


def _excel_date(day: dt.date) -> int:
    """A date as Excel's serial number: days since 1899-12-31, plus Excel's 29 February 1900 after it."""
    serial = (day - dt.date(1899, 12, 31)).days
    return serial + 1 if serial > 59 else serial


# Excel reads _xHHHH_ in a string as an escaped character, so a literal one has its underscore escaped.
EXCEL_ESCAPE = re.compile("(_x[0-9a-fA-F]{4}_)")
SHARED_STRING = re.compile("<si>.*?</si>", re.DOTALL)
STRING_COUNTS = re.compile(r'<sst [^>]*count="(\d+)" uniqueCount="(\d+)">')
SHEET_ROW = re.compile(r'<row r="(\d+)"')
DIMENSION = re.compile(r'<dimension ref="([A-Z]+\d+)(?::([A-Z]+\d+))?"/>')
SHARED_STRINGS = "xl/sharedStrings.xml"


class _SharedStrings:
    """The workbook's shared strings as XlsxWriter wrote them, and those of the rows written after it."""

    def __init__(self, xml: str) -> None:
        counts = STRING_COUNTS.search(xml)
        if counts is None:
            raise ValueError("shared strings without their counts")  # XlsxWriter writes them
        self._xml, self._counts = xml, counts
        self.count = int(counts[1])
        self._indices = {si: i for i, si in enumerate(SHARED_STRING.findall(xml, counts.end()))}
        self.by_text: dict[str, int] = {}  # the index of each cleaned text seen so far
        self._added: list[str] = []

    def add(self, text: str) -> int:
        """The index of a cleaned text not in `by_text` yet, escaped as XlsxWriter escapes a shared string
        (it may be one of XlsxWriter's own); the caller counts each use in `count`."""
        si = text if "_x" not in text else EXCEL_ESCAPE.sub(r"_x005F\1", text)
        if "&" in si or "<" in si or ">" in si:
            si = si.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        space = ' xml:space="preserve"' if text[0].isspace() or text[-1].isspace() else ""
        si = f"<si><t{space}>{si}</t></si>"
        found = self._indices.get(si)
        if found is None:
            found = self._indices[si] = len(self._indices)
            self._added.append(si)
        self.by_text[text] = found
        return found

    def xml(self) -> str:
        """The shared strings file with the added strings and the new counts."""
        xml, counts = self._xml, self._counts
        end = xml.rindex("</sst>")
        head = f'{xml[: counts.start(1)]}{self.count}" uniqueCount="{len(self._indices)}">'
        return head + xml[counts.end() : end] + "".join(self._added) + xml[end:]


def _insert_rows(path: Path, bulk: Mapping[str, list[_Bulk]]) -> None:
    """Put the large tables' rows into the worksheets named in `bulk` of the workbook at `path`, in row order
    among the rows XlsxWriter wrote, with their texts in the shared strings."""
    with zipfile.ZipFile(path) as old:
        parts = {info.filename: (info, old.read(info)) for info in old.infolist()}
    strings = _SharedStrings(parts[SHARED_STRINGS][1].decode("utf-8"))
    patched = {
        name: _with_rows(parts[name][1].decode("utf-8"), tables, strings) for name, tables in bulk.items()
    }
    patched[SHARED_STRINGS] = strings.xml()
    with zipfile.ZipFile(path, "w") as new:
        for name, (info, data) in parts.items():
            new.writestr(info, patched[name].encode("utf-8") if name in patched else data)


def _with_rows(xml: str, tables: list[_Bulk], strings: _SharedStrings) -> str:
    """A worksheet's XML with the tables' rows among its rows, and its dimension widened to them."""
    found = DIMENSION.search(xml)
    if found is None:
        raise ValueError("a worksheet without a dimension")  # XlsxWriter writes one in every sheet
    (top, left), (bottom, right) = xl_cell_to_rowcol(found[1]), xl_cell_to_rowcol(found[2] or found[1])
    top = min(top, *(rows.first - 1 for rows in tables))
    bottom = max(bottom, *(rows.last - 1 for rows in tables))
    right = max(right, *(max(map(len, rows.rows)) - 1 for rows in tables))
    ref = f"{xl_rowcol_to_cell(top, min(left, 0))}:{xl_rowcol_to_cell(bottom, right)}"
    xml = f'{xml[: found.start()]}<dimension ref="{ref}"/>{xml[found.end() :]}'
    xml = xml.replace("<sheetData/>", "<sheetData></sheetData>", 1)
    start, end = xml.index("<sheetData>"), xml.index("</sheetData>")
    written = [(int(m[1]), m.start()) for m in SHEET_ROW.finditer(xml, start, end)]
    pieces, at = [], 0
    for rows in sorted(tables, key=lambda b: b.first):
        where = next((position for row, position in written if row > rows.last), end)
        pieces += [xml[at:where], rows.xml(strings)]
        at = where
    pieces.append(xml[at:])
    return "".join(pieces)
