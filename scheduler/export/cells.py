"""Writing cells safely: applicant text is data, never a formula, whatever it starts with."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

# Spreadsheet programs treat text starting with these as a formula or a command (CWE-1236).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
WRAP = Alignment(wrap_text=True, vertical="top")


def put(ws: Worksheet, row: int, column: int, value: Any) -> None:
    """Write one value; text is stored as a string cell, quoted when a spreadsheet could read it as a formula."""
    cell = ws.cell(row=row, column=column)
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        value = value.replace(tzinfo=None)  # Excel has no time zones: the sheet says which zone it shows
    if isinstance(value, str):
        cell.value = value
        cell.data_type = "s"
        if value.startswith(FORMULA_TRIGGERS):
            cell.quotePrefix = True
    else:
        cell.value = value
    cell.alignment = WRAP


def write_table(
    ws: Worksheet,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    widths: Sequence[int] | None = None,
    first_row: int = 1,
    name: str | None = None,
) -> int:
    """A header row and data rows, filterable, with the header frozen; returns the last row written."""
    for column, title in enumerate(header, start=1):
        put(ws, first_row, column, title)
        cell = ws.cell(row=first_row, column=column)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
    last = first_row
    for last, values in enumerate(rows, start=first_row + 1):
        for column, value in enumerate(values, start=1):
            put(ws, last, column, value)
    ref = f"A{first_row}:{get_column_letter(len(header))}{max(last, first_row + 1)}"
    if name and last > first_row:
        table = Table(displayName=name, ref=ref)
        table.tableStyleInfo = TableStyleInfo(name="TableStyleLight9", showRowStripes=True)
        ws.add_table(table)
    else:
        ws.auto_filter.ref = ref
    ws.freeze_panes = f"A{first_row + 1}"
    for column, width in enumerate(widths or [18] * len(header), start=1):
        ws.column_dimensions[get_column_letter(column)].width = width
    return last
