"""The command line as a user runs it: exit codes, what is written, what is printed."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from scheduler.cli import _parser
from scheduler.rulebook import BY_NAME, SOFT

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_EVENT = ROOT / "data" / "gcm2020-unece"
EPOCH = "1604966400"  # 2020-11-10T00:00:00Z


def run(*args: str | Path, cwd: Path = ROOT, epoch: str | None = EPOCH) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"} | {"COLUMNS": "120"}
    if epoch is not None:
        env["SOURCE_DATE_EPOCH"] = epoch
    return subprocess.run(
        [sys.executable, "-m", "scheduler", *map(str, args)],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip


@pytest.fixture(scope="module")
def planned(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("plan") / "out"
    done = run("plan", DEFAULT_EVENT, "--out", out)
    assert done.returncode == 0, done.stderr
    return out


def test_validate_default_event() -> None:
    done = run("validate", DEFAULT_EVENT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("OK")


def test_validate_notes_the_people_taken_at_event_time() -> None:
    sheet = openpyxl.load_workbook(DEFAULT_EVENT / "applicants.xlsx")["applicants"]
    rows = list(sheet.values)
    column = rows[0].index("timezone")
    blank = sum(not row[column] for row in rows[1:])
    done = run("validate", DEFAULT_EVENT)
    assert done.returncode == 0, done.stderr
    assert (
        f"note: {blank} applicants give no time zone and are taken to connect at event time (Europe/Zurich)"
        in done.stdout
    )


SMALL_EVENT = """[event]
id = "small"
title = "Small"
timezone = "Europe/Zurich"
organiser = { name = "Secretariat", email = "secretariat@example.org" }
uid_domain = "small.example.org"

[[days]]
date = 2020-11-12
start = 10:00:00
end = 12:00:00

