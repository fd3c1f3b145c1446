"""The list of speakers, and what a co-chaired session with a group statement and a right of reply shows in the
run-of-show and the agenda: every workbook written by `write_outputs` and read back with openpyxl; and the default
event's list in each of its languages."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from openpyxl import load_workbook

from scheduler import release
from scheduler.domain import Category, Event, Plan
from scheduler.export.agenda_xlsx import write_agenda
from scheduler.export.list_of_speakers import HEADER, write_list_of_speakers, write_lists_of_speakers
from scheduler.export.outputs import write_outputs
from scheduler.load import load_event
from scheduler.validate import penalties
from scheduler.views import PlanView, build_view
from tests import factories as f
from tests.export.test_ics_co_chair import co_chaired
from tests.export.test_xlsx import (
    assert_no_formulas,
    assert_prints_landscape_one_page_wide,
    facts_of,
    header_row,
    page_fit,
    records,
)


def event() -> Event:
    """The co-chaired round table, with a national and an other statement after the group's, in French first."""
    base = co_chaired()
    people = [
        *base.applicants,
        f.person("N1", name="=Nadia Example", category=Category.MEMBER_STATE, country="Freedonia",
                 level="minister", function="Minister of Labour", languages=("de", "fr")),
        f.person("O1", name="Omar Example", organisation="Migrant Forum Example", languages=("ru",)),
    ]  # fmt: skip
    return replace(base, applicants=tuple(people))


@pytest.fixture(scope="module")
def planned() -> tuple[Event, Plan]:
    ev = event()
    return ev, release.plan(ev, generated_at=f.GENERATED, time_limit=20)


@pytest.fixture(scope="module")
def view(planned: tuple[Event, Plan]) -> PlanView:
    return build_view(*planned)


