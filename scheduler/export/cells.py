"""Writing workbooks safely and readably, shared by both workbooks.

Applicant text is data, never a formula, whatever it starts with; text is cleaned to what a workbook can hold;
wrapped text gets the row height it needs (openpyxl never sets one, so wrapped lines would overlap in print);
sheets print on A4 landscape, one page wide.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from copy import copy
from typing import Any
from weakref import WeakKeyDictionary

from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

# Spreadsheet programs treat text starting with these as a formula or a command (CWE-1236).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# Characters XML 1.0 cannot carry: openpyxl refuses some and writes others into a file no program opens.
NOT_IN_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
REPLACEMENT = "\ufffd"
MAX_CELL_TEXT = 32_767  # Excel's limit for one cell
SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
MAX_SHEET_NAME = 31

A4_LANDSCAPE = (841.9, 595.3)  # points
MARGINS = PageMargins(left=0.4, right=0.4, top=0.6, bottom=0.6, header=0.25, footer=0.25)  # inches
FONT_NAME, FONT_SIZE = "Calibri", 11.0  # the workbook's default font: named fonts must say it too
HEADER_FONT = Font(name=FONT_NAME, sz=FONT_SIZE, bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
LABEL_FONT = Font(name=FONT_NAME, sz=FONT_SIZE, bold=True)
# Left to right, whatever script a cell starts with: a list of names that starts with an Arabic one must still
# read in order from the left.
LEFT_TO_RIGHT = 1
WRAP = Alignment(wrap_text=True, vertical="top", readingOrder=LEFT_TO_RIGHT)
CENTRE = Alignment(wrap_text=True, vertical="top", horizontal="center", readingOrder=LEFT_TO_RIGHT)
THIN = Side(style="thin", color="A6A6A6")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)

# Row-height estimate. A unit of column width is the width of a digit of the default font (11-point Calibri),
# so a line holds `width` units. A lowercase letter counts 1 unit, a capital 1.3, a space 0.5: a little more
# than Calibri needs in Excel at 96 dpi (about 0.95, 1.2 and 0.45). It holds for the fonts a program may
# substitute too, since a program sizes its columns with the digit of the font it uses. Wide East Asian
# characters and emoji count 2. Lines are 1.3 times the font size apart, plus a little padding per row.
LOWER_UNITS, UPPER_UNITS, SPACE_UNITS, WIDE_UNITS = 1.0, 1.3, 0.5, 2.0
BOLD_WIDTH = 1.1
LINE_SPACING = 1.3
ROW_PADDING = 3.0


def clean(text: str) -> str:
    """Text as a workbook can hold it. XML readers turn CR and CR LF into LF, so line breaks are written as LF
    (Excel's own line break in a cell); characters XML cannot carry become U+FFFD; text beyond Excel's
    32,767 characters per cell is cut, ending with an ellipsis."""
    text = NOT_IN_XML.sub(REPLACEMENT, text.replace("\r\n", "\n").replace("\r", "\n"))
    if len(text) > MAX_CELL_TEXT:
        text = text[: MAX_CELL_TEXT - 1] + "…"
    return text


def put(
    ws: Worksheet,
    row: int,
    column: int,
    value: Any,
    *,
    font: Font | None = None,
    border: Border | None = None,
    fill: PatternFill | None = None,
) -> Cell:
    """Write one value, top-aligned: text wrapped, numbers, dates and times centred. Text is always a string
    cell, never a formula, and is quoted (`quotePrefix`) when it starts like a formula, so that editing the
    cell cannot turn it into one."""
    cell = ws.cell(row=row, column=column)
    assert isinstance(cell, Cell), f"{cell.coordinate} lies inside a merged range"
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        value = value.replace(tzinfo=None)  # Excel has no time zones: the sheet says which zone it shows
    quote = None
    if isinstance(value, str):
        cell.value = clean(value)
        cell.data_type = "s"  # openpyxl would otherwise store text starting with "=" as a formula
        quote = value.startswith(FORMULA_TRIGGERS)
    else:
        cell.value = value
    number_format = None
    if isinstance(value, dt.datetime):
        number_format = "yyyy-mm-dd hh:mm"
    elif isinstance(value, dt.date):
        number_format = "yyyy-mm-dd"
    elif isinstance(value, dt.time):
        number_format = "hh:mm"
    alignment = WRAP if value is None or isinstance(value, str) else CENTRE  # numbers, dates, times
    _style(cell, quote, number_format, alignment, font, border, fill)
    return cell


# Setting a style on a cell makes openpyxl hash the style object, part by part, to find it in the workbook's list,
# which took most of the time of writing a big workbook. A sheet uses a handful of combinations, so each is set
# attribute by attribute once per workbook, and the resulting StyleArray (the cell's indexes into those lists)
# copied to the other cells that get the same combination on the same starting style. Style objects are told
# apart by identity, and kept alive with the entry so that an identity is never reused.
_STYLES: WeakKeyDictionary[Workbook, dict[tuple[object, ...], tuple[StyleArray, tuple[object, ...]]]]
_STYLES = WeakKeyDictionary()
_UNSTYLED = tuple(StyleArray())  # the style of a new cell, whose _style is None


def _style(
    cell: Cell,
    quote: bool | None,
    number_format: str | None,
    alignment: Alignment,
    font: Font | None,
    border: Border | None,
    fill: PatternFill | None,
) -> None:
    """Set the cell's quotePrefix (unless None), number format (unless None), alignment, and font, border and
    fill (those that are not None), exactly as setting each attribute would."""
    objects = (alignment, font, border, fill)
    book = cell.parent.parent
    assert isinstance(book, Workbook)
    known = _STYLES.setdefault(book, {})
    current = _style_array(cell)
    start = _UNSTYLED if current is None else tuple(current)
    key = (start, quote, number_format, id(alignment), id(font), id(border), id(fill))
    found = known.get(key)
    if found is not None:
        cell._style = StyleArray(found[0])  # type: ignore[attr-defined]  # see _style_array
        return
    if quote is not None:
        cell.quotePrefix = quote
    if number_format is not None:
        cell.number_format = number_format
    cell.alignment = alignment
    if font is not None:
        cell.font = font
    if border is not None:
        cell.border = border
    if fill is not None:
        cell.fill = fill
    known[key] = (StyleArray(cell._style), objects)  # type: ignore[attr-defined]  # see _style_array


def _style_array(cell: Cell) -> StyleArray | None:
    """openpyxl's record of a cell's styles, indexes into its workbook's lists of fonts, fills...; None for a new
    cell. Not in openpyxl's type stubs."""
    return cell._style  # type: ignore[attr-defined,no-any-return]


def write_table(
    ws: Worksheet,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    widths: Sequence[float],
    first_row: int = 1,
    name: str | None = None,
) -> int:
    """A header row and data rows with a grid, filterable (an Excel table when `name` is given), the header
    frozen, the columns `widths` characters wide; returns the last row written."""
    for column, title in enumerate(header, start=1):
        put(ws, first_row, column, title, font=HEADER_FONT, border=GRID, fill=HEADER_FILL)
    last = first_row
    for last, values in enumerate(rows, start=first_row + 1):
        for column, value in enumerate(values, start=1):
            put(ws, last, column, value, border=GRID)
    ref = f"A{first_row}:{get_column_letter(len(header))}{max(last, first_row + 1)}"
    # A table needs a data row and distinct column names; otherwise a plain filter does.
    if name and last > first_row and len({h.casefold() for h in header}) == len(header):
        table = Table(displayName=name, ref=ref)
        table.tableStyleInfo = TableStyleInfo(name="TableStyleLight9", showRowStripes=True)
        ws.add_table(table)
    else:
        ws.auto_filter.ref = ref
    ws.freeze_panes = f"A{first_row + 1}"
    for column, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(column)].width = width
    return last


