"""`put` registers each combination of styles once per workbook and copies it to later cells (openpyxl hashing
every style object for every cell made big workbooks slow): a cell still gets exactly the styles that setting its
attributes one by one gives, in any workbook, whatever it held before."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import PatternFill

from scheduler.export.cells import CENTRE, GRID, HEADER_FILL, HEADER_FONT, LABEL_FONT, WRAP, clean, put

VALUES: list[Any] = [
    "text",
    "=1+1",
    None,
    7,
    2.5,
    dt.date(2020, 11, 12),
    dt.time(10, 30),
    dt.datetime(2020, 11, 12, 10, 30),
]
FORMATS = {dt.datetime: "yyyy-mm-dd hh:mm", dt.date: "yyyy-mm-dd", dt.time: "hh:mm"}
EARLIER_FILL = PatternFill("solid", fgColor="FFFF00")


def styles(cell: Cell) -> tuple[object, ...]:
    """Compared as text: openpyxl gives styles as proxies, which are never equal to one another."""
    return tuple(
        map(repr, (cell.font, cell.fill, cell.border, cell.alignment, cell.number_format, cell.quotePrefix))
    )


def by_hand(cell: Cell, value: Any, font: Any, border: Any, fill: Any) -> None:
    """What put did before it cached: each attribute set in turn."""
    if isinstance(value, str):
        cell.value = clean(value)
        cell.quotePrefix = value.startswith("=")
    else:
        cell.value = value
    if type(value) in FORMATS:
        cell.number_format = FORMATS[type(value)]
    cell.alignment = WRAP if value is None or isinstance(value, str) else CENTRE
    for name, style in (("font", font), ("border", border), ("fill", fill)):
        if style is not None:
            setattr(cell, name, style)


@pytest.mark.parametrize(
    ("font", "border", "fill"),
    [(None, None, None), (None, GRID, None), (HEADER_FONT, GRID, HEADER_FILL), (LABEL_FONT, None, None)],
)
@pytest.mark.parametrize("styled_before", [False, True])
def test_put_gives_the_styles_of_setting_each_attribute(
    font: Any, border: Any, fill: Any, styled_before: bool
) -> None:
    for book in (Workbook(), Workbook()):  # the second workbook must not get the first one's indexes
        ws = book.active
        assert ws is not None
        for row in (1, 2):  # the second row is styled from the cache
            for column, value in enumerate(VALUES, start=1):
                expected = ws.cell(row=row + 10, column=column)
                target = ws.cell(row=row, column=column)
                if styled_before:
                    expected.fill = target.fill = EARLIER_FILL
                by_hand(expected, value, font, border, fill)
                put(ws, row, column, value, font=font, border=border, fill=fill)
                assert styles(target) == styles(expected), (row, value)
                assert target.value == expected.value