@pytest.fixture(scope="module")
def out(view: PlanView, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("out")
    write_outputs(view, folder)
    return folder


def test_the_event_plans_as_the_tests_expect(view: PlanView) -> None:
    (s1,) = view.sessions
    assert [p.id for p in s1.co_chairs] == ["K1", "K2"]  # the member State's co-chair first
    assert [p.id for p in s1.speakers] == ["G1", "N1", "O1"]  # the group first, then protocol order
    assert [i.segment for i in s1.items] == [
        "opening", "opening", "group_statement", "intervention", "intervention", "discussion", "reply",
        "closing", "closing",
    ]  # fmt: skip


def test_list_of_speakers_is_written_with_every_output(out: Path) -> None:
    assert load_workbook(out / "list-of-speakers.xlsx").sheetnames == ["S1"]
    assert sorted(p.name for p in out.glob("list-of-speakers*")) == [
        "list-of-speakers.fr.xlsx", "list-of-speakers.ru.xlsx", "list-of-speakers.xlsx",
    ]  # fmt: skip


def test_list_of_speakers_follows_the_running_order(out: Path, view: PlanView) -> None:
    ws = load_workbook(out / "list-of-speakers.xlsx")["S1"]
    rows = records(ws, "#")
    (s1,) = view.sessions
    firsts = list(dict.fromkeys(i.person.id for i in s1.items if i.person))
    names = {p.id: p.name for p in s1.people()}
    assert [r["name"] for r in rows] == [names[pid] for pid in firsts]
    assert [r["#"] for r in rows] == list(range(1, len(firsts) + 1))
    assert [r["start"].strftime("%H:%M") for r in rows] == [
        "10:00",
        "10:02",
        "10:04",
        "10:11",
        "10:16",
        "10:21",
    ]
    assert [(r["delegation or organisation"], r["statement"], r["language"]) for r in rows] == [
        ("Utopia", "co-chair", "Russian"),
        (None, "co-chair", "French"),
        ("Utopia", "on behalf of Group of Friends of Migration", "English"),
        ("Freedonia", "national statement", "French"),  # speaks German, not interpreted here
        ("Migrant Forum Example", "other statement", "Russian"),
        (None, "moderator", "English"),
    ]
    nadia = rows[3]
    assert (nadia["name"], nadia["function"]) == ("=Nadia Example", "Minister of Labour")
    assert ws.cell(row=header_row(ws, "#") + 4, column=4).quotePrefix  # text, never a formula
    assert_no_formulas(out / "list-of-speakers.xlsx")


def test_list_of_speakers_gives_the_sessions_facts_and_prints_on_one_a4_page(out: Path) -> None:
    ws = load_workbook(out / "list-of-speakers.xlsx")["S1"]
    top = header_row(ws, "#")
    assert [c.value for c in ws[top]] == list(HEADER)
    assert ws["A1"].value == "Round table 2"
    facts = {ws.cell(row=r, column=1).value: ws.cell(row=r, column=4).value for r in range(2, top - 1)}
    assert facts == {
        "When": "Thursday, 12 November 2020, 10:00-11:00 CET (Europe/Zurich), 60 minutes",
        "Co-chairs": "Ivan Petrov; Claire Dubois",
        "Moderators": "Lena Novak",
        "Languages": "English, French, Russian",
    }
    assert_prints_landscape_one_page_wide(ws, top)
    assert page_fit(ws.page_setup.fitToHeight) == 1
    assert ws.oddHeader is not None
    assert (ws.oddHeader.left.text, ws.oddHeader.right.text) == ("Tiny event", "S1, 12 Nov 2020")


def test_list_of_speakers_is_in_the_events_first_language(
    tmp_path: Path, planned: tuple[Event, Plan]
) -> None:
    ev, result = planned
    write_list_of_speakers(build_view(replace(ev, languages=("fr", "en", "ru")), result), tmp_path / "l.xlsx")
    ws = load_workbook(tmp_path / "l.xlsx")["S1"]
    top = header_row(ws, "#")
    assert [c.value for c in ws[top]] == [
        "#", "début", "délégation ou organisation", "nom", "fonction", "déclaration", "langue",
    ]  # fmt: skip
    rows = records(ws, "#")
    assert [(r["déclaration"], r["langue"]) for r in rows] == [
        ("coprésident·e", "russe"),
        ("coprésident·e", "français"),
        ("au nom de Group of Friends of Migration", "anglais"),
        ("déclaration nationale", "français"),
        ("autre déclaration", "russe"),
        ("modérateur·rice", "anglais"),
    ]
    assert (
        ws.cell(row=2, column=4).value
        == "jeudi 12 novembre 2020, 10:00-11:00 CET (Europe/Zurich), 60 minutes"
    )
    assert ws.oddFooter is not None
    assert ws.oddFooter.center.text == "Page &P sur &N"


def test_list_of_speakers_is_the_same_bytes_for_the_same_plan(tmp_path: Path, view: PlanView) -> None:
    write_list_of_speakers(view, tmp_path / "a.xlsx")
    write_list_of_speakers(view, tmp_path / "b.xlsx")
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()


# --- the run-of-show of a co-chaired session -------------------------------------------------------------


def test_run_of_show_names_the_co_chairs_their_languages_and_who_is_on_deck(out: Path) -> None:
    ws = load_workbook(out / "run-of-show.xlsx")["S1"]  # in the moderator's language: English
    assert facts_of(ws)["Co-chairs"] == "Ivan Petrov; Claire Dubois"
    rows = records(ws, "#")
    assert [(r["segment"], r["speaker"], r["role"], r["language"]) for r in rows] == [
        ("opening", "Ivan Petrov", "co-chair", "Russian"),
        ("opening", "Claire Dubois", "co-chair", "French"),
        ("group statement", "Anna Berg", "speaker", "English"),
        ("intervention", "=Nadia Example", "speaker", "French"),
        ("intervention", "Omar Example", "speaker", "Russian"),
        ("discussion", "Lena Novak", "moderator", "English"),
        ("right of reply", None, None, None),
        ("closing", "Ivan Petrov", "co-chair", "Russian"),
        ("closing", "Claire Dubois", "co-chair", "French"),
    ]
    on_deck = [re.findall(r"^Next: (.*)$", r["cue"] or "", re.MULTILINE) for r in rows]
    assert on_deck == [
        ["Claire Dubois"], ["Anna Berg"], ["=Nadia Example"], ["Omar Example"], ["Lena Novak"],
        ["Ivan Petrov"], ["Ivan Petrov"],  # the rights of reply: whoever asks, then the closing
        ["Claire Dubois"], [],
    ]  # fmt: skip
    assert rows[2]["delegation"] == "Utopia, on behalf of Group of Friends of Migration"
    assert rows[2]["cue"].startswith("1-minute warning at 10:10")


# --- agenda.xlsx ---------------------------------------------------------------------------------------


def test_agenda_shows_the_co_chairs_languages_and_groups(out: Path, planned: tuple[Event, Plan]) -> None:
    _, result = planned
    book = load_workbook(out / "agenda.xlsx")
    (programme,) = records(book["Programme"], "date")
    assert programme["co-chairs"] == "Ivan Petrov; Claire Dubois"
    rows = records(book["Assignments"], "session")
    assert sorted((r["id"], r["role"]) for r in rows) == sorted(
        (a.participant, a.role.value) for a in result.assignments
    )
    by_id = {r["id"]: r for r in rows}
    assert [r["id"] for r in rows][:2] == ["K1", "K2"]
    assert (by_id["K1"]["role"], by_id["K1"]["language"]) == ("co_chair", "Russian")
    assert by_id["G1"]["on behalf of"] == "Group of Friends of Migration"
    assert by_id["N1"]["on behalf of"] is None


def test_agenda_balance_counts_the_panel_as_gender_balance_does(tmp_path: Path) -> None:
    """The gender rows count what the rule counts, moderators and speakers: two women co-chair a panel of three
    men, which the rule (in the solver and in the validator) finds two men too many, and so does the sheet."""
    base = co_chaired()
    people = [
        f.person("M1", "S1:moderator", gender="m"),
        f.person("K1", "S1:co_chair", category=Category.MEMBER_STATE, country="Utopia", level="minister",
                 gender="f"),
        f.person("K2", "S1:co_chair", gender="f"),
        f.person("P1", gender="m"),
        f.person("P2", gender="m"),
    ]  # fmt: skip
    ev = replace(base, applicants=tuple(people))
    result = release.plan(ev, generated_at=f.GENERATED, time_limit=20)
    write_agenda(build_view(ev, result), tmp_path / "agenda.xlsx")
    rows = records(load_workbook(tmp_path / "agenda.xlsx")["Balance"], "session")
    gender = {r["value"]: (r["people"], r["of"], r["counted among"]) for r in rows if r["dimension"] == "gender"}
    assert gender == {"m": (3, 3, "moderators and speakers")}
    assert result.solver is not None
    assert result.solver.costs["gender_balance"] == penalties(ev, result)["gender_balance"] == 3 - 0 - 1


@pytest.mark.slow
def test_list_of_speakers_prints_one_page_per_session(out: Path, tmp_path: Path) -> None:
    """LibreOffice prints the session's list on one page."""
    assert shutil.which("soffice"), "LibreOffice is needed: `make test` installs it (make system-packages)"
    profile = (tmp_path / "profile").as_uri()
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(out / "list-of-speakers.xlsx")],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    pdf = (tmp_path / "list-of-speakers.pdf").read_bytes()
    assert len(re.findall(rb"/Type\s*/Page(?!s)", pdf)) == 1


