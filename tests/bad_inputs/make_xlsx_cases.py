"""Write the `applicants.xlsx` of the Excel cases of this corpus (their event.toml and expected.toml are kept as
text next to them). The output is deterministic: fixed document dates and zip timestamps.

    .venv/bin/python tests/bad_inputs/make_xlsx_cases.py
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

HERE = Path(__file__).resolve().parent
COLUMNS = ["id", "name", "email", "category", "stakeholder_group", "level", "timezone", "available",
           "interests", "objectives", "submission_date", "submission_words", "registered_at"]  # fmt: skip
FIXED_TIME = (2020, 11, 1, 0, 0, 0)


def person(pid: str, name: str, **cells: Any) -> list[Any]:
    """A row of a fictional stakeholder who is fine unless `cells` say otherwise."""
    values: dict[str, Any] = {
        "id": pid,
        "name": name,
        "email": name.lower().replace(" ", ".") + "@example.org",
        "category": "stakeholder",
        "stakeholder_group": "academia",
        "timezone": "Europe/Zurich",
        "available": "08:00-20:00",
        "interests": "RT2:speaker",
    }
    values.update(cells)
    return [values.get(column) for column in COLUMNS]


def applicants_sheet(book: Workbook) -> Worksheet:
    """The first sheet of a new workbook, named `applicants`, with the column names in row 1."""
    sheet = book.active
    assert isinstance(sheet, Worksheet)
    sheet.title = "applicants"
    sheet.append(COLUMNS)
    return sheet


def empty_sheet() -> Workbook:
    """A workbook whose only sheet is empty."""
    book = Workbook()
    assert book.active is not None
    book.active.title = "applicants"
    return book


def merged_and_blank_rows() -> Workbook:
    """Blank rows between people (ignored) and a category typed once over two rows with merged cells."""
    book = Workbook()
    sheet = applicants_sheet(book)
    sheet.append(person("P001", "Maren Holt"))
    sheet.append(person("P002", "Tomas Varga"))
    sheet.append(person("P003", "Ilse Brandt", category=None))
    sheet.append([])
    sheet.append([])
    sheet.append(person("P004", "Yusuf Demir"))
    sheet.merge_cells("D3:D4")
    return book


def typed_cells() -> Workbook:
    """Cells as Excel types them: real dates, date serials and numbers; some of them unusable."""
    book = Workbook()
    sheet = applicants_sheet(book)
    sheet.append(person(1001, "Maren Holt", submission_date=dt.datetime(2020, 10, 30), submission_words=1200,
                        objectives=4, registered_at=dt.datetime(2020, 9, 1, 9, 30)))  # fmt: skip
    sheet.append(person(1002, "Tomas Varga", submission_date=44135, submission_words=800.0, objectives=24))
    sheet.append(person(1003, "Ilse Brandt", submission_date="2020-13-45", submission_words="many"))
    sheet.append(person(1004, "Yusuf Demir", available=dt.time(8, 0), registered_at="yesterday"))
    return book


def second_sheet() -> Workbook:
    """Instructions on the first sheet, the people on the sheet named `applicants`."""
    book = Workbook()
    assert book.active is not None
    book.active.title = "Instructions"
    book.active.append(["One row per person on the sheet named applicants."])
    sheet = book.create_sheet("applicants")
    sheet.append(COLUMNS)
    sheet.append(person("P001", "Maren Holt"))
    sheet.append(person("P002", "Tomas Varga", stakeholder_group="acadmia"))
    return book


def control_characters() -> Workbook:
    """C1 control characters and DEL, which XML allows in a cell (C0 ones such as ESC it does not)."""
    book = Workbook()
    sheet = applicants_sheet(book)
    sheet.append(person("P001", "Maren\x9b Holt", email="maren.holt@example.org"))
    sheet.append(person("P002", "Tomas Varga", available="08:00-20:00\x7f"))
    sheet.append(person("P003", "Ilse Brandt", stakeholder_group="academia\x85"))
    return book


def formulas() -> Workbook:
    """Formulas saved without their values, as scripts write them: never read as blank cells."""
    book = Workbook()
    sheet = applicants_sheet(book)
    sheet.append(person("P001", "Maren Holt"))
    sheet.append(person("P002", '=UPPER("tomas varga")', email='=LOWER(B3)&"@example.org"'))
    sheet.append(person("P003", "Ilse Brandt", submission_words="=SUM(1000,200)"))
    return book


CASES = {
    "xlsx_control_characters": control_characters,
    "xlsx_formulas": formulas,
    "xlsx_empty_sheet": empty_sheet,
    "xlsx_merged_and_blank_rows": merged_and_blank_rows,
    "xlsx_typed_cells": typed_cells,
    "xlsx_second_sheet": second_sheet,
}


def save(book: Workbook, path: Path) -> None:
    """Save with fixed document dates and zip timestamps, so that the same script writes the same bytes."""
    buffer = io.BytesIO()
    book.save(buffer)
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            if name == "docProps/core.xml":
                data = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"2020-11-01T00:00:00Z", data)
            target.writestr(zipfile.ZipInfo(name, FIXED_TIME), data, zipfile.ZIP_DEFLATED)


def main() -> None:
    for name, build in CASES.items():
        (HERE / name).mkdir(exist_ok=True)
        save(build(), HERE / name / "applicants.xlsx")
    # Not a workbook at all: a CSV file saved under the .xlsx name.
    (HERE / "xlsx_not_a_workbook").mkdir(exist_ok=True)
    (HERE / "xlsx_not_a_workbook" / "applicants.xlsx").write_text(
        "id,name,email\nP001,Maren Holt,maren.holt@example.org\n", encoding="utf-8"
    )


if __name__ == "__main__":
    main()