def text_lines(text: str, width: float, size: float = FONT_SIZE, bold: bool = False) -> int:
    """How many lines `text` takes when wrapped word by word in `width` units of column width, at `size`
    points; a word longer than a line is broken inside, as spreadsheet programs do."""
    capacity = max(1.0, width) * FONT_SIZE / size / (BOLD_WIDTH if bold else 1.0)
    if len(text) * WIDE_UNITS <= capacity and "\n" not in text:
        return 1  # it would fit even if every character were wide: most cells, without measuring a word
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


def fit_row_heights(ws: Worksheet, first_row: int = 1) -> None:
    """Set the height of every row from `first_row` on to what its longest wrapped text needs. A cell merged
    across columns of one row wraps in the width of the whole merged range."""
    spans = {
        (r.min_row, r.min_col): range(r.min_col, r.max_col + 1)
        for r in ws.merged_cells.ranges
        if r.min_row == r.max_row
    }
    # Looked up once: a column's width, and a font's size and weight by the font's index in the workbook
    # (reading `cell.font` builds a new proxy object each time).
    width_of = functools.cache(lambda column: _width(ws, column))
    fonts: dict[int, tuple[float, bool]] = {}
    for row, cells in enumerate(ws.iter_rows(min_row=first_row), start=first_row):
        height = FONT_SIZE * LINE_SPACING
        for cell in cells:
            if not isinstance(cell.value, str) or cell.column is None:
                continue
            columns = spans.get((row, cell.column), range(cell.column, cell.column + 1))
            width = sum(map(width_of, columns))
            styles = _style_array(cell)
            font_id = styles.fontId if styles is not None else 0
            if font_id not in fonts:
                fonts[font_id] = (float(cell.font.sz or FONT_SIZE), bool(cell.font.b))
            size, bold = fonts[font_id]
            lines = text_lines(cell.value, width, size, bold)
            height = max(height, lines * size * LINE_SPACING)
        ws.row_dimensions[row].height = round(height + ROW_PADDING, 1)


