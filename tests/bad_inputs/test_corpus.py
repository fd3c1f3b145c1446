"""The corpus of bad inputs: every folder here is an event that must be refused with the problems its
`expected.toml` lists: exit code 2, each problem once and located, no traceback, nothing written.

`expected.toml` holds `exit`, `messages` (fragments, each of which must appear in exactly one problem) and
optionally `count` (the exact number of problems). The command line is run in this process for every case, and as
a real subprocess for a few of them (a subprocess costs a second of start-up, mostly importing the solver).
"""

from __future__ import annotations

import csv
import os
import re
import subprocess
import sys
import tomllib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from scheduler.cli import main
from scheduler.load import InputError, load_event
from tests.bad_inputs import make_xlsx_cases

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
CASES = sorted(p for p in HERE.iterdir() if (p / "expected.toml").exists())
# The file, then as much of sheet, row, column, TOML key and line as the problem has, then the message.
LOCATED = re.compile(
    r"^(event\.toml|applicants\.csv|applicants\.xlsx|objectives\.csv|member_states\.csv)(:\d+)?"
    r"(, sheet [^,]+)?(, row \d+)?(, column [^:]+)?(, key [\w.\[\]]+)?: \S"
)
# Runs as a real subprocess too: unreadable TOML, a legacy encoding, merged cells, control characters in user
# text (echoed; refused in a CSV file and a workbook), problems in every file at once, and nesting deeper than the
# parser's stack; `plan` must refuse as
# `validate` does.
SUBPROCESS_RUNS = (
    ("toml_syntax_error", "validate"),
    ("toml_syntax_error", "plan"),
    ("csv_cp1252", "validate"),
    ("xlsx_merged_and_blank_rows", "plan"),
    ("csv_text_echoed_safely", "validate"),
    ("csv_control_characters", "plan"),
    ("xlsx_control_characters", "validate"),
    ("problems_everywhere", "plan"),
    ("toml_deep_nesting", "plan"),
)


def expected(case: Path) -> dict[str, Any]:
    return tomllib.loads((case / "expected.toml").read_text(encoding="utf-8"))


def problem_lines(case: Path) -> list[str]:
    """The problems of a case as the command line prints them, one line each."""
    with pytest.raises(InputError) as refused:
        load_event(case)
    return [str(problem) for problem in refused.value.problems]


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    # A wide terminal, so that no problem line is wrapped.
    env = {**os.environ, "COLUMNS": "1000", "SOURCE_DATE_EPOCH": "1604966400"}
    return subprocess.run(
        [sys.executable, "-m", "scheduler", *map(str, args)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip


def printed_problems(stderr: str) -> list[str]:
    return [
        line[2:] for line in stderr.splitlines() if line.startswith("  ") and not line.startswith("  ... and")
    ]


def test_the_corpus_covers_enough_cases() -> None:
    assert len(CASES) >= 45


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_case_reports_exactly_its_problems(case: Path) -> None:
    spec = expected(case)
    lines = problem_lines(case)

    assert spec["exit"] == 2
    for fragment in spec["messages"]:
        hits = [line for line in lines if fragment in line]
        assert len(hits) == 1, f"{fragment!r} is in {len(hits)} problems of {lines}"
    if "count" in spec:
        assert len(lines) == spec["count"], lines
    assert len(set(lines)) == len(lines), "a problem is listed twice"
    for line in lines:
        assert LOCATED.match(line), f"not located: {line}"
        assert line.isprintable(), f"control characters: {line!r}"


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_command_line_refuses_case_and_writes_nothing(
    case: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    count = len(problem_lines(case))
    out = tmp_path / "out"

    assert main(["validate", str(case)]) == 2
    assert main(["plan", str(case), "--out", str(out)]) == 2

    stderr = capsys.readouterr().err
    assert stderr.count(f"The input has {count} problem") == 2
    assert "Traceback" not in stderr
    assert not out.exists()


@pytest.fixture(scope="module")
def subprocess_runs(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Any]:
    """The subprocess runs, side by side: each is a fresh interpreter."""

    def job(name: str, command: str) -> tuple[subprocess.CompletedProcess[str], Path]:
        out = tmp_path_factory.mktemp(name) / "out"
        extra = ["--out", out] if command == "plan" else []
        return run(command, HERE / name, *extra), out

    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        results = list(pool.map(lambda j: job(*j), SUBPROCESS_RUNS))
    return dict(zip(SUBPROCESS_RUNS, results, strict=True))


@pytest.mark.parametrize(("name", "command"), SUBPROCESS_RUNS)
def test_real_command_prints_every_problem_and_writes_nothing(
    name: str, command: str, subprocess_runs: dict[tuple[str, str], Any]
) -> None:
    done, out = subprocess_runs[name, command]
    lines = problem_lines(HERE / name)

    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert printed_problems(done.stderr) == lines
    assert f"The input has {len(lines)} problem" in done.stderr
    assert not out.exists()


@pytest.mark.slow
def test_large_file_output_is_capped(tmp_path: Path) -> None:
    """50,000 rows with 850 problems: the first 50 are printed, then how many more there are."""
    event = tmp_path / "event"
    event.mkdir()
    (event / "event.toml").write_text(
        (HERE / "csv_bom" / "event.toml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    header = ["id", "name", "email", "category", "stakeholder_group", "available", "interests"]
    with (event / "applicants.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for i in range(50_000):
            writer.writerow([
                f"P{i:05d}",
                f"Person {i}",
                f"person{i}@example.org" if i % 100 != 7 else f"person{i}(at)example.org",  # 500
                "stakeholder" if i % 250 != 3 else "stakeholdr",  # 200
                "youth",
                "08:00-20:00" if i % 500 != 11 else "25:00-26:00",  # 100
                "RT1:speaker" if i % 1000 != 13 else "RT9:speaker",  # 50
            ])  # fmt: skip

    done = run("validate", event)

    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "The input has 850 problems" in done.stderr
    shown = printed_problems(done.stderr)
    assert len(shown) == 50
    assert shown[0].startswith("applicants.csv, row 5, column 4 (category)")
    assert "... and 800 more (the first 50 problems are shown)" in done.stderr


def test_xlsx_cases_are_what_the_generator_writes(tmp_path: Path) -> None:
    for name, build in make_xlsx_cases.CASES.items():
        written = tmp_path / f"{name}.xlsx"
        make_xlsx_cases.save(build(), written)
        assert written.read_bytes() == (HERE / name / "applicants.xlsx").read_bytes(), name
