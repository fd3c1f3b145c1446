"""Input files that must be refused before they are read: devices, files over their limit, zip bombs.

Files over a limit are sparse (`truncate`), so they take no disk space and no time to write.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from scheduler.load import InputError, load_event
from scheduler.load.limits import APPLICANTS, EVENT_TOML, MAX_ROWS, PLAN_JSON, REFERENCE
from scheduler.store import PlanFileError, read_plan
from tests.bad_inputs import make_xlsx_cases

ROOT = Path(__file__).resolve().parent.parent.parent
EVENT_TOML_TEXT = (ROOT / "tests" / "bad_inputs" / "xlsx_second_sheet" / "event.toml").read_text(
    encoding="utf-8"
)
CSV = (
    "id,name,email,category,stakeholder_group,interests\nP001,Maren Holt,maren@example.org,igo,,RT2:speaker\n"
)
SHEET = "xl/worksheets/sheet1.xml"


def event(tmp_path: Path, applicants: str = "applicants.csv") -> Path:
    folder = tmp_path / "event"
    folder.mkdir()
    (folder / "event.toml").write_text(EVENT_TOML_TEXT, encoding="utf-8")
    if applicants == "applicants.csv":
        (folder / applicants).write_text(CSV, encoding="utf-8")
    return folder


def problems_of(folder: Path) -> list[str]:
    with pytest.raises(InputError) as refused:
        load_event(folder)
    return [str(p) for p in refused.value.problems]


def sparse(path: Path, size: int) -> None:
    with path.open("wb") as handle:
        handle.truncate(size)


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "1000"}
    return subprocess.run(
        [sys.executable, "-m", "scheduler", *map(str, args)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip


# Runs a command and prints its peak memory (KB) last. A small process of its own starts it: a process forked from
# this large test process would be charged this process's memory.
MEASURED = (
    "import resource, subprocess, sys\n"
    "done = subprocess.run(sys.argv[1:])\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)\n"
    "sys.exit(done.returncode)"
)


def test_an_applicants_file_linked_to_a_device_is_refused_unread(tmp_path: Path) -> None:
    folder = event(tmp_path)
    (folder / "applicants.csv").unlink()
    (folder / "applicants.csv").symlink_to("/dev/zero")
    out = tmp_path / "out"

    done = run("plan", folder, "--out", out)

    assert done.returncode == 2, done.stderr
    assert "applicants.csv: is not a regular file but a device or a pipe (hint: " in done.stderr
    assert "Traceback" not in done.stderr
    assert not out.exists()


@pytest.mark.parametrize(
    ("name", "limit"),
    [
        ("event.toml", EVENT_TOML),
        ("applicants.csv", APPLICANTS),
        ("applicants.xlsx", APPLICANTS),
        ("objectives.csv", REFERENCE),
        ("member_states.csv", REFERENCE),
    ],
)
def test_a_file_over_its_limit_is_refused_with_its_size_and_the_limit(
    tmp_path: Path, name: str, limit: int
) -> None:
    folder = event(tmp_path, name if name.startswith("applicants") else "applicants.csv")
    sparse(folder / name, limit * 3 // 2)
    megabytes = f"{limit * 3 // 2 / 1_000_000:g} MB, over the limit of {limit // 1_000_000} MB"

    problems = problems_of(folder)

    assert [p for p in problems if p.startswith(name)] == [
        f"{name}: is {megabytes} (hint: no real meeting's {name} is this large: check that it is the right file)"
    ]


@pytest.mark.slow
def test_a_file_at_its_limit_is_read(tmp_path: Path) -> None:
    folder = event(tmp_path)
    text = CSV + "\n" * (APPLICANTS - len(CSV))  # blank lines are ignored
    (folder / "applicants.csv").write_text(text, encoding="utf-8")

    assert [a.id for a in load_event(folder).applicants] == ["P001"]


def test_a_csv_with_too_many_rows_is_refused(tmp_path: Path) -> None:
    folder = event(tmp_path)
    (folder / "applicants.csv").write_text(CSV + "P,a\n" * MAX_ROWS, encoding="utf-8")

    assert problems_of(folder) == [
        "applicants.csv, row 100002: has more than 100,000 filled rows "
        "(hint: no real meeting has that many applicants: check that this is the right file)"
    ]


@pytest.mark.parametrize("target", ["/dev/zero", "big"])
def test_a_plan_json_that_is_a_device_or_too_large_is_refused(tmp_path: Path, target: str) -> None:
    plan = tmp_path / "plan.json"
    if target == "big":
        sparse(plan, PLAN_JSON * 2)
    else:
        plan.symlink_to(target)

    with pytest.raises(PlanFileError) as refused:
        read_plan(plan)

    expected = "is 100 MB, over the limit of 50 MB" if target == "big" else "is not a regular file"
    assert f"{plan}: {expected}" in str(refused.value)


def test_previous_plan_over_its_limit_is_refused_by_the_command(tmp_path: Path) -> None:
    folder = event(tmp_path)
    plan = tmp_path / "plan.json"
    sparse(plan, PLAN_JSON + 1)
    out = tmp_path / "out"

    done = run("plan", folder, "--previous", plan, "--out", out)

    assert done.returncode == 2, done.stderr
    assert "plan.json: is 50.1 MB, over the limit of 50 MB" in done.stderr
    assert "Traceback" not in done.stderr
    assert not out.exists()


# --- workbooks that unpack to far more than they weigh ------------------------------------------------------


def workbook_bytes() -> bytes:
    book = Workbook()
    sheet = make_xlsx_cases.applicants_sheet(book)
    sheet.append(make_xlsx_cases.person("P001", "Maren Holt"))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def rewrite(path: Path, replace: dict[str, bytes], padding: dict[str, int]) -> None:
    """A small workbook with members replaced, and members (new or not) followed by that many MB of spaces."""
    with zipfile.ZipFile(io.BytesIO(workbook_bytes())) as source, zipfile.ZipFile(path, "w") as target:
        names = source.namelist() + [n for n in padding if n not in source.namelist()]
        for name in names:
            info = zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            with target.open(info, "w", force_zip64=True) as member:
                member.write(replace.get(name, source.read(name) if name in source.namelist() else b""))
                for _ in range(padding.get(name, 0)):
                    member.write(b" " * 1_000_000)


def refuse_in_a_subprocess(tmp_path: Path) -> str:
    """The command's message for the workbook; it must refuse within 1 GB of memory and write nothing."""
    out = tmp_path / "out"
    command = [sys.executable, "-m", "scheduler", "plan", str(tmp_path / "event"), "--out", str(out)]
    done = subprocess.run(
        [sys.executable, "-c", MEASURED, *command],
        cwd=ROOT, env={**os.environ, "COLUMNS": "1000"}, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert not out.exists()
    peak_kb = int(done.stderr.split()[-1])
    assert peak_kb < 1_000_000
    return done.stderr


def test_a_workbook_within_the_limits_is_read(tmp_path: Path) -> None:
    folder = event(tmp_path, "applicants.xlsx")
    rewrite(folder / "applicants.xlsx", {}, {"xl/media/image1.bin": 1})

    assert [a.id for a in load_event(folder).applicants] == ["P001"]


def test_a_sheet_packed_a_thousand_times_is_refused_before_it_is_opened(tmp_path: Path) -> None:
    folder = event(tmp_path, "applicants.xlsx")
    rewrite(folder / "applicants.xlsx", {}, {SHEET: 60})  # spaces after the sheet's XML are still valid XML

    stderr = refuse_in_a_subprocess(tmp_path)

    assert re.search(
        r"applicants\.xlsx: xl/worksheets/sheet1\.xml unpacks from \d+ KB to 60\.1 MB, more than 100 times",
        stderr,
    ), stderr


def test_a_workbook_that_unpacks_beyond_the_limit_is_refused(tmp_path: Path) -> None:
    folder = event(tmp_path, "applicants.xlsx")
    # 101 members of 1 MB each: none is large enough for the ratio check, together they are too large.
    rewrite(folder / "applicants.xlsx", {}, {f"xl/media/image{i}.bin": 1 for i in range(101)})

    stderr = refuse_in_a_subprocess(tmp_path)

    assert "applicants.xlsx: unpacks to 101.1 MB, over the limit of 100 MB" in stderr


def test_a_sheet_declaring_a_million_rows_is_read_within_its_column_limit(tmp_path: Path) -> None:
    """A few bytes declare a sheet of 1,048,576 rows and 201 columns: read in bounded memory, and refused."""
    folder = event(tmp_path, "applicants.xlsx")
    with zipfile.ZipFile(io.BytesIO(workbook_bytes())) as book:
        sheet = book.read(SHEET).decode("utf-8")
    far = '<row r="1048576"><c r="GS1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'
    sheet = re.sub(r'<dimension ref="[^"]*" ?/>', '<dimension ref="A1:GS1048576"/>', sheet)
    assert "A1:GS1048576" in sheet
    rewrite(folder / "applicants.xlsx", {SHEET: sheet.replace("</sheetData>", far).encode("utf-8")}, {})

    stderr = refuse_in_a_subprocess(tmp_path)

    assert (
        "applicants.xlsx, sheet applicants, row 1048576, column GS: has more than 200 columns (hint: delete the "
        "columns that are not needed, or keep the people on a sheet of their own)"
    ) in stderr
