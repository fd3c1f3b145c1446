"""Hostile and international text typed by registrants goes through every output exactly, and never acts as code."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
from icalendar import Calendar

from tests.ical_js import parse_with_ical_js

NAMES = [
    '=HYPERLINK("https://evil.example.org","click")',
    "+1 Plus, Semicolon; Backslash \\ Quote \"'",
    "-Minus\tTab\rCarriage\nLine",
    "@At <b>HTML</b> &amp; <script>alert(1)</script> [/x] [bold]Terminal markup",
    "Анна Кузнецова",
    "İsmail Yılmaz",
    "مريم الحسيني",
    "Emoji 🌍🤝 Person",
    "Zoe\u0301 Combining Mark",
    "L" + "o" * 498 + "ng",
]
# The organisers' own text is hostile too: a formula, line breaks, quotes, matplotlib's math and rich's markup.
EVENT_TITLE = '=Text = data; "quoted" \\ back\nsecond line 😀 costs $5 and $10 [/x] [bold]'
SESSION_TITLE = "+Session, one; <b>Обзор</b>\ttab"
ORGANISER = 'Secretariat "A"; B, C: D'
OBJECTIVE = "Costs $\\frac{$ and ^_^"
EVENT_TOML = r"""[event]
id = "hostile"
title = "=Text = data; \"quoted\" \\ back\nsecond line 😀 costs $5 and $10 [/x] [bold]"
timezone = "Europe/Zurich"
organiser = { name = "Secretariat \"A\"; B, C: D", email = "secretariat@example.org" }
uid_domain = "hostile.example.org"
speaker_link = "https://meet.example.org/j/1"

[[days]]
date = 2020-11-12
start = 09:00:00
end = 17:00:00

[[sessions]]
id = "S1"
title = "+Session, one; <b>Обзор</b>\ttab"
objectives = [1]
date = 2020-11-12
start = 10:00:00
minutes = 120
speakers = [1, 12]
"""


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    event = root / "event"
    event.mkdir()
    (event / "event.toml").write_text(EVENT_TOML, encoding="utf-8")
    (event / "objectives.csv").write_text(f"objective,short_label\n1,{OBJECTIVE}\n", encoding="utf-8")
    rows = io.StringIO()
    writer = csv.writer(rows)
    writer.writerow(["id", "name", "email", "organisation", "function", "category", "stakeholder_group",
                     "interests", "objectives"])  # fmt: skip
    writer.writerow(
        ["M1", "Mod Erator", "m1@example.org", "Org", "Chair", "stakeholder", "youth", "S1:moderator", ""]
    )
    for number, name in enumerate(NAMES, start=1):
        writer.writerow([f"P{number}", name, f"p{number}@example.org", name, name, "stakeholder", "academia",
                         "S1:speaker", "1"])  # fmt: skip
    (event / "applicants.csv").write_text(rows.getvalue(), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "scheduler", "plan", str(event), "--out", str(root / "out")],
        env={**os.environ, "SOURCE_DATE_EPOCH": "1604966400"}, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return root / "out"


def expected(name: str) -> str:
    """What survives a file format: line breaks are stored as LF by every format we write."""
    return name.replace("\r\n", "\n").replace("\r", "\n")


def test_every_name_is_assigned(out: Path) -> None:
    plan = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    assert {a["participant"] for a in plan["assignments"]} == {"M1"} | {
        f"P{i}" for i in range(1, len(NAMES) + 1)
    }


def test_invitations_carry_the_names_exactly(out: Path) -> None:
    for number, name in enumerate(NAMES, start=1):
        path = out / "calendar" / "invites" / f"P{number}_S1.ics"
        event = Calendar.from_ical(path.read_bytes()).walk("VEVENT")[0]
        assert str(event["ATTENDEE"].params["CN"]) == expected(name)
        assert all(len(line) <= 75 for line in path.read_bytes().split(b"\r\n")), "folded at 75 octets"
    reading = parse_with_ical_js(sorted((out / "calendar" / "invites").glob("*.ics")))
    assert len(reading["files"]) == len(NAMES) + 1


def test_workbooks_hold_text_never_formulas(out: Path) -> None:
    for workbook in ("agenda.xlsx", "run-of-show.xlsx"):
        with zipfile.ZipFile(out / workbook) as archive:
            for member in archive.namelist():
                if member.startswith("xl/worksheets/"):
                    assert b"<f>" not in archive.read(member) and b"<f " not in archive.read(member), member
        book = openpyxl.load_workbook(out / workbook)
        texts = {
            c.value
            for ws in book.worksheets
            for row in ws.iter_rows()
            for c in row
            if isinstance(c.value, str)
        }
        for name in NAMES:
            assert any(expected(name) in text for text in texts), (workbook, name)


def test_file_names_come_from_ids_only(out: Path) -> None:
    names = {p.name for p in (out / "calendar" / "invites").iterdir()}
    assert names == {"M1_S1.ics"} | {f"P{i}_S1.ics" for i in range(1, len(NAMES) + 1)}


def test_the_organisers_text_goes_through_too(out: Path) -> None:
    public = Calendar.from_ical((out / "calendar" / "agenda.ics").read_bytes())
    assert str(public["X-WR-CALNAME"]) == " ".join(EVENT_TITLE.split())  # a calendar's name is one line
    session = public.walk("VEVENT")[0]
    assert str(session["SUMMARY"]) == SESSION_TITLE
    assert str(session["DESCRIPTION"]).startswith(EVENT_TITLE)
    invite = Calendar.from_ical((out / "calendar" / "invites" / "P1_S1.ics").read_bytes()).walk("VEVENT")[0]
    assert str(invite["ORGANIZER"].params["CN"]) == ORGANISER
    assert parse_with_ical_js([out / "calendar" / "agenda.ics"])["files"]
    programme = openpyxl.load_workbook(out / "agenda.xlsx")["Programme"]
    cells = {c.value for row in programme.iter_rows() for c in row}
    assert SESSION_TITLE in cells
    coverage = openpyxl.load_workbook(out / "agenda.xlsx")["Coverage"]
    assert OBJECTIVE in {c.value for row in coverage.iter_rows() for c in row}  # and drawn in coverage.png


def test_the_terminal_shows_text_never_markup(out: Path) -> None:
    # The summary of `plan` printed the title (the fixture would have failed); `explain` and `validate` too.
    event = out.parent / "event"
    for command in (["explain", str(event)], ["validate", str(event)]):
        done = subprocess.run([sys.executable, "-m", "scheduler", *command], capture_output=True, text=True,
                              env={**os.environ, "COLUMNS": "300"}, check=False)  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert "Traceback" not in done.stderr and "Unexpected error" not in done.stderr
