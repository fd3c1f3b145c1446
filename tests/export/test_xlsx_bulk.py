"""Large tables' rows written as sheet XML in one go (`cells._Bulk`): the same workbook as cell by cell."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from scheduler import release
from scheduler.export import cells
from scheduler.export.agenda_xlsx import write_agenda
from scheduler.export.cells import LABEL_FONT, MAX_CELL_TEXT, Book, clean
from scheduler.export.list_of_speakers import write_lists_of_speakers
from scheduler.export.run_of_show import write_run_of_show
from scheduler.views import PlanView, build_view
from tests.export.test_xlsx import tricky_event
from tests.factories import GENERATED

HOSTILE = [
    "a < b & c > d",
    "She said \"yes\" and 'no'",
    "Bad\x00\x07Name\x1b",
    "Line one\r\nLine two\rthree",
    '=HYPERLINK("http://evil.example.org","x")',
    "+1-555-0100",
    "-2+3",
    "@SUM(A1)",
    "\t=1+1",
    "\r=1+1",
    "Жанар Абенова",
    "ليلى حداد 🌍",
    "李小龍 and ｗｉｄｅ",
    "_x0041_ stays as typed",
    "  leading and trailing spaces  ",
    "not a character \ufffe\uffff",
    "007",
    "x" * (MAX_CELL_TEXT + 10),
    "Ana " + "Maria-" * 82 + "Long",
    "id",  # also a header's text: one shared string for both
]
WIDTHS = [8, 22, 13, 30, 11, 8, 7]
HEADER = ["id", "name", "text", "more text", "date", "number", "time"]


def hostile_rows(count: int) -> list[list[Any]]:
    """Rows of every kind of value a table holds, the hostile texts in turn."""
    return [
        [
            f"P{i:06d}",
            HOSTILE[i % len(HOSTILE)],
            HOSTILE[(i * 7) % len(HOSTILE)] if i % 5 else "",
            None if i % 3 == 0 else f"Organisation {i % 11} & partners",
            dt.date(2020, 10, 1) + dt.timedelta(days=i % 40),
            i * 10 if i % 2 else i / 8,
            dt.time(8 + i % 10, (i * 5) % 60),
        ]
        for i in range(count)
    ]


def stored(value: Any) -> Any:
    """A value as openpyxl reads it back: text cleaned, an empty text an empty cell, a date at midnight."""
    if isinstance(value, str):
        return clean(value) or None
    return dt.datetime.combine(value, dt.time()) if isinstance(value, dt.date) else value


def write_book(
    path: Path, bulk_rows: int, rows: list[list[Any]], *, over: bool = False, below: bool = False
) -> Path:
    """A note above a table, a second sheet with a small table, and a cell written over the table afterwards
    (when `over`) and one below it (when `below`)."""
    book = Book(path, created=GENERATED, bulk_rows=bulk_rows)
    sheet = book.sheet("Rows")
    sheet.merge(1, 1, 6, "A note & its <row>", font=LABEL_FONT)
    sheet.table(HEADER, rows, widths=WIDTHS, first_row=3, name="Rows")
    if over:
        sheet.put(5, 2, "written again", font=LABEL_FONT)
    if below:
        sheet.put(len(rows) + 5, 1, "below the table")
    sheet.print_setup(3, header="Rows")
    other = book.sheet("Other")
    other.table(
        ["id", "name"], [["Q1", "Жанар Абенова"], ["Q2", "a < b & c > d"]], widths=[8, 22], name="Other"
    )
    other.print_setup(1, header="Other")
    book.close()
    return path


def content(path: Path) -> list[Any]:
    """What a person sees of a workbook, as openpyxl reads it: per sheet its layout and every cell's value
    and look."""
    book = load_workbook(path)
    seen: list[Any] = []
    for ws in book.worksheets:
        seen.append(
            (
                ws.title,
                ws.dimensions,
                ws.freeze_panes,
                sorted(str(r) for r in ws.merged_cells.ranges),
                {k: (v.height, v.customHeight) for k, v in ws.row_dimensions.items()},
                {k: v.width for k, v in ws.column_dimensions.items()},
                sorted((t.name, t.ref) for t in ws.tables.values()),
                ws.auto_filter.ref,
                ws.print_title_rows,
                (ws.page_setup.orientation, ws.page_setup.paperSize, ws.page_setup.fitToHeight),
                ws.oddHeader.left.text,
            )
        )
        for row in ws.iter_rows():
            for c in row:
                seen.append(
                    (
                        c.coordinate,
                        c.data_type,
                        c.value,
                        c.font.b,
                        c.font.color.rgb if c.font.color else None,
                        c.fill.fill_type,
                        c.fill.fgColor.rgb,
                        c.border.left.style,
                        c.border.left.color.rgb if c.border.left.color else None,
                        c.alignment.wrap_text,
                        c.alignment.horizontal,
                        c.alignment.vertical,
                        c.alignment.readingOrder,
                        c.number_format,
                        c.quotePrefix,
                    )
                )
    return seen


def sheet_xml(path: Path, number: int = 1) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read(f"xl/worksheets/sheet{number}.xml").decode()


@pytest.mark.parametrize(("over", "below"), [(False, False), (False, True), (True, True)])
def test_bulk_rows_make_the_same_workbook_as_cell_by_cell(tmp_path: Path, over: bool, below: bool) -> None:
    """The same cells, formats, row heights, table and print set-up; a cell written again over the table
    sends its rows through XlsxWriter after all."""
    rows = hostile_rows(300)
    fast = write_book(tmp_path / "fast.xlsx", 10, rows, over=over, below=below)
    slow = write_book(tmp_path / "slow.xlsx", 10**9, rows, over=over, below=below)
    assert content(fast) == content(slow)
    if not over:  # the rows were written in bulk: formats and shared strings numbered in another order
        assert fast.read_bytes() != slow.read_bytes()
    fast_values = CalamineWorkbook.from_path(str(fast)).get_sheet_by_name("Rows").to_python()
    assert fast_values == CalamineWorkbook.from_path(str(slow)).get_sheet_by_name("Rows").to_python()


def test_bulk_rows_read_back_as_written(tmp_path: Path) -> None:
    rows = hostile_rows(200)
    path = write_book(tmp_path / "fast.xlsx", 10, rows)
    ws = load_workbook(path)["Rows"]
    read = [[c.value for c in row] for row in ws.iter_rows(min_row=4, max_row=len(rows) + 3)]
    assert read == [[stored(v) for v in row] for row in rows]
    for row, values in zip(ws.iter_rows(min_row=4), rows, strict=False):
        for cell, value in zip(row, values, strict=True):
            assert cell.data_type != "f"
            if isinstance(value, str) and value:
                assert cell.data_type == "s"
                assert cell.quotePrefix == value.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert ws["B17"].value == "_x0041_ stays as typed"
    assert (
        ws.row_dimensions[4].height < ws.row_dimensions[4 + HOSTILE.index("x" * (MAX_CELL_TEXT + 10))].height
    )


def test_bulk_rows_go_in_row_order_with_a_widened_dimension(tmp_path: Path) -> None:
    rows = hostile_rows(50)
    xml = sheet_xml(write_book(tmp_path / "fast.xlsx", 10, rows, below=True))
    numbers = [int(n) for n in re.findall(r'<row r="(\d+)"', xml)]
    assert numbers == list(range(1, 56))  # rows 2 and 54 hold no cell, only their height
    assert '<dimension ref="A1:G55"/>' in xml
    assert not re.search(r"<f[ >]", xml)


def test_bulk_workbook_is_the_same_bytes_each_time(tmp_path: Path) -> None:
    rows = hostile_rows(300)
    first = write_book(tmp_path / "1.xlsx", 10, rows).read_bytes()
    assert write_book(tmp_path / "2.xlsx", 10, rows).read_bytes() == first


@pytest.fixture(scope="module")
def view() -> PlanView:
    ev = tricky_event()
    return build_view(ev, release.plan(ev, generated_at=GENERATED, time_limit=20))


def test_agenda_with_every_table_in_bulk_is_the_same_workbook(
    tmp_path: Path, view: PlanView, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every table of the agenda, the coverage and balance ones included (their cells are written again
    after the table: those go cell by cell after all)."""
    monkeypatch.setattr(cells, "BULK_ROWS", 0)
    write_agenda(view, tmp_path / "bulk.xlsx")
    monkeypatch.setattr(cells, "BULK_ROWS", 10**9)
    write_agenda(view, tmp_path / "cells.xlsx")
    assert content(tmp_path / "bulk.xlsx") == content(tmp_path / "cells.xlsx")
    waiting = CalamineWorkbook.from_path(str(tmp_path / "bulk.xlsx")).get_sheet_by_name("Waiting list")
    assert any("P4" in row for row in waiting.to_python())


def test_run_of_show_and_lists_of_speakers_in_bulk_are_the_same_workbooks(
    tmp_path: Path, view: PlanView, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A session's running order (with its times of day) and its list of speakers, in bulk and cell by cell."""
    for route, rows in (("bulk", 0), ("cells", 10**9)):
        monkeypatch.setattr(cells, "BULK_ROWS", rows)
        (tmp_path / route).mkdir()
        write_run_of_show(view, tmp_path / route / "run-of-show.xlsx")
        write_lists_of_speakers(view, tmp_path / route)
    names = sorted(p.name for p in (tmp_path / "bulk").iterdir())
    assert "run-of-show.xlsx" in names and "list-of-speakers.xlsx" in names
    for name in names:
        assert content(tmp_path / "bulk" / name) == content(tmp_path / "cells" / name), name
    times = [
        v
        for row in CalamineWorkbook.from_path(str(tmp_path / "bulk" / "run-of-show.xlsx"))
        .get_sheet_by_index(0)
        .to_python()
        for v in row
    ]
    assert any(isinstance(v, dt.time) for v in times)
