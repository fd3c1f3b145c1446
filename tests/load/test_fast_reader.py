"""The fast reader of applicants.xlsx (calamine) reads every workbook as openpyxl does, or hands it to openpyxl."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import openpyxl
import pytest

from scheduler.load.applicants import _fast_rows, _sheet_rows

ROOT = Path(__file__).resolve().parent.parent.parent
WORKBOOKS = sorted(
    p for p in [*(ROOT / "data").rglob("applicants.xlsx"), *(ROOT / "tests").rglob("*.xlsx")] if p.is_file()
)


def _openpyxl_rows(data: bytes) -> tuple[str, list[tuple[int, list[object]]]]:
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    sheet = book["applicants"] if "applicants" in book.sheetnames else book.worksheets[0]
    rows, _, _ = _sheet_rows(sheet)
    title = sheet.title
    book.close()
    return title, rows


def _blanks_as_none(read: tuple[str, list[tuple[int, list[object]]]] | None) -> object:
    """Calamine reads a cell of spaces as empty; the loader strips every cell, so both are the same blank."""
    if read is None:
        return None
    name, rows = read
    return name, [(n, [None if isinstance(v, str) and not v.strip() else v for v in r]) for n, r in rows]


def _typed_workbook() -> bytes:
    book = openpyxl.Workbook()
    first = book.active
    assert first is not None
    first.title = "notes"
    sheet = book.create_sheet("applicants")
    sheet.append(["id", "name", "submission_words", "submission_date", "registered_at", "available", "x"])
    sheet.append(
        ["P1", "Ana", 3470, dt.date(2020, 10, 1), dt.datetime(2020, 9, 1, 8, 3), dt.time(9, 30), True]
    )
    sheet.append(["P2", " ", 12.5, None, "2020-09-01", "", -3])
    sheet["C6"] = "after a gap"  # blank rows between filled ones keep the numbers of the rows below
    sheet["E9"] = 0
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("path", WORKBOOKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_fast_reader_reads_as_openpyxl_or_declines(path: Path) -> None:
    data = path.read_bytes()
    try:
        expected = _openpyxl_rows(data)
    except Exception:  # not a workbook openpyxl reads: the fast reader must not read it either
        assert _fast_rows(data) is None
        return
    fast = _fast_rows(data)
    assert fast is None or _blanks_as_none(fast) == _blanks_as_none(expected)


def test_fast_reader_keeps_types_and_row_numbers() -> None:
    data = _typed_workbook()
    fast = _fast_rows(data)
    assert fast is not None
    assert _blanks_as_none(fast) == _blanks_as_none(_openpyxl_rows(data))
    assert [number for number, _ in fast[1]] == [1, 2, 3, 6, 9]


def test_formulas_are_left_to_openpyxl() -> None:
    data = (ROOT / "tests" / "bad_inputs" / "xlsx_formulas" / "applicants.xlsx").read_bytes()
    assert _fast_rows(data) is None


def test_sample_event_is_read_fast() -> None:
    data = (ROOT / "data" / "gcm2020-unece" / "applicants.xlsx").read_bytes()
    assert _fast_rows(data) is not None
