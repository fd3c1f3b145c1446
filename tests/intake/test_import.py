"""`scheduler import` end to end: the sample registration export through the real command line."""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import openpyxl
import pytest

from scheduler.load import load_event

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "import-example"
EXPORT = SAMPLE / "registration-export.csv"
LATE = SAMPLE / "registration-export-late.csv"
MAPPING = SAMPLE / "registration-mapping.toml"


def run(*arguments: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "scheduler", *map(str, arguments)], capture_output=True,
                          text=True, timeout=300, check=False)  # fmt: skip


@pytest.fixture
def event(tmp_path: Path) -> Path:
    """A copy of the default event, 180 applicants P001-P180."""
    folder = tmp_path / "event"
    shutil.copytree(ROOT / "data" / "gcm2020-unece", folder)
    return folder


def ids_by_email(folder: Path) -> dict[str, str]:
    return {a.email.lower(): a.id for a in load_event(folder).applicants}


def test_the_sample_export_imports_and_validates(event: Path) -> None:
    done = run("import", EXPORT, event, "--mapping", MAPPING)
    assert done.returncode == 0, done.stderr
    assert run("validate", event).returncode == 0
    people = {a.email.lower(): a for a in load_event(event).applicants}
    assert len(people) == 180 + 10  # 12 rows: 11 people, one of them (P002) already in the sheet
    amira = people["amira.haddad@example.org"]  # registered twice, the second time in capitals
    assert amira.id == "P181" and amira.email == "amira.haddad@example.org"  # as first written
    assert [f"{i.session}:{i.role}" for i in amira.interests] == [
        "RT2:speaker",
        "RT4:speaker",
        "RT2:moderator",
    ]
    assert amira.function == "Network Coordinator"  # the later answer wins
    assert amira.objectives == (4, 10, 11, 21)
    assert (amira.category, amira.stakeholder_group, amira.gender, amira.languages) == (
        "stakeholder", "migrants_diaspora", "f", ("en", "fr"))  # fmt: skip
    marta = people["marta.svoboda@example.org"]  # in the sheet before: keeps her id and address
    assert marta.id == "P002" and marta.email == "marta.svoboda@example.org"
    assert [f"{i.session}:{i.role}" for i in marta.interests] == ["RT2:speaker", "RT4:speaker"]
    assert people["ines.moreau@example.org"].withdrawn
    assert people["ines.moreau@example.org"].gender == ""  # "Prefer not to say"
    assert people["tomasz.wieczorek@example.org"].level == "deputy_minister"
    assert "10 (P181 ... P190)" in done.stdout and "1 (P002)" in done.stdout


def test_reimport_keeps_every_id_and_a_new_person_gets_exactly_one(event: Path) -> None:
    assert run("import", EXPORT, event, "--mapping", MAPPING).returncode == 0
    first = ids_by_email(event)
    workbook = (event / "applicants.xlsx").read_bytes()
    assert run("import", EXPORT, event, "--mapping", MAPPING).returncode == 0
    assert (event / "applicants.xlsx").read_bytes() == workbook  # same input, same bytes
    assert run("import", LATE, event, "--mapping", MAPPING).returncode == 0
    second = ids_by_email(event)
    assert {e: second[e] for e in first} == first
    assert {e: i for e, i in second.items() if e not in first} == {"nadia.rahimi@example.org": "P191"}


def test_import_into_a_new_event_numbers_from_p001_and_reads_an_xlsx_export(
    event: Path, tmp_path: Path
) -> None:
    (event / "applicants.xlsx").unlink()
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    with EXPORT.open(encoding="utf-8", newline="") as file:
        for row in csv.reader(file):
            sheet.append(row)
    export = tmp_path / "registrations.xlsx"
    book.save(export)
    assert run("import", export, event, "--mapping", MAPPING).returncode == 0
    assert sorted(ids_by_email(event).values()) == [f"P{n:03d}" for n in range(1, 12)]


def test_a_semicolon_csv_in_windows_1252_is_read(event: Path, tmp_path: Path) -> None:
    """The reading rules of the applicants sheet: Excel's ";" and a legacy encoding (reported, not guessed at)."""
    text = EXPORT.read_text(encoding="utf-8")
    rows = list(csv.reader(text.splitlines()))
    export = tmp_path / "registrations.csv"
    with export.open("w", encoding="utf-8", newline="") as file:
        csv.writer(file, delimiter=";").writerows(rows)
    assert run("import", export, event, "--mapping", MAPPING).returncode == 0
    export.write_bytes(export.read_text(encoding="utf-8").encode("cp1252", errors="replace"))
    done = run("import", export, event, "--mapping", MAPPING)
    assert done.returncode == 2 and "not UTF-8" in done.stderr


def test_dry_run_reports_and_writes_nothing(event: Path) -> None:
    before = sorted((p.name, p.read_bytes()) for p in event.iterdir())
    done = run("import", EXPORT, event, "--mapping", MAPPING, "--dry-run")
    assert done.returncode == 0, done.stderr
    assert "Dry run: nothing written" in done.stdout
    for label, count in (("rows", "12 in the export, 1 merged"), ("people", "11"), ("new", "10"),
                         ("updated", "1"), ("kept", "179")):  # fmt: skip
        assert any(label in line and count in line for line in done.stdout.splitlines()), (label, done.stdout)
    assert sorted((p.name, p.read_bytes()) for p in event.iterdir()) == before


