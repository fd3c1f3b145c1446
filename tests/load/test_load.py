"""The loader on small events written to a temporary folder: what each column and key becomes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook

from scheduler.domain import Category, Interest, Role, SessionKind, Window
from scheduler.load import InputError, load_event
from scheduler.load.problems import did_you_mean, shown
from scheduler.load.timeparse import covers, parse_date, parse_datetime, parse_windows
from scheduler.timeline import person_tz

ROOT = Path(__file__).resolve().parent.parent.parent
EVENT_TOML = """\
[event]
id = "small-forum"
title = "Small Forum"
timezone = "Europe/Zurich"
organiser = { name = "Forum Secretariat", email = "secretariat@example.org" }
uid_domain = "small-forum.example.org"

[[days]]
date = 2020-11-12
start = 10:00:00
end = 13:00:00

[[sessions]]
id = "RT1"
title = "Round table 1"
kind = "roundtable"
date = 2020-11-12
start = 10:00:00
minutes = 60
speakers = [1, 3]
objectives = [4, 11]

[[sessions]]
id = "RT2"
title = "Round table 2"
minutes = 45
after = ["RT1"]
speakers = [1, 2]
"""
HEADER = "id,name,email,category,stakeholder_group,interests"


def event_folder(tmp_path: Path, applicants: str | bytes, name: str = "applicants.csv") -> Path:
    (tmp_path / "event.toml").write_text(EVENT_TOML, encoding="utf-8")
    path = tmp_path / name
    if isinstance(applicants, bytes):
        path.write_bytes(applicants)
    else:
        path.write_text(applicants, encoding="utf-8")
    return tmp_path


def problems_of(folder: Path) -> list[str]:
    with pytest.raises(InputError) as refused:
        load_event(folder)
    return [str(p) for p in refused.value.problems]


def test_default_event_loads() -> None:
    event = load_event(ROOT / "data" / "gcm2020-unece")

    assert len(event.applicants) == 180
    assert len(event.sessions) == 8
    assert event.timezone == "Europe/Zurich"
    assert len(event.objective_titles) == 23


def test_event_toml_keys_are_read(tmp_path: Path) -> None:
    event = load_event(
        event_folder(tmp_path, f"{HEADER}\nP1,Ana Lindqvist,ana@example.org,igo,,RT1:speaker\n")
    )

    rt1, rt2 = event.sessions
    assert (rt1.kind, rt1.date, rt1.start, rt1.minutes) == (
        SessionKind.ROUNDTABLE,
        dt.date(2020, 11, 12),
        dt.time(10),
        60,
    )
    assert (rt1.speakers, rt1.objectives, rt1.moderators) == ((1, 3), (4, 11), 1)
    assert (rt2.kind, rt2.is_fixed, rt2.after, rt2.eligible) == (
        SessionKind.OTHER,
        False,
        ("RT1",),
        tuple(Category),
    )
    assert event.organiser_email == "secretariat@example.org"


def test_every_contract_column_is_parsed(tmp_path: Path) -> None:
    header = (
        "id,name,email,organisation,function,category,country,subregion,stakeholder_group,gender,level,timezone,"
        "available,languages,interests,objectives,submission_date,submission_words,fixed,status,registered_at"
    )
    rows = [
        "P1,Ana Lindqvist,ana@example.org,Ministry of Interior,Deputy Minister,member_state,Utopia,Nowhere,,f,"
        'deputy_minister,Asia/Tashkent,"07:00-12:00; 14:00-22:00","en; ru","RT1:speaker; RT2:moderator",'
        '"4; 11",2020-10-30,"2,500",RT1:speaker,active,2020-09-01T09:30:00',
        "P2,Ben Okafor,ben@example.org,,,stakeholder,,,youth,,,,,,RT2:speaker,,,,,withdrawn,",
    ]
    event = load_event(event_folder(tmp_path, "\n".join([header, *rows]) + "\n"))

    ana, ben = event.applicants
    assert (ana.id, ana.name, ana.email, ana.row) == ("P1", "Ana Lindqvist", "ana@example.org", 2)
    assert (ana.organisation, ana.function) == ("Ministry of Interior", "Deputy Minister")
    assert (ana.category, ana.country, ana.subregion) == (Category.MEMBER_STATE, "Utopia", "Nowhere")
    assert (ana.gender, ana.level, ana.timezone) == ("f", "deputy_minister", "Asia/Tashkent")
    assert ana.available == (Window(7 * 60, 12 * 60), Window(14 * 60, 22 * 60))
    assert ana.languages == ("en", "ru")
    assert ana.interests == (Interest("RT1", Role.SPEAKER, 1), Interest("RT2", Role.MODERATOR, 2))
    assert ana.objectives == (4, 11)
    assert (ana.submission_date, ana.submission_words) == (dt.date(2020, 10, 30), 2500)
    assert ana.fixed == (("RT1", Role.SPEAKER),)
    assert (ana.withdrawn, ana.registered_at) == (False, dt.datetime(2020, 9, 1, 9, 30))
    # Blank cells take their documented defaults.
    assert (ben.stakeholder_group, ben.level, ben.timezone, ben.available) == ("youth", "other", "", ())
    assert (ben.gender, ben.submission_date, ben.fixed, ben.withdrawn) == ("", None, (), True)


def test_available_windows_parse_across_midnight() -> None:
    assert parse_windows("21:00-01:00") == (Window(21 * 60, 25 * 60),)
    assert parse_windows("14:00-22:00; 07:00-12:00") == (Window(7 * 60, 12 * 60), Window(14 * 60, 22 * 60))
    assert parse_windows("18:00-24:00") == (Window(18 * 60, 24 * 60),)
    assert parse_windows("8.00 – 9.30") == (Window(8 * 60, 9 * 60 + 30),)
    for bad in ("25:00-26:00", "9-17", "08:00-08:00", "08:00", "08:00-12:00-14:00"):
        with pytest.raises(ValueError, match=r"window|empty"):
            parse_windows(bad)


def test_a_window_across_midnight_covers_the_early_hours() -> None:
    windows = parse_windows("21:00-01:00")
    night = dt.datetime(2020, 11, 12, 23, 30)

    assert covers(windows, night, night + dt.timedelta(minutes=60))
    assert covers(windows, night.replace(hour=0), night.replace(hour=0, minute=45))
    assert not covers(windows, night.replace(hour=0, minute=30), night.replace(hour=1, minute=30))


def test_csv_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    text = "\ufeff" + f"{HEADER}\nP1,Ana Lindqvist,ana@example.org,igo,,RT1:speaker\n"

    event = load_event(event_folder(tmp_path, text.encode("utf-8")))

    assert event.applicants[0].id == "P1"


def test_csv_with_semicolons_is_read(tmp_path: Path) -> None:
    text = 'id;name;email;category;stakeholder_group;interests\nP1;Ana Lindqvist;ana@example.org;stakeholder;youth;"RT1:speaker; RT2:speaker"\n'

    event = load_event(event_folder(tmp_path, text))

    assert [i.session for i in event.applicants[0].interests] == ["RT1", "RT2"]


def test_utf16_tab_separated_text_is_read(tmp_path: Path) -> None:
    text = "id\tname\temail\tcategory\tinterests\nP1\tJonas Müller\tjonas@example.org\tigo\tRT1:speaker\n"

    event = load_event(event_folder(tmp_path, text.encode("utf-16")))

    assert event.applicants[0].name == "Jonas Müller"


def test_dates_as_text_and_excel_serials() -> None:
    assert parse_date("31.10.2020") == dt.date(2020, 10, 31)
    assert parse_date("2020-10-31") == dt.date(2020, 10, 31)
    assert parse_date("44135") == dt.date(2020, 10, 31)
    assert parse_date(44135) == dt.date(2020, 10, 31)
    assert parse_date(dt.datetime(2020, 10, 31, 12, 0)) == dt.date(2020, 10, 31)
    assert parse_date("2020-10-31 00:00:00") == dt.date(2020, 10, 31)  # a date exported with its time
    with pytest.raises(ValueError, match="not a date"):
        parse_date("2020-13-45")


def test_registration_timestamps_as_exported() -> None:
    expected = dt.datetime(2020, 10, 22, 14, 35)
    for text in ("2020-10-22T14:35", "2020-10-22 14:35:00", "22.10.2020 14:35", "22/10/2020 14:35:00"):
        assert parse_datetime(text) == expected, text
    assert parse_datetime("22.10.2020") == dt.datetime(2020, 10, 22)
    with pytest.raises(ValueError, match="not a date"):
        parse_datetime("22.10.2020 25:00")


def test_xlsx_blank_rows_are_ignored_and_typed_cells_read(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(
        ["id", "name", "email", "category", "interests", "submission_date", "submission_words", "objectives"]
    )
    sheet.append(
        [101, "Ana Lindqvist", "ana@example.org", "IGO", "RT1:speaker", dt.datetime(2020, 10, 30), 1200.0, 4]
    )
    sheet.append([])
    sheet.append([None, "  ", None])
    sheet.append(["P2", "Ben Okafor", "ben@example.org", "un_system", "RT2:speaker", 44135, None, "4; 11"])
    book.save(tmp_path / "applicants.xlsx")
    (tmp_path / "event.toml").write_text(EVENT_TOML, encoding="utf-8")

    ana, ben = load_event(tmp_path).applicants

    assert (ana.id, ana.category, ana.submission_words, ana.objectives) == ("101", Category.IGO, 1200, (4,))
    assert ana.submission_date == dt.date(2020, 10, 30)
    assert (ben.row, ben.submission_date, ben.objectives) == (5, dt.date(2020, 10, 31), (4, 11))


def test_a_legacy_encoding_is_one_problem_and_the_rest_is_checked(tmp_path: Path) -> None:
    text = (
        f"{HEADER}\nP1,Jonas Müller,jonas@example.org,igo,,RT1:speaker\nP2,Ben Okafor,ben@,igo,,RT1:speaker\n"
    )

    problems = problems_of(event_folder(tmp_path, text.encode("cp1252")))

    assert len(problems) == 2
    assert problems[0].startswith('applicants.csv, row 2: not UTF-8 text: "Jonas Müller"')
    assert problems[1].startswith('applicants.csv, row 3, column 3 (email): "ben@"')


def test_unreadable_event_toml_still_checks_the_applicants(tmp_path: Path) -> None:
    folder = event_folder(tmp_path, f"{HEADER}\nP1,Ana Lindqvist,ana@example.org,igoo,,RT7:speaker\n")
    (folder / "event.toml").write_text("[event\nid = 1\n", encoding="utf-8")

    problems = problems_of(folder)

    assert len(problems) == 2
    assert problems[0].startswith("event.toml:1: not valid TOML")
    assert "the sessions named in the applicants are checked once this is fixed" in problems[0]
    assert 'unknown category "igoo"' in problems[1]  # and RT7 is not reported: the sessions are unknown


def test_did_you_mean_and_shown() -> None:
    assert did_you_mean("Europe/Zurch", ["Europe/Zurich", "Europe/Vienna"]) == 'did you mean "Europe/Zurich"?'
    assert did_you_mean("zzz", ["f", "m", "x"]) == "expected one of: f, m, x"
    assert did_you_mean("zzz", []) == ""
    long = "A" * 300  # listed cut, as messages show values
    assert did_you_mean("zzz", ["RT1", long]) == f"expected one of: {shown(long)}, RT1"
    assert shown("a\x1b[31mb\nc") == "a [31mb c"
    assert shown("x" * 100) == "x" * 59 + "…"


def test_a_quote_left_open_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    rows = [HEADER, 'P1,"Ana Lindqvist,ana@example.org,igo,,RT1:speaker']
    rows += [f"P{i},Person {i},p{i}@example.org,igo,,RT1:speaker{' ' * 100}" for i in range(2, 2000)]

    problems = problems_of(event_folder(tmp_path, "\n".join(rows) + "\n"))

    assert len(problems) == 1
    assert "cannot be read as CSV" in problems[0]


def test_time_zones_are_read_in_any_letter_case(tmp_path: Path) -> None:
    rows = f"{HEADER},timezone\nP1,Ana Example,p1@example.org,stakeholder,academia,RT1:speaker,ASIA/almaty\n"
    event = load_event(event_folder(tmp_path, rows))
    assert event.applicants[0].timezone == "Asia/Almaty"


def test_values_typed_for_people_are_read_as_the_contract_spells_them(tmp_path: Path) -> None:
    rows = (
        "id,name,email,category,country,stakeholder_group,level,interests,submission_words\n"
        "P1,Ana Example,p1@example.org,Member State,Austria,,Deputy Minister,rt1:Speaker,5 200\n"
        'P2,Ben Example,p2@example.org,stakeholder,,Civil-Society,,RT2:speaker,"5\'200"\n'
    )
    first, second = load_event(event_folder(tmp_path, rows)).applicants
    assert (first.category, first.level, first.interests) == (
        Category.MEMBER_STATE,
        "deputy_minister",
        (Interest("RT1", Role.SPEAKER, 1),),
    )
    assert (second.stakeholder_group, first.submission_words, second.submission_words) == (
        "civil_society",
        5200,
        5200,
    )


def test_a_short_form_of_a_long_name_is_suggested() -> None:
    states = ["Republic of Moldova", "Romania", "Russian Federation"]
    assert did_you_mean("Moldova", states) == 'did you mean "Republic of Moldova"?'
    assert did_you_mean("Rep", states).startswith("expected one of")  # too short to point at one


def test_a_member_state_without_a_time_zone_is_at_event_time_not_in_its_capital(tmp_path: Path) -> None:
    # A Permanent Mission in Geneva leaves `timezone` blank; member_states.csv still lists the capital's zone.
    (tmp_path / "member_states.csv").write_text(
        "country,group,capital_timezone\n"
        "Kazakhstan,Central Asia,Asia/Almaty\n"
        "United States,North America,America/New_York\n",
        encoding="utf-8",
    )
    rows = (
        "id,name,email,category,country,timezone,available,interests,fixed\n"
        "P1,Ana Example,p1@example.org,member_state,Kazakhstan,,10:00-11:00,RT1:speaker,RT1:speaker\n"
        "P2,Ben Example,p2@example.org,member_state,United States,America/New_York,04:00-05:00,"
        "RT1:speaker,RT1:speaker\n"
    )
    # RT1 is fixed at 10:00-11:00 Geneva time: inside P1's hours in Geneva, 15:00-16:00 in Almaty.
    event = load_event(event_folder(tmp_path, rows))

    geneva, new_york = event.applicants
    assert str(person_tz(event, geneva)) == "Europe/Zurich"
    assert str(person_tz(event, new_york)) == "America/New_York"
    assert geneva.subregion == "Central Asia"  # the group still gives the subregion
