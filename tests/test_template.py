"""`scheduler init`: a new event folder that guides whoever fills it in, and plans once filled in."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest

from scheduler.cli import main
from scheduler.load import Problem, _read_objectives
from scheduler.load.applicants import COLUMNS


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    target = tmp_path / "regional-review-2031"
    assert main(["init", str(target)]) == 0
    return target


def test_the_template_workbook_guides_the_typist(folder: Path) -> None:
    book = openpyxl.load_workbook(folder / "applicants.xlsx")
    assert book.sheetnames == ["applicants", "Instructions"]
    sheet = book["applicants"]
    assert [c.value for c in sheet[1]] == list(COLUMNS)
    lists = {str(dv.sqref).rstrip("0123456789").split(":")[0].rstrip("0123456789"): dv.formula1
             for dv in sheet.data_validations.dataValidation if dv.type == "list"}  # fmt: skip
    column = {name: openpyxl.utils.get_column_letter(i) for i, name in enumerate(COLUMNS, start=1)}
    assert lists[column["category"]] == '"member_state,observer,igo,un_system,stakeholder"'
    assert set(lists) == {column[n] for n in ("category", "stakeholder_group", "gender", "level", "status")}
    prompts = [dv.prompt for dv in sheet.data_validations.dataValidation]
    assert len(prompts) == len(COLUMNS) and all(prompts)
    instructions = {row[0]: row[1] for row in book["Instructions"].iter_rows(values_only=True)}
    assert "interests" in instructions
    assert "Blank: the event's time zone, for everyone" in instructions["timezone"]


def test_a_new_event_says_what_to_fill_in(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(folder)]) == 2
    assert "no applicants" in capsys.readouterr().err
    toml = (folder / "event.toml").read_text(encoding="utf-8")
    assert 'id = "regional-review-2031"' in toml and "TODO" in toml


def add_applicants(folder: Path, count: int) -> None:
    """A moderator and `count - 1` speakers for RT1, typed into the template workbook."""
    book = openpyxl.load_workbook(folder / "applicants.xlsx")
    sheet = book["applicants"]
    rows = [("P1", "Moderator Example", "RT1:moderator")] + [
        (f"P{i}", f"Speaker {i}", "RT1:speaker") for i in range(2, count + 1)
    ]
    for number, (pid, name, wish) in enumerate(rows, start=2):
        values = {"id": pid, "name": name, "email": f"{pid.lower()}@example.org", "category": "stakeholder",
                  "stakeholder_group": "academia", "interests": wish}  # fmt: skip
        for column, key in enumerate(COLUMNS, start=1):
            if key in values:
                sheet.cell(row=number, column=column, value=values[key])
    book.save(folder / "applicants.xlsx")


def fill_in(folder: Path) -> None:
    """Replace every "TODO: example" by the example, as an organiser would type it: dates without quotes."""
    toml = folder / "event.toml"
    text = toml.read_text(encoding="utf-8")
    text = re.sub(r'"TODO: (\d{4}-\d\d-\d\d)"', r"\1", text)
    text = re.sub(r'"TODO: ([^"]*)"', r'"\1"', text)
    toml.write_text(text, encoding="utf-8")


def test_a_filled_in_event_plans(folder: Path, tmp_path: Path) -> None:
    add_applicants(folder, 6)
    fill_in(folder)
    assert main(["validate", str(folder)]) == 0
    assert main(["plan", str(folder), "--out", str(tmp_path / "out")]) == 0
    assert (tmp_path / "out" / "plan.json").exists()


PLACEHOLDERS = {
    "event.title",
    "event.timezone",
    "event.organiser.name",
    "event.organiser.email",
    "event.uid_domain",
    "days[1].date",
    "sessions[1].title",
    "sessions[1].date",
}


def test_template_placeholders_are_refused_until_replaced(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    add_applicants(folder, 1)
    capsys.readouterr()
    lines = (folder / "event.toml").read_text(encoding="utf-8").splitlines()

    assert main(["validate", str(folder)]) == 2
    assert main(["plan", str(folder), "--out", str(tmp_path / "out")]) == 2

    err = capsys.readouterr().err
    assert not (tmp_path / "out").exists()
    assert "Traceback" not in err and "The input has 8 problems" in err
    named = re.findall(r"event\.toml:(\d+), key (\S+): \"TODO[^\n]* is still the example value of the template "
                       r"\(hint: replace the example value\)", err)  # fmt: skip
    assert {key for _, key in named} == PLACEHOLDERS
    assert len(named) == 2 * len(PLACEHOLDERS)  # once by validate, once by plan
    for number, key in named:
        assert "TODO" in lines[int(number) - 1] and key.rsplit(".", 1)[1] in lines[int(number) - 1]

    fill_in(folder)
    toml = folder / "event.toml"
    filled = toml.read_text(encoding="utf-8").replace(
        "end = 13:00:00", "end = 13:00:00  # TODO: ask the venue"
    )
    toml.write_text(filled, encoding="utf-8")  # a comment marks nothing: the value is the organiser's
    assert main(["validate", str(folder)]) == 0


def test_init_never_overwrites(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["init", str(folder)]) == 2
    assert "never overwrites" in capsys.readouterr().err


def test_a_new_event_starts_from_the_gcm_objectives(folder: Path) -> None:
    default_event = Path(__file__).parents[1] / "data" / "gcm2020-unece" / "objectives.csv"
    assert (folder / "objectives.csv").read_bytes() == default_event.read_bytes()
    (folder / "objectives.csv").unlink()  # without the file the same 23 apply
    assert load_objectives(folder) == load_objectives(default_event.parent)
    assert sorted(load_objectives(folder)) == list(range(1, 24))


def load_objectives(folder: Path) -> dict[int, str]:
    problems: list[Problem] = []
    known = _read_objectives(folder / "objectives.csv", problems)
    assert not problems
    return known.titles


def test_a_folder_name_with_spaces_is_quoted_in_the_next_steps(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "review 2031 [draft]"
    assert main(["init", str(target)]) == 0
    printed = " ".join(capsys.readouterr().out.split())  # the terminal may wrap the long lines
    assert f"scheduler validate '{target}'" in printed
    assert f"scheduler validate '{target}'" in (target / "event.toml").read_text(encoding="utf-8")


def test_init_says_plainly_when_it_cannot_write(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a-file").write_text("x", encoding="utf-8")
    assert main(["init", str(tmp_path / "a-file")]) == 2
    assert "is a file" in capsys.readouterr().err
    assert main(["init", str(tmp_path / "a-file" / "inside")]) == 1  # a file where a folder must be
    err = capsys.readouterr().err
    assert "Cannot go on" in err and "Unexpected error" not in err