# --- the default event, in each of its languages ---------------------------------------------------------

LISTS = {"en": "list-of-speakers.xlsx", "fr": "list-of-speakers.fr.xlsx", "ru": "list-of-speakers.ru.xlsx"}
HEADERS = {
    "fr": ["#", "début", "délégation ou organisation", "nom", "fonction", "déclaration", "langue"],
    "ru": ["#", "начало", "делегация или организация", "имя", "должность", "заявление", "язык"],
}
FACTS = {
    "fr": ["Date et heure", "Modérateur·rices", "Langues"],
    "ru": ["Дата и время", "Модераторы", "Языки"],
}
CO_CHAIRS = {"fr": "Coprésident·es", "ru": "Сопредседатели"}
STATEMENTS = {
    "fr": {"coprésident·e", "déclaration nationale", "autre déclaration", "modérateur·rice", "rapporteur"},
    "ru": {"сопредседатель", "национальное заявление", "другое заявление", "модератор", "докладчик"},
}
LANGUAGES = {"fr": {"anglais", "français", "russe"}, "ru": {"английский", "французский", "русский"}}


@pytest.fixture(scope="module")
def default_lists(tmp_path_factory: pytest.TempPathFactory) -> tuple[PlanView, Path]:
    ev = load_event("data/gcm2020-unece")
    result = build_view(ev, release.plan(ev, generated_at=f.GENERATED, time_limit=60))
    folder = tmp_path_factory.mktemp("default")
    write_lists_of_speakers(result, folder)
    return result, folder


