"""The cell helpers both workbooks share: text cleaning, formula safety, sheet names, row heights, page headers."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from scheduler.export.cells import (
    MAX_CELL_TEXT,
    Book,
    _wrapped_lines,
    clean,
    header_text,
    sheet_name,
    text_lines,
)


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("plain", "plain"),
        ("Line one\r\nLine two", "Line one\nLine two"),
        ("old Mac\rbreak", "old Mac\nbreak"),
        ("tab\tstays", "tab\tstays"),
        ("Bad\x00\x07Name\x1b", "Bad\ufffd\ufffdName\ufffd"),
        ("not a character \ufffe\uffff", "not a character \ufffd\ufffd"),
        ("lone surrogate \ud800", "lone surrogate \ufffd"),
        ("Жанар Абенова · ليلى حداد · 🌍", "Жанар Абенова · ليلى حداد · 🌍"),
    ],
)
def test_clean_keeps_what_a_workbook_can_hold(raw: str, stored: str) -> None:
    assert clean(raw) == stored


def test_clean_cuts_text_beyond_excels_cell_limit() -> None:
    text = clean("x" * (MAX_CELL_TEXT + 10))
    assert len(text) == MAX_CELL_TEXT
    assert text.endswith("x…")


@pytest.mark.parametrize(
    "value",
    ['=HYPERLINK("http://evil.example.org","x")', "+1-555-0100", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1+1"],
)
def test_put_stores_formula_looking_text_as_quoted_text(tmp_path: Path, value: str) -> None:
    book = Book(tmp_path / "t.xlsx")
    sheet = book.sheet("S")
    sheet.put(1, 1, value)
    sheet.put(2, 1, "harmless")
    book.close()

    cell = load_workbook(tmp_path / "t.xlsx").active["A1"]  # type: ignore[index]
    assert cell.data_type == "s"
    assert cell.value == clean(value)
    assert cell.quotePrefix
    assert not load_workbook(tmp_path / "t.xlsx").active["A2"].quotePrefix  # type: ignore[index]
    with zipfile.ZipFile(tmp_path / "t.xlsx") as archive:
        assert not re.search(r"<f[ >]", archive.read("xl/worksheets/sheet1.xml").decode())


@pytest.mark.parametrize(
    ("wanted", "taken", "name"),
    [
        ("RT1", [], "RT1"),
        ("a/b\\c[d]e:f*g?h", [], "a_b_c_d_e_f_g_h"),
        ("x" * 40, [], "x" * 31),
        ("RT1", ["rt1"], "RT1 (2)"),
        ("RT1", ["RT1", "RT1 (2)"], "RT1 (3)"),
        ("y" * 40, ["y" * 31], "y" * 27 + " (2)"),
        ("'quoted'", [], "quoted"),
        ("''", [], "Sheet"),
        ("History", [], "History (2)"),
        ("two\nlines", [], "two lines"),
    ],
)
def test_sheet_name_is_valid_and_unique(wanted: str, taken: list[str], name: str) -> None:
    assert sheet_name(wanted, taken) == name


def test_text_lines_counts_wrapped_and_explicit_lines() -> None:
    assert text_lines("", 10) == 1
    assert text_lines("short", 10) == 1
    assert text_lines("one two three four", 10) == 2
    assert text_lines("a\nb\n\nc", 10) == 4
    assert text_lines("x" * 25, 10) == 3  # a long word breaks inside
    assert text_lines("one two three four", 10, size=22) == 4  # twice the size, half the characters per line
    assert text_lines("漢字" * 10, 10) == 4  # wide characters take two units
    assert text_lines("MIGRATION", 10) == 2  # capitals are wider
    assert text_lines("migration", 10) == 1



@pytest.mark.parametrize("width", [8, 10, 13, 22, 26, 70])
def test_text_lines_short_cuts_agree_with_measuring(width: float) -> None:
    # The short cuts for short text must give what measuring word by word gives, at the edge of a line too
    # (twenty capitals are 26 units, a sum whose rounding may exceed 26).
    texts = [c * n for c in ("x", "X", "@", " ", "é") for n in range(1, 60)]
    texts += ["p000001@example.org", "Ministry of Foreign Affairs", "A B C D E F G H I J K L M N O P Q R S T"]
    for text in texts:
        for size, bold in ((11.0, False), (11.0, True), (14.0, False)):
            capacity = max(1.0, width) * 11.0 / size / (1.1 if bold else 1.0)
            assert text_lines(text, width, size, bold) == _wrapped_lines(text, capacity), (text, size, bold)


def test_fit_row_heights_follows_the_longest_text_and_merged_widths(tmp_path: Path) -> None:
    book = Book(tmp_path / "t.xlsx")
    sheet = book.sheet("S")
    sheet.put(1, 1, "short")
    sheet.put(2, 1, "word " * 20)  # 100 characters in a 10-wide column
    sheet.put(2, 2, "short")
    sheet.merge(3, 1, 3, "word " * 20)  # the same text across three columns needs a third of the lines
    sheet.put(4, 2, 7)  # a row without text gets one line
    sheet.widths([10, 10, 10])  # widths may come after the cells: heights are fitted when the book is closed
    book.close()

    ws = load_workbook(tmp_path / "t.xlsx").active
    assert ws is not None
    one, many, merged, number = (ws.row_dimensions[r].height for r in (1, 2, 3, 4))
    assert one is not None and many is not None and merged is not None and number is not None
    assert 14 <= one <= 20
    assert many >= 10 * 14
    assert merged < many / 2
    assert number == one


def test_header_text_escapes_ampersands_and_shortens() -> None:
    assert header_text("Migration & Development") == "Migration && Development"
    assert header_text("a\nb") == "a b"
    long = header_text("word " * 100)
    assert len(long) <= 150
    assert long.endswith("…")
    ampersands = header_text("&" * 200)
    assert len(ampersands) <= 150
    assert ampersands == "&&" * 74 + "…"


def test_text_shaped_like_an_xml_escape_is_kept_as_typed(tmp_path: Path) -> None:
    # Excel reads _xHHHH_ in a cell's text as the character HHHH unless its underscore is escaped itself.
    book = Book(tmp_path / "t.xlsx")
    book.sheet("S").put(1, 1, "Org_x0041_ and _x000D_")
    book.close()
    ws = load_workbook(tmp_path / "t.xlsx").active
    assert ws is not None
    assert ws["A1"].value == "Org_x0041_ and _x000D_"
