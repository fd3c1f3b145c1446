"""The default event's sample applicants: the committed workbook is what its seeded script writes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "gcm2020-unece"


def test_make_applicants_writes_the_committed_workbook_byte_for_byte(tmp_path: Path) -> None:
    out = tmp_path / "applicants.xlsx"
    done = subprocess.run(
        [sys.executable, SAMPLE / "make_applicants.py", "--out", out],
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert out.read_bytes() == (SAMPLE / "applicants.xlsx").read_bytes()