[[sessions]]
id = "RT1"
title = "Round table"
date = 2020-11-12
start = 10:00:00
minutes = 60
speakers = [1, 2]
"""


@pytest.mark.parametrize(("zone", "note"), [("", True), ("Asia/Almaty", False)])
def test_plan_notes_the_people_taken_at_event_time(tmp_path: Path, zone: str, note: bool) -> None:
    event = tmp_path / "event"
    event.mkdir()
    (event / "event.toml").write_text(SMALL_EVENT, encoding="utf-8")
    (event / "applicants.csv").write_text(
        "id,name,email,category,country,timezone,interests\n"
        "P1,Ana Example,ana@example.org,igo,,Europe/Vienna,RT1:moderator\n"
        f"P2,Ben Example,ben@example.org,member_state,Kazakhstan,{zone},RT1:speaker\n",
        encoding="utf-8",
    )
    done = run("plan", event, "--out", tmp_path / "out")
    assert done.returncode == 0, done.stderr
    said = "note: 1 applicant gives no time zone and is taken to connect at event time (Europe/Zurich)"
    assert (said in done.stdout) is note
    assert ("note:" in done.stdout) is note


def test_plan_writes_every_output(planned: Path) -> None:
    names = {str(p.relative_to(planned)) for p in planned.rglob("*") if p.is_file()}
    assert {
        "plan.json",
        "agenda.xlsx",
        "run-of-show.xlsx",
        "calendar/agenda.ics",
        "history/v1/plan.json",
    } <= names
    assert any(n.startswith("calendar/invites/") for n in names)
    assert any(n.startswith("calendar/sessions/") for n in names)


def test_plan_json_carries_the_contract_keys(planned: Path) -> None:
    data = json.loads((planned / "plan.json").read_text(encoding="utf-8"))
    assert {"event", "version", "generated_at", "status", "objective", "bound", "seconds", "sessions",
            "assignments", "unassigned", "changes"} <= data.keys()  # fmt: skip
    assert data["status"] == "optimal"
    assert data["generated_at"] == "2020-11-10T00:00:00+00:00"
    session = data["sessions"][0]
    assert {
        "id",
        "title",
        "start",
        "end",
        "objectives",
        "moderators",
        "rapporteurs",
        "running_order",
    } <= session.keys()
    assert {"start", "end", "segment", "participant", "role"} <= set(session["running_order"][0])
    # An item with a participant says the language they speak in (docs/rules.md, The running order).
    assert all("language" in i for i in session["running_order"] if i["participant"])
    assert {"participant", "session", "role", "start", "end"} <= data["assignments"][0].keys()
    assert all(u["reason"] for u in data["unassigned"])


def test_same_input_gives_byte_identical_files(planned: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    assert run("plan", DEFAULT_EVENT, "--out", again).returncode == 0
    for path in planned.rglob("*"):
        if path.is_file() and path.suffix in {".json", ".ics", ".eml", ".xlsx", ".png"}:
            assert path.read_bytes() == (again / path.relative_to(planned)).read_bytes(), path


def files_and_times(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file and folder under `folder` with its bytes and modification time: what "untouched" means."""
    return {
        str(p.relative_to(folder)): (p.read_bytes() if p.is_file() else b"", p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
    }


def copy_of_event(tmp_path: Path, description: str | None = None) -> Path:
    """A copy of the default event; with `description`, its first session has that description."""
    event = tmp_path / "event"
    shutil.copytree(DEFAULT_EVENT, event)
    if description is not None:
        toml = event / "event.toml"
        text = toml.read_text(encoding="utf-8")
        first = text.index("[[sessions]]\n") + len("[[sessions]]\n")
        toml.write_text(
            text[:first] + f"description = {json.dumps(description)}\n" + text[first:], encoding="utf-8"
        )
    return event


def test_plan_again_with_unchanged_input_publishes_nothing(planned: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(planned, out, copy_function=shutil.copy2)
    before = files_and_times(out)
    done = run("plan", DEFAULT_EVENT, "--out", out, epoch=None)  # generated_at is now: still nothing changed
    assert done.returncode == 0, done.stderr
    assert f"Nothing changed since version 1: {out}/ is as it was." in done.stdout
    assert files_and_times(out) == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != ".out.lock") == ["out"]


@pytest.mark.slow
def test_a_change_that_only_the_calendars_show_is_published(planned: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(planned, out)
    event = copy_of_event(tmp_path, description="Interpretation in English, French and Russian.")
    done = run("plan", event, "--out", out)
    assert done.returncode == 0, done.stderr
    data = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    assert data["version"] == 2
    assert data["changes"] == []  # the same people at the same times: only what the calendars say changed
    calendar = out / "calendar" / "sessions" / f"{data['sessions'][0]['id']}.ics"
    assert b"Interpretation in English" in calendar.read_bytes().replace(b"\r\n ", b"")
    assert (out / "history" / "v1" / "plan.json").exists() and (out / "history" / "v2" / "plan.json").exists()
    again = run("plan", event, "--out", out)
    assert again.returncode == 0, again.stderr
    assert "Nothing changed since version 2" in again.stdout


def test_export_of_the_published_plan_into_its_folder_changes_nothing(planned: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(planned, out, copy_function=shutil.copy2)
    before = files_and_times(out)
    done = run("export", out / "plan.json", "--event", DEFAULT_EVENT, "--out", out)
    assert done.returncode == 0, done.stderr
    assert f"Nothing changed since version 1: {out}/ is as it was." in done.stdout
    assert files_and_times(out) == before


def test_export_recreates_outputs_without_solving(planned: Path, tmp_path: Path) -> None:
    out = tmp_path / "exported"
    done = run("export", planned / "plan.json", "--event", DEFAULT_EVENT, "--out", out)
    assert done.returncode == 0, done.stderr
    assert (out / "plan.json").read_bytes() == (planned / "plan.json").read_bytes()
    for path in (planned / "calendar").rglob("*.ics"):
        assert path.read_bytes() == (out / path.relative_to(planned)).read_bytes()


def test_export_refuses_a_plan_of_another_version_of_the_event(planned: Path, tmp_path: Path) -> None:
    plan = json.loads((planned / "plan.json").read_text(encoding="utf-8"))
    gone = plan["assignments"][0]["participant"]
    event = tmp_path / "event"
    shutil.copytree(DEFAULT_EVENT, event)
    book = openpyxl.load_workbook(event / "applicants.xlsx")
    sheet = book["applicants"]
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == gone)
    sheet.delete_rows(row)
    book.save(event / "applicants.xlsx")
    done = run("export", planned / "plan.json", "--event", event, "--out", tmp_path / "out")
    assert done.returncode == 2
    assert f"names {gone}, which the event folder does not have" in done.stderr
    assert "Traceback" not in done.stderr and not (tmp_path / "out").exists()


def test_the_event_folder_is_never_taken_for_an_output_folder(tmp_path: Path) -> None:
    event = tmp_path / "event"
    shutil.copytree(DEFAULT_EVENT, event)
    before = sorted(p.name for p in event.iterdir())
    done = run("plan", event, "--out", event)
    assert done.returncode == 2
    assert "is not an output folder" in done.stderr and "Traceback" not in done.stderr
    assert sorted(p.name for p in event.iterdir()) == before


def test_invalid_input_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    event = tmp_path / "event"
    shutil.copytree(DEFAULT_EVENT, event)
    toml = event / "event.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('timezone = "Europe/Zurich"', 'timezone = "Europe/Zurch"'),
                    encoding="utf-8")  # fmt: skip
    out = tmp_path / "out"
    done = run("plan", event, "--out", out)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert 'unknown time zone "Europe/Zurch"' in done.stderr and 'did you mean "Europe/Zurich"' in done.stderr
    assert "event.toml:" in done.stderr
    assert not out.exists()


def test_infeasible_event_exits_3_with_an_explanation(tmp_path: Path) -> None:
    event = tmp_path / "event"
    event.mkdir()
    (event / "event.toml").write_text(
        SMALL_EVENT + "objectives = [13]\n",
        encoding="utf-8",
    )
    (event / "applicants.csv").write_text(
        "id,name,email,category,stakeholder_group,interests,objectives\n"
        "P1,Ana Example,ana@example.org,stakeholder,youth,RT1:moderator,\n"
        "P2,Ben Example,ben@example.org,stakeholder,academia,RT1:speaker,4\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    done = run("plan", event, "--out", out)
    assert done.returncode == 3, done.stderr
    assert "objective_coverage: RT1 needs objective 13" in done.stderr
    assert "Traceback" not in done.stderr
    assert not out.exists()
    explained = run("explain", event)
    assert explained.returncode == 3
    assert "objective_coverage" in explained.stderr


def test_explain_prints_soft_rule_costs_of_a_feasible_event() -> None:
    done = run("explain", DEFAULT_EVENT)
    assert done.returncode == 0, done.stderr
    assert "interest_rank" in done.stdout and "gender_balance" in done.stdout


def test_explain_into_a_file_prints_rule_names_and_their_meaning_whole(tmp_path: Path) -> None:
    listing = tmp_path / "explain.txt"
    # as in a shell, `scheduler explain ... > file`: no COLUMNS
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    with listing.open("w", encoding="utf-8") as stdout:
        done = subprocess.run(
            [sys.executable, "-m", "scheduler", "explain", str(DEFAULT_EVENT)],
            cwd=ROOT, env=env, stdout=stdout, stderr=subprocess.PIPE, text=True, timeout=600, check=False,
        )  # fmt: skip

    assert done.returncode == 0, done.stderr
    rows = listing.read_text(encoding="utf-8").splitlines()
    for name in SOFT:
        assert any(f" {name} " in row and BY_NAME[name].summary in row for row in rows), name


def test_help_shows_examples() -> None:
    done = run("--help")
    assert done.returncode == 0
    assert "scheduler plan data/gcm2020-unece --out out" in done.stdout
    assert "example:" in run("plan", "--help").stdout


def test_a_time_limit_too_short_for_any_plan_says_so(tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = run("plan", DEFAULT_EVENT, "--out", out, "--time-limit", "0.001")
    assert done.returncode == 1, done.stdout
    assert "No plan was found within the time limit" in done.stderr and "--time-limit" in done.stderr
    assert not out.exists()


@pytest.mark.parametrize(
    ("argv", "verbose"),
    [(["-v", "validate", "e"], True), (["validate", "-v", "e"], True), (["validate", "e"], False)],
)
def test_verbose_before_or_after_the_command(argv: list[str], verbose: bool) -> None:
    assert _parser().parse_args(argv).verbose is verbose


@pytest.mark.parametrize("limit", ["-5", "0", "nan", "abc"])
def test_a_time_limit_is_a_positive_number_of_seconds(limit: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        _parser().parse_args(["plan", "event", "--out", "out", "--time-limit", limit])
    assert stopped.value.code == 2
    assert "is not a positive number of seconds" in capsys.readouterr().err