def test_default_event_has_a_list_of_speakers_in_english_french_and_russian(
    default_lists: tuple[PlanView, Path],
) -> None:
    view, folder = default_lists
    assert sorted(p.name for p in folder.iterdir()) == sorted(LISTS.values())
    for name in LISTS.values():
        assert load_workbook(folder / name).sheetnames == [s.id for s in view.sessions], name
        assert_no_formulas(folder / name)


@pytest.mark.parametrize("language", ["fr", "ru"])
def test_default_event_list_of_speakers_is_in_its_language_in_the_same_order(
    default_lists: tuple[PlanView, Path], language: str
) -> None:
    view, folder = default_lists
    english, translated = load_workbook(folder / LISTS["en"]), load_workbook(folder / LISTS[language])
    for session in view.sessions:
        ws = translated[session.id]
        top = header_row(ws, "#")
        assert [c.value for c in ws[top]] == HEADERS[language]
        assert ws["A1"].value == dict(session.session.title_translations)[language]
        labels = [ws.cell(row=r, column=1).value for r in range(2, top - 1)]
        assert labels == (
            [FACTS[language][0], CO_CHAIRS[language], *FACTS[language][1:]]
            if session.session.co_chairs
            else FACTS[language]
        ), session.id
        rows, ours = records(ws, HEADERS[language][0]), records(english[session.id], "#")
        assert [r[HEADERS[language][3]] for r in rows] == [r["name"] for r in ours], session.id
        assert [r["#"] for r in rows] == [r["#"] for r in ours]
        statements = {r[HEADERS[language][5]] for r in rows}
        assert {s for s in statements if not s.startswith(("au nom de", "от имени"))} <= STATEMENTS[language]
        assert {r[HEADERS[language][6]] for r in rows} <= LANGUAGES[language]
        assert ws.oddHeader is not None
        assert ws.oddHeader.left.text == dict(view.event.title_translations)[language]
    first = translated[view.sessions[0].id]
    assert first.cell(row=2, column=4).value.startswith(
        {"fr": "mercredi 11 novembre 2020", "ru": "среда, 11 ноября 2020"}[language]
    )


def test_default_event_lists_of_speakers_are_the_same_bytes_for_the_same_plan(
    default_lists: tuple[PlanView, Path], tmp_path: Path
) -> None:
    view, folder = default_lists
    write_lists_of_speakers(view, tmp_path)
    for name in LISTS.values():
        assert (tmp_path / name).read_bytes() == (folder / name).read_bytes(), name


@pytest.mark.slow
def test_default_event_lists_of_speakers_print_one_page_per_session(
    default_lists: tuple[PlanView, Path], tmp_path: Path
) -> None:
    """LibreOffice prints each sheet on at least one page: as many pages as sessions is one page each, in
    English, French and Russian."""
    view, folder = default_lists
    assert shutil.which("soffice"), "LibreOffice is needed: `make test` installs it (make system-packages)"
    profile = (tmp_path / "profile").as_uri()
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), *(str(folder / name) for name in LISTS.values())],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    for name in LISTS.values():
        pdf = (tmp_path / name).with_suffix(".pdf").read_bytes()
        assert len(re.findall(rb"/Type\s*/Page(?!s)", pdf)) == len(view.sessions), name
