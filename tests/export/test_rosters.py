"""`rosters/<session>.csv`: who the platform host admits as panellists, in the order they speak, with no text a
spreadsheet program would run."""

from __future__ import annotations

import csv
import dataclasses
from pathlib import Path

from scheduler import release
from scheduler.export.outputs import write_outputs
from scheduler.views import build_view
from tests import factories as f
from tests.export.test_ics_co_chair import co_chaired


def test_each_session_has_a_roster_of_its_people_with_formulas_neutralised(tmp_path: Path) -> None:
    event = co_chaired()
    hostile = dataclasses.replace(event.applicant_by_id["G1"], name='=HYPERLINK("https://evil.example.org")')
    event = dataclasses.replace(event, applicants=tuple(hostile if a.id == "G1" else a for a in event.applicants))
    write_outputs(build_view(event, release.plan(event, generated_at=f.GENERATED)), tmp_path)
    data = (tmp_path / "rosters" / "S1.csv").read_bytes()
    assert data.startswith(b"name,email,role\r\n")
    rows = list(csv.reader(data.decode("utf-8").splitlines()))
    assert rows == [
        ["name", "email", "role"],
        ["Ivan Petrov", "k1@example.org", "co_chair"],
        ["Claire Dubois", "k2@example.org", "co_chair"],
        ["Lena Novak", "m1@example.org", "moderator"],
        ["'=HYPERLINK(\"https://evil.example.org\")", "g1@example.org", "speaker"],
    ]
