"""`Sheet.put` makes one format per combination of styles and value type and shares it between cells: each cell,
read back from the file, still has exactly the styles asked for, in any workbook, whatever it held before."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.cell.cell import Cell

from scheduler.export.cells import GRID, HEADER_FILL, HEADER_FONT, LABEL_FONT, Book, Style

VALUES: list[Any] = [
    "text",
    "=1+1",
    None,
    7,
    2.5,
    True,
    dt.date(2020, 11, 12),
    dt.time(10, 30),
    dt.datetime(2020, 11, 12, 10, 30),
]
FORMATS = {dt.datetime: "yyyy-mm-dd hh:mm", dt.date: "yyyy-mm-dd", dt.time: "hh:mm"}
EARLIER_FILL: Style = {"pattern": 1, "bg_color": "#FFFF00"}


def read_back(value: Any) -> Any:
    """What a reader finds in a cell written with `value`: a date is a day's serial, read as its midnight."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return dt.datetime.combine(value, dt.time())
    return value


def expected(value: Any, font: Style | None, border: Style | None, fill: Style | None) -> dict[str, Any]:
    """The styles a reader must find, written out by hand from what `put` promises."""
    text = value is None or isinstance(value, str)
    return {
        "bold": bool(font and font.get("bold")),
        "colour": "FFFFFFFF" if font is HEADER_FONT else None,
        "fill": "FF1F4E79" if fill is HEADER_FILL else None,
        "border": "thin" if border is GRID else None,
        "wrap": True,
        "vertical": "top",
        "horizontal": None if text else "center",
        "reading order": 1,
        "number format": FORMATS.get(type(value), "General"),
        "quoted": isinstance(value, str) and value.startswith("="),
    }


def found(cell: Cell) -> dict[str, Any]:
    colour = cell.font.color.rgb if cell.font.color is not None and cell.font.color.type == "rgb" else None
    fill = cell.fill.fgColor.rgb if cell.fill.fill_type == "solid" else None
    return {
        "bold": bool(cell.font.b),
        "colour": colour,
        "fill": fill,
        "border": cell.border.left.style,
        "wrap": cell.alignment.wrap_text,
        "vertical": cell.alignment.vertical,
        "horizontal": cell.alignment.horizontal,
        "reading order": cell.alignment.readingOrder,
        "number format": cell.number_format,
        "quoted": cell.quotePrefix,
    }


@pytest.mark.parametrize(
    ("font", "border", "fill"),
    [(None, None, None), (None, GRID, None), (HEADER_FONT, GRID, HEADER_FILL), (LABEL_FONT, None, None)],
)
@pytest.mark.parametrize("styled_before", [False, True])
def test_put_gives_each_cell_exactly_its_styles(
    tmp_path: Path, font: Style | None, border: Style | None, fill: Style | None, styled_before: bool
) -> None:
    for name in ("first.xlsx", "second.xlsx"):  # the second workbook must not get the first one's formats
        book = Book(tmp_path / name)
        sheet = book.sheet("S")
        for row in (1, 2):  # the second row shares the formats of the first
            for column, value in enumerate(VALUES, start=1):
                if styled_before:
                    sheet.put(row, column, "earlier", fill=EARLIER_FILL, font=LABEL_FONT)
                sheet.put(row, column, value, font=font, border=border, fill=fill)
        book.close()

        ws = load_workbook(tmp_path / name).active
        assert ws is not None
        for row in (1, 2):
            for column, value in enumerate(VALUES, start=1):
                cell = ws.cell(row=row, column=column)
                assert found(cell) == expected(value, font, border, fill), (row, value)
                assert cell.value == read_back(value), (row, value)
