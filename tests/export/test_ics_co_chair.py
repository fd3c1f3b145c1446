"""Invitations of a co-chaired session, compared byte for byte with tests/golden/co_chair/: a member State's
co-chair who reads Russian, a stakeholder co-chair who reads French, a statement on behalf of a group, and the
session's own speaker link.

After a deliberate change of the output, regenerate the files with `UPDATE_GOLDEN=1 pytest tests/export`, and
read the diff before committing it.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from icalendar import Calendar

from scheduler import release
from scheduler.domain import Category, Event, Segments
from scheduler.export.outputs import write_outputs
from scheduler.views import build_view
from tests import factories as f

GOLDEN = Path(__file__).resolve().parent.parent / "golden" / "co_chair"
NAMES = ("K1_S1.ics", "K2_S1.ics", "G1_S1.ics")


def co_chaired() -> Event:
    segments = Segments(opening=4, intervention=5, discussion=20, closing=4, group_statement=7, reply=5)
    return f.event(
        [f.session("S1", title="Round table 2", co_chairs=2, co_chairs_differ_in="category", segments=segments,
                   languages=("en", "fr", "ru"), speaker_link="https://meet.example.org/j/rt2?pwd=y")],
        [
            f.person("M1", "S1:moderator", name="Lena Novak"),
            f.person("K1", "S1:co_chair", name="Ivan Petrov", category=Category.MEMBER_STATE, country="Utopia",
                     level="deputy_minister", languages=("ru", "en")),
            f.person("K2", "S1:co_chair", name="Claire Dubois", languages=("fr",)),
            f.person("G1", name="Anna Berg", category=Category.MEMBER_STATE, country="Utopia", level="ambassador",
                     on_behalf_of="Group of Friends of Migration"),
        ],
        languages=("en", "fr", "ru"),
        speaker_link="https://meet.example.org/j/event?pwd=x",
    )  # fmt: skip


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Path:
    event = co_chaired()
    folder = tmp_path_factory.mktemp("co_chair")
    write_outputs(build_view(event, release.plan(event, generated_at=f.GENERATED)), folder)
    return folder / "calendar" / "invites"


def test_co_chair_invitations_match_the_golden_files(written: Path) -> None:
    if os.environ.get("UPDATE_GOLDEN"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        GOLDEN.mkdir(parents=True)
        for name in NAMES:
            shutil.copyfile(written / name, GOLDEN / name)
    for name in NAMES:
        assert (written / name).read_bytes() == (GOLDEN / name).read_bytes(), name


def vevent(folder: Path, name: str) -> Calendar:
    (event,) = Calendar.from_ical((folder / name).read_bytes()).events
    return event


def test_a_co_chair_is_a_chair_told_so_in_their_language(written: Path) -> None:
    ru, fr = vevent(written, "K1_S1.ics"), vevent(written, "K2_S1.ics")
    assert ru["ATTENDEE"].params["ROLE"] == "CHAIR"
    assert fr["ATTENDEE"].params["ROLE"] == "CHAIR"
    assert str(ru["SUMMARY"]).startswith("Сопредседатель")
    assert str(fr["SUMMARY"]).startswith("Coprésident·e")
    assert "Votre allocution d’ouverture : 10:02-10:04" in str(fr["DESCRIPTION"])


def test_a_group_statement_says_on_whose_behalf(written: Path) -> None:
    text = str(vevent(written, "G1_S1.ics")["DESCRIPTION"])
    assert "On behalf of: Group of Friends of Migration" in text
    assert "Your statement on behalf of the group: " in text
    assert "(7 minutes)" in text


def test_the_sessions_own_link_replaces_the_events(written: Path) -> None:
    for name in NAMES:
        event = vevent(written, name)
        assert str(event["URL"]) == "https://meet.example.org/j/rt2?pwd=y"
        assert "https://meet.example.org/j/event" not in event.to_ical().decode()
