"""Every `scheduler` command shown in a ```sh block of the README or docs/ runs, in order, as the text says.

A trailing `# exit N` comment gives the expected exit code (default 0). Between blocks, a template made by
`scheduler init` is filled in, as the text asks the reader to do. `make run` and `make test` are left to CI,
which runs exactly those.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from aiosmtpd.controller import Controller

from scheduler.load.applicants import COLUMNS
from tests.ports import free_port

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
BLOCK = re.compile(r"```sh\n(.*?)```", re.DOTALL)


def blocks(document: Path) -> list[list[tuple[list[str], int]]]:
    """The commands of each ```sh block: (arguments after `scheduler`, expected exit code)."""
    found = []
    for block in BLOCK.findall(document.read_text(encoding="utf-8")):
        commands = []
        for line in block.splitlines():
            command, _, comment = line.partition("#")
            words = shlex.split(command)
            if not words or words[0] != "scheduler":
                continue
            code = re.search(r"exit (\d)", comment)
            commands.append((words[1:], int(code[1]) if code else 0))
        found.append(commands)
    return found


class _Inbox:
    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        return "250 OK"


@pytest.fixture(scope="module")
def smtp() -> Iterator[str]:
    port = free_port()
    controller = Controller(_Inbox(), hostname="127.0.0.1", port=port)
    controller.start()
    yield f"127.0.0.1:{port}"
    controller.stop()


def fill_in_templates(sandbox: Path) -> None:
    """What the reader does after `scheduler init`: the example values replaced ("TODO: 2030-01-15" by
    2030-01-15), and a moderator and speakers for the template's session."""
    for toml in sandbox.glob("*/event.toml"):
        text = toml.read_text(encoding="utf-8")
        text = re.sub(r'"TODO: (\d{4}-\d\d-\d\d)"', r"\1", text)
        toml.write_text(re.sub(r'"TODO: ([^"]*)"', r'"\1"', text), encoding="utf-8")
    for workbook in sandbox.glob("*/applicants.xlsx"):
        book = openpyxl.load_workbook(workbook)
        sheet = book["applicants"]
        if sheet.max_row > 1 and sheet.cell(row=2, column=1).value:
            continue
        for number in range(2, 9):
            values = {"id": f"P{number}", "name": f"Person {number}", "email": f"p{number}@example.org",
                      "category": "stakeholder", "stakeholder_group": "academia",
                      "interests": "RT1:moderator" if number == 2 else "RT1:speaker"}  # fmt: skip
            for column, key in enumerate(COLUMNS, start=1):
                if key in values:
                    sheet.cell(row=number, column=column, value=values[key])
        book.save(workbook)


@pytest.mark.slow
@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: p.name)
def test_commands_in_the_docs_run_as_described(document: Path, tmp_path: Path, smtp: str) -> None:
    shutil.copytree(ROOT / "data", tmp_path / "data")
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1604966400", "COLUMNS": "200"}
    for commands in blocks(document):
        fill_in_templates(tmp_path)
        for shown, expected in commands:
            arguments = [smtp if a == "smtp.example.org:25" else a for a in shown]
            done = subprocess.run([sys.executable, "-m", "scheduler", *arguments], cwd=tmp_path, env=env,
                                  capture_output=True, text=True, timeout=600, check=False)  # fmt: skip
            assert done.returncode == expected, (document.name, arguments, done.stdout, done.stderr)
            assert "Traceback" not in done.stderr


def test_the_docs_show_commands() -> None:
    shown = [c for d in DOCUMENTS for b in blocks(d) for c in b]
    assert {c[0][0] for c in shown} >= {"init", "validate", "plan", "send"}