def _width(ws: Worksheet, column: int) -> float:
    dimension = ws.column_dimensions[get_column_letter(column)]
    return float(dimension.width) if dimension.customWidth else 8.43


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


def print_setup(ws: Worksheet, title_row: int, *, header: str = "", pages_tall: int = 0) -> None:
    """A4 landscape, one page wide (and at most `pages_tall` pages tall unless 0), the row `title_row` repeated
    on every page, `header` at the top left, the sheet name and "Page N of M" at the bottom."""
    setup = ws.page_setup
    setup.orientation = "landscape"
    setup.paperSize = ws.PAPERSIZE_A4
    setup.fitToWidth = 1
    setup.fitToHeight = pages_tall
    setup.firstPageNumber, setup.useFirstPageNumber = 1, True  # each sheet counts its own pages
    ws.sheet_properties.pageSetUpPr.fitToPage = True  # type: ignore[union-attr]  # fitTo* act only with it
    ws.print_title_rows = f"{title_row}:{title_row}"
    ws.page_margins = copy(MARGINS)
    page_header, page_footer = ws.oddHeader, ws.oddFooter
    assert page_header is not None and page_footer is not None
    page_header.left.text = header_text(header)
    page_footer.left.text = "&A"
    page_footer.center.text = "Page &P of &N"


def estimated_pages(ws: Worksheet) -> float:
    """About how many pages tall the sheet prints when fitted one page wide on A4 landscape (a column is
    7 pixels per unit of width plus 5, at 96 pixels per inch)."""
    width = sum(_width(ws, c) * 7 + 5 for c in range(1, ws.max_column + 1)) * 72 / 96
    height = sum(ws.row_dimensions[r].height or 15 for r in range(1, ws.max_row + 1))
    page_width = A4_LANDSCAPE[0] - 72 * (MARGINS.left + MARGINS.right)
    page_height = A4_LANDSCAPE[1] - 72 * (MARGINS.top + MARGINS.bottom)
    return height * min(1.0, page_width / width) / page_height


def header_text(text: str, limit: int = 150) -> str:
    """Text for a page header: `&` starts a field code there, so it is doubled; text longer than `limit`
    once escaped is shortened (Excel allows 255 characters for a whole header)."""
    text = " ".join(clean(text).split())
    if len(text.replace("&", "&&")) > limit:
        while len(text.replace("&", "&&")) > limit - 1:
            text = text[:-1]
        text = text.rstrip() + "…"
    return text.replace("&", "&&")