def planted(tmp_path: Path, changes: dict[tuple[int, str], str]) -> Path:
    """The sample export with some answers changed: (spreadsheet row, header) -> answer."""
    with EXPORT.open(encoding="utf-8", newline="") as file:
        rows = list(csv.reader(file))
    for (row, header), answer in changes.items():
        rows[row - 1][rows[0].index(header)] = answer
    export = tmp_path / "planted.csv"
    with export.open("w", encoding="utf-8", newline="") as file:
        csv.writer(file).writerows(rows)
    return export


def test_planted_mistakes_are_each_reported_with_row_header_and_hint(event: Path, tmp_path: Path) -> None:
    export = planted(tmp_path, {
        (3, "I am registering as"): "Goverment",
        (4, "Email address"): "saule.tokayeva@",
        (5, "Second choice"): "Round table 5 – speaker",
        (6, "Level of representation"): "Vice Minister",
        (3, "Country"): "Polnad",
        (8, "Time zone you will connect from"): "Asia/Almatty",
        (9, "Email address"): "",
    })  # fmt: skip
    before = (event / "applicants.xlsx").read_bytes()
    done = run("import", export, event, "--mapping", MAPPING)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    for expected in (
        'planted.csv, row 3, column "I am registering as": answer "Goverment" is not in [values.category] of '
        'registration-mapping.toml (did you mean "Government"?)',
        'planted.csv, row 4, column "Email address": "saule.tokayeva@" is not an e-mail address',
        'planted.csv, row 5, column "Second choice": answer "Round table 5 – speaker" is not in [values.interests]',
        'planted.csv, row 6, column "Level of representation": answer "Vice Minister" is not in [values.level]',
        'planted.csv, row 9, column "Email address": missing e-mail',
    ):
        assert expected in done.stderr, (expected, done.stderr)
    assert (
        'answer "Round table 5 – speaker" is not in [values.interests] of registration-mapping.toml (did you mean "Round table 4 – speaker"?)'
        in done.stderr
    )
    # Found once the people are read, by the same checks as `scheduler validate`, and traced to the export.
    clean = planted(
        tmp_path, {(6, "Country"): "Spian", (8, "Time zone you will connect from"): "Asia/Almatty"}
    )
    done = run("import", clean, event, "--mapping", MAPPING)
    assert done.returncode == 2
    assert (
        'planted.csv, row 6, column "Country": "Spian" is not in member_states.csv (did you mean "Spain"?)'
        in done.stderr
    )
    assert 'planted.csv, row 8, column "Time zone you will connect from"' in done.stderr
    assert "Asia/Almaty" in done.stderr
    assert (event / "applicants.xlsx").read_bytes() == before


def test_mapping_mistakes_name_the_key_and_line(event: Path, tmp_path: Path) -> None:
    text = MAPPING.read_text(encoding="utf-8")
    text = text.replace('email = "Email address"', 'email = "E-mail adress"')
    text = text.replace('country = "Country"', 'countyr = "Country"')
    text = text.replace('"UN entity" = "un_system"', '"UN entity" = "un"')
    mapping = tmp_path / "mapping.toml"
    mapping.write_text(text, encoding="utf-8")
    done = run("import", EXPORT, event, "--mapping", mapping)
    assert done.returncode == 2
    lines = text.splitlines()
    line = 1 + lines.index('email = "E-mail adress"')
    typo = 1 + lines.index('countyr = "Country"')
    assert (
        f'mapping.toml:{line}, key columns.email: the export has no column "E-mail adress" (did you mean "Email address"?)'
        in done.stderr
    )
    assert (
        f'mapping.toml:{typo}, key columns.countyr: unknown column of ours "countyr" (did you mean "country"?)'
        in done.stderr
    )
    assert 'key values.category.UN entity: unknown category "un" (did you mean "un_system"?)' in done.stderr


def test_suggested_mapping_parses_and_maps_the_sample(event: Path, tmp_path: Path) -> None:
    done = run("import", EXPORT, event, "--suggest-mapping")
    assert done.returncode == 0, done.stderr
    suggested = tomllib.loads(done.stdout)
    ours = tomllib.loads(MAPPING.read_text(encoding="utf-8"))
    assert suggested["columns"] == ours["columns"]
    assert suggested["derive"] == ours["derive"] and suggested["lists"] == ours["lists"]
    for column, answers in suggested["values"].items():
        assert answers.items() <= ours["values"][column].items(), column
    mapping = tmp_path / "mapping.toml"
    mapping.write_text(done.stdout, encoding="utf-8")
    assert run("import", EXPORT, event, "--mapping", mapping).returncode == 0
    # Without the event, the sessions are unknown: the interests are left for the organiser to fill in.
    alone = tomllib.loads(run("import", EXPORT, "--suggest-mapping").stdout)
    assert set(alone["values"]["interests"].values()) == {""}
