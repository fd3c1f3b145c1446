"""Re-planning a small event through the command line after a change that only the calendars show: exactly the
invitations and public session events whose text changed get a higher SEQUENCE, and `send` sees them as new."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from icalendar import Calendar

from scheduler import send
from tests.test_cli import run

EVENT_TOML = """[event]
id = "small"
title = "Small review"
timezone = "Europe/Zurich"
organiser = { name = "Secretariat", email = "secretariat@example.org" }
uid_domain = "small.example.org"
languages = ["en", "fr"]
speaker_link = "https://meet.example.org/j/small"

[[days]]
date = 2020-11-12
start = 10:00:00
end = 13:00:00

[[sessions]]
id = "RT1"
title = "Round table one"
date = 2020-11-12
start = 10:00:00
minutes = 60
objectives = [3, 5]
speakers = [1, 2]

[[sessions]]
id = "RT2"
title = "Round table two"
date = 2020-11-12
start = 11:30:00
minutes = 60
speakers = [1, 2]
"""

APPLICANTS = """id,name,email,category,timezone,languages,interests,objectives
M1,Ana Example,ana@example.org,igo,Europe/Vienna,en,RT1:moderator,
P1,Ben Example,ben@example.org,igo,Asia/Almaty,en,RT1:speaker,3; 5
M2,Cleo Example,cleo@example.org,igo,,fr; en,RT2:moderator,
P2,Dan Example,dan@example.org,igo,America/New_York,en,RT2:speaker,
"""

OBJECTIVES = """objective,short_label,title
3,Information,Provide accurate and timely information at all stages of migration
5,Regular pathways,Enhance availability and flexibility of pathways for regular migration
"""


def write_event(folder: Path) -> Path:
    folder.mkdir()
    (folder / "event.toml").write_text(EVENT_TOML, encoding="utf-8")
    (folder / "applicants.csv").write_text(APPLICANTS, encoding="utf-8")
    (folder / "objectives.csv").write_text(OBJECTIVES, encoding="utf-8")
    return folder


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def first_language(event: Path) -> None:
    edit(event / "applicants.csv", "Asia/Almaty,en,", "Asia/Almaty,fr; en,")


def retitle(event: Path) -> None:
    edit(event / "event.toml", 'title = "Round table two"', 'title = "Round table two: labour mobility"')


def describe(event: Path) -> None:
    edit(
        event / "event.toml",
        'title = "Round table one"\n',
        'title = "Round table one"\ndescription = "Hybrid."\n',
    )


def objective_title(event: Path) -> None:
    edit(event / "objectives.csv", "3,Information,", "3,Information and data,")


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("published")
    done = run("plan", write_event(root / "event"), "--out", root / "out")
    assert done.returncode == 0, done.stderr
    return root / "out"


def calendars(out: Path) -> dict[str, bytes]:
    """Every invitation and public session file of OUT, by its path under calendar/."""
    folder = out / "calendar"
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.glob("*/*.ics"))}


def sequence(ics: bytes) -> int:
    (vevent,) = Calendar.from_ical(ics).walk("VEVENT")
    return int(vevent["SEQUENCE"])


def shown(ics: bytes) -> list[bytes]:
    """What a calendar file says, without the lines that change on every version (DTSTAMP, SEQUENCE)."""
    lines = ics.replace(b"\r\n ", b"").split(b"\r\n")
    return [line for line in lines if not line.startswith((b"DTSTAMP", b"SEQUENCE"))]


Change = Callable[[Path], None]


@pytest.mark.parametrize(
    ("change", "raised", "kept"),
    [
        (first_language, {"invites/P1_RT1.ics"}, {"invites/M1_RT1.ics", "sessions/RT1.ics"}),
        (retitle, {"invites/M2_RT2.ics", "invites/P2_RT2.ics", "sessions/RT2.ics"}, {"invites/P1_RT1.ics"}),
        (describe, {"sessions/RT1.ics"}, {"invites/M2_RT2.ics", "invites/P2_RT2.ics", "sessions/RT2.ics"}),
        (
            objective_title,
            {"invites/M1_RT1.ics", "invites/P1_RT1.ics", "sessions/RT1.ics"},
            {"invites/M2_RT2.ics", "invites/P2_RT2.ics", "sessions/RT2.ics"},
        ),
    ],
)
def test_a_replan_raises_the_sequence_of_exactly_what_shows_the_change(
    published: Path, tmp_path: Path, change: Change, raised: set[str], kept: set[str]
) -> None:
    out = tmp_path / "out"
    shutil.copytree(published, out)
    event = write_event(tmp_path / "event")
    change(event)

    done = run("plan", event, "--out", out)

    assert done.returncode == 0, done.stderr
    before, after = calendars(published), calendars(out)
    assert before.keys() == after.keys()
    higher = {name for name in after if sequence(after[name]) == sequence(before[name]) + 1}
    same = {name for name in after if sequence(after[name]) == sequence(before[name])}
    assert higher | same == after.keys()
    assert raised <= higher
    assert kept <= same
    # and nothing else: a file's SEQUENCE is raised exactly when what it says changed
    assert higher == {name for name in after if shown(after[name]) != shown(before[name])}
    data = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    assert data["version"] == 2
    assert data["changes"] == []

    log = [
        send.Sent(o.participant, o.session, o.uid, o.sequence, o.method, o.to, "2020-11-10T00:00:00Z", "")
        for o in send.outgoing(published)
    ]
    triaged = {o.path.name: status for o, status in send.triage(send.outgoing(out), log)}
    assert {name for name, status in triaged.items() if status is send.Status.NEW} == {
        name.removeprefix("invites/").replace(".ics", ".eml")
        for name in higher
        if name.startswith("invites/")
    }
    assert set(triaged.values()) <= {send.Status.NEW, send.Status.SENT}
