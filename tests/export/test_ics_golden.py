"""Calendar and mail files of a tiny hand-built event, compared byte for byte with tests/golden/tiny/.

The event has people in Tokyo (the session ends past midnight there), Honolulu (the day before), Almaty (a zone
without DST or abbreviation), New York and Geneva, a name with `,` and `;`, and a Cyrillic one. Élodie Martin
reads French, Айгерим Садыкова Russian (S2's title and the event's are translated, S1's only into French),
everyone else English. Version 2 withdraws a speaker: a CANCEL, and updates for those whose slot moved.

After a deliberate change of the output, regenerate the files with `UPDATE_GOLDEN=1 pytest tests/export`, and
read the diff before committing it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import os
import shutil
from pathlib import Path

import pytest
from icalendar import Calendar

from scheduler import release
from scheduler.domain import Event, Plan, SessionKind
from scheduler.export.outputs import write_outputs
from scheduler.views import build_view
from tests import factories as f

GOLDEN = Path(__file__).resolve().parent.parent / "golden" / "tiny"
V2_GENERATED = dt.datetime(2020, 11, 5, 12, 0, tzinfo=dt.UTC)


def tiny_event() -> Event:
    return f.event(
        [
            f.session(
                "S1",
                title="Round table: one, two; three",
                start=dt.time(15, 30),
                objectives=(3, 5),
                title_translations=(("fr", "Table ronde : un, deux ; trois"),),
            ),
            f.session(
                "S2",
                title="Opening",
                kind=SessionKind.OPENING,
                start=dt.time(9, 0),
                speakers=(1, 2),
                title_translations=(("fr", "Ouverture"), ("ru", "Открытие")),
            ),
        ],
        [
            f.person("M1", "S1:moderator", name="Élodie Martin", languages=("fr", "en")),
            f.person("P1", name="Kenji Sato", timezone="Asia/Tokyo", objectives=(3, 5), languages=("en",)),
            f.person("P2", name="Ana, María; López", timezone="America/New_York", objectives=(5,)),
            f.person("M2", "S2:moderator", name="Keola Kahale", timezone="Pacific/Honolulu"),
            f.person(
                "P3", "S2:speaker", name="Айгерим Садыкова", timezone="Asia/Almaty", languages=("ru", "en")
            ),
        ],
        languages=("en", "fr", "ru"),
        public_link="https://webtv.example.org/tiny",
        speaker_link="https://meet.example.org/j/tiny?pwd=x",
        objective_titles={3: "Information", 5: "Regular pathways"},
        objective_translations={"fr": {3: "Fourniture d’informations"}},
        title_translations=(("fr", "Petit événement"), ("ru", "Небольшое мероприятие")),
    )


def withdrawn(event: Event, participant: str) -> Event:
    return dataclasses.replace(
        event,
        applicants=tuple(
            dataclasses.replace(a, withdrawn=True) if a.id == participant else a for a in event.applicants
        ),
    )


@pytest.fixture(scope="module")
def versions(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Version 1 of the tiny event and version 2 after P2 withdrew, each written by write_outputs."""
    event = tiny_event()
    first = release.plan(event, generated_at=f.GENERATED)
    later = withdrawn(event, "P2")
    second = release.plan(later, previous=first, generated_at=V2_GENERATED)
    folders = {}
    for name, ev, result in (("v1", event, first), ("v2", later, second)):
        folder = tmp_path_factory.mktemp(name)
        write_outputs(build_view(ev, result), folder)
        folders[name] = folder
    return folders


def files(root: Path) -> dict[str, Path]:
    return {
        path.relative_to(root).as_posix(): path
        for sub in ("calendar", "mail")
        for path in (root / sub).rglob("*")
        if path.is_file()
    }


def diff(got: bytes, want: bytes, name: str) -> str:
    lines = difflib.unified_diff(
        want.decode().splitlines(),
        got.decode().splitlines(),
        f"golden/{name}",
        f"written/{name}",
        lineterm="",
    )
    return "\n".join(lines)


@pytest.mark.parametrize("version", ["v1", "v2"])
def test_files_match_the_golden_files_byte_for_byte(versions: dict[str, Path], version: str) -> None:
    written, golden = files(versions[version]), GOLDEN / version
    if os.environ.get("UPDATE_GOLDEN"):
        shutil.rmtree(golden, ignore_errors=True)
        for name, path in written.items():
            (golden / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, golden / name)

    expected = files(golden)

    assert sorted(written) == sorted(expected)
    for name, path in written.items():
        got, want = path.read_bytes(), expected[name].read_bytes()
        assert got == want, diff(got, want, f"{version}/{name}")


def description(folder: Path, name: str) -> str:
    (vevent,) = Calendar.from_ical((folder / "calendar" / "invites" / name).read_bytes()).events
    return str(vevent["DESCRIPTION"])


def test_tokyo_sees_its_own_date_once_the_session_passes_midnight(versions: dict[str, Path]) -> None:
    text = description(versions["v1"], "P1_S1.ics")

    assert "Session: Thursday, 12 November 2020 15:30-16:30 CET (event time, Europe/Zurich)" in text
    assert "Your time: 23:30-Fri 13 Nov 00:30 JST (Asia/Tokyo)" in text
    # opening, P1, P2 (registered later), closing: a quarter of the hour each
    assert "Your intervention: 15:45-16:00 event time, 23:45-Fri 13 Nov 00:00 your time (15 minutes)" in text
    assert "Tech check: join at 15:00 event time, 23:00 your time (30 minutes before the start)" in text
    assert "Objectives: 3 (Information), 5 (Regular pathways)" in text
    assert "Interpretation: English, French, Russian; you speak in English" in text


def test_honolulu_sees_the_day_before(versions: dict[str, Path]) -> None:
    text = description(versions["v1"], "M2_S2.ics")

    assert "Your time: Wed 11 Nov 22:00-23:00 HST (Pacific/Honolulu)" in text
    assert "Your opening: 09:00-09:20 event time, Wed 11 Nov 22:00-22:20 your time (20 minutes)" in text
    assert "Your closing: 09:40-10:00 event time, Wed 11 Nov 22:40-23:00 your time (20 minutes)" in text


def test_a_zone_without_abbreviation_shows_its_offset(versions: dict[str, Path]) -> None:
    assert "Ваше время: 14:00-15:00 UTC+06 (Asia/Almaty)" in description(versions["v1"], "P3_S2.ics")


def test_event_time_alone_for_someone_in_the_event_zone(versions: dict[str, Path]) -> None:
    text = description(versions["v1"], "M1_S1.ics")

    assert "(heure de la réunion, Europe/Zurich, la même que la vôtre)" in text
    assert "votre heure locale" not in text


def test_withdrawal_sends_a_cancel_and_updates_only_the_moved_slots(versions: dict[str, Path]) -> None:
    def event_of(version: str, name: str) -> tuple[str, str, int, str]:
        calendar = Calendar.from_ical((versions[version] / "calendar" / "invites" / name).read_bytes())
        (vevent,) = calendar.events
        return calendar.method, vevent.uid, vevent.sequence, str(vevent.get("STATUS"))

    assert event_of("v1", "P2_S1.ics") == ("REQUEST", "P2-S1@tiny.example.org", 0, "CONFIRMED")
    assert event_of("v2", "P2_S1.ics") == ("CANCEL", "P2-S1@tiny.example.org", 1, "CANCELLED")
    # S1 now splits its hour between three items instead of four: its moderator's and speaker's slots moved
    assert event_of("v2", "P1_S1.ics")[2] == 1
    assert event_of("v2", "M1_S1.ics")[2] == 1
    assert event_of("v2", "P3_S2.ics")[2] == 0


def test_golden_plan_is_what_the_tests_above_assume() -> None:
    result: Plan = release.plan(tiny_event(), generated_at=f.GENERATED)

    assert {(a.participant, a.session, a.role.value) for a in result.assignments} == {
        ("M1", "S1", "moderator"),
        ("P1", "S1", "speaker"),
        ("P2", "S1", "speaker"),
        ("M2", "S2", "moderator"),
        ("P3", "S2", "speaker"),
    }
