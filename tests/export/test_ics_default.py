"""Every calendar file of the default event, read back by icalendar and by ical.js (Thunderbird's parser) and
checked against plan.json; privacy of the public files and of each invitation; and a re-plan after a withdrawal.

Expected local times are computed with zoneinfo, not pytz, so that the code under test and the expectation do
not share a source.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from babel import Locale
from icalendar import Calendar

from scheduler import release
from scheduler.domain import Applicant, Event, Plan, Role
from scheduler.export.ics import invitation
from scheduler.export.outputs import write_outputs
from scheduler.i18n import person_language
from scheduler.load import load_event
from scheduler.load.timeparse import covers, parse_windows
from scheduler.views import build_view
from tests.ical_js import parse_with_ical_js

ROOT = Path(__file__).resolve().parents[2]
GENERATED = dt.datetime(2020, 11, 10, tzinfo=dt.UTC)
REPLANNED = dt.datetime(2020, 11, 10, 18, 30, tzinfo=dt.UTC)


@dataclasses.dataclass(frozen=True)
class Published:
    event: Event
    plan: Plan
    out: Path
    data: dict[str, Any]  # plan.json

    def calendars(self, sub: str) -> list[Path]:
        return sorted((self.out / "calendar" / sub).glob("*.ics"))

    def public(self) -> list[Path]:
        return [self.out / "calendar" / "agenda.ics", *self.calendars("sessions")]

    def session_times(self) -> dict[str, tuple[str, str]]:
        return {s["id"]: (utc(s["start"]), utc(s["end"])) for s in self.data["sessions"]}


def utc(iso: str) -> str:
    return dt.datetime.fromisoformat(iso).astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def publish(event: Event, result: Plan, folder: Path) -> Published:
    write_outputs(build_view(event, result), folder)
    data = json.loads((folder / "plan.json").read_text(encoding="utf-8"))
    return Published(event, result, folder, data)


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Published:
    event = load_event(ROOT / "data" / "gcm2020-unece")
    return publish(event, release.plan(event, generated_at=GENERATED), tmp_path_factory.mktemp("out"))


@pytest.fixture(scope="module")
def read_by_ical_js(published: Published) -> dict[str, dict[str, Any]]:
    """What ical.js reads in every calendar file, by file name relative to calendar/."""
    paths = published.public() + published.calendars("invites")
    files = parse_with_ical_js(paths)["files"]
    return {Path(f["path"]).relative_to(published.out / "calendar").as_posix(): f for f in files}


def unfolded(path: Path) -> str:
    """The file's text as a reader sees it: lines unfolded, TEXT escapes undone."""
    text = path.read_bytes().decode("utf-8").replace("\r\n ", "")
    return text.replace("\\n", "\n").replace("\\,", ",").replace("\\;", ";").replace("\\\\", "\\")


# --- every file, both readers --------------------------------------------------------------------------------


def test_every_invitation_has_a_file_and_every_file_an_invitation(published: Published) -> None:
    expected = {f"{a['participant']}_{a['session']}.ics" for a in published.data["assignments"]}

    assert {p.name for p in published.calendars("invites")} == expected
    assert {p.stem for p in published.calendars("sessions")} == set(published.session_times())


def test_icalendar_reads_every_file_with_a_vtimezone_for_each_tzid(published: Published) -> None:
    for path in published.public() + published.calendars("invites"):
        calendar = Calendar.from_ical(path.read_bytes())
        used = {str(e[key].params["TZID"]) for e in calendar.events for key in ("DTSTART", "DTEND")}
        defined = {str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")}
        assert used == defined, path
        assert all(e["DTSTAMP"].dt == GENERATED for e in calendar.events), path


def test_ical_js_reads_public_sessions_at_the_plan_times(
    published: Published, read_by_ical_js: dict[str, dict[str, Any]]
) -> None:
    times = published.session_times()
    domain = published.event.uid_domain

    agenda = read_by_ical_js["agenda.ics"]
    assert agenda["method"] == "PUBLISH"
    assert {e["uid"]: (e["start_utc"], e["end_utc"]) for e in agenda["events"]} == {
        f"{sid}@{domain}": span for sid, span in times.items()
    }
    for sid, span in times.items():
        (event,) = read_by_ical_js[f"sessions/{sid}.ics"]["events"]
        assert (event["uid"], event["start_utc"], event["end_utc"]) == (f"{sid}@{domain}", *span)
        assert event["tzid"] == "Europe/Zurich"
        assert event["organizer"] == "mailto:secretariat@example.org"
        assert event["attendees"] == []


def test_ical_js_reads_each_invitation_at_its_session_time_in_the_persons_zone(
    published: Published, read_by_ical_js: dict[str, dict[str, Any]]
) -> None:
    times = published.session_times()
    people = published.event.applicant_by_id
    for assignment in published.data["assignments"]:
        person = people[assignment["participant"]]
        read = read_by_ical_js[f"invites/{person.id}_{assignment['session']}.ics"]
        (event,) = read["events"]
        (attendee,) = event["attendees"]

        assert read["method"] == "REQUEST"
        assert event["uid"] == f"{person.id}-{assignment['session']}@gcm2020-unece.example.org"
        assert (event["start_utc"], event["end_utc"]) == times[assignment["session"]]
        assert event["tzid"] == (person.timezone or "Europe/Zurich")
        assert event["sequence"] == assignment["sequence"] == 0
        assert event["status"] == "CONFIRMED"
        assert event["organizer"] == "mailto:secretariat@example.org"
        assert attendee == {
            "value": f"mailto:{person.email}",
            "role": "CHAIR" if assignment["role"] in ("moderator", "co_chair") else "REQ-PARTICIPANT",
            "partstat": "NEEDS-ACTION",
            "rsvp": "TRUE",
        }
        assert event["location"] == event["url"] == "https://meet.example.org/j/2020?pwd=x"
        assert "https://meet.example.org/j/2020?pwd=x" in event["description"]


def test_invitations_carry_conference_alarm_and_tech_check(published: Published) -> None:
    for path in published.calendars("invites"):
        (event,) = Calendar.from_ical(path.read_bytes()).events
        conference = event["CONFERENCE"]
        (alarm,) = event.walk("VALARM")

        assert str(conference) == "https://meet.example.org/j/2020?pwd=x"
        assert conference.params["FEATURE"] == ["AUDIO", "VIDEO"]
        assert conference.params["VALUE"] == "URI"
        assert alarm["TRIGGER"].dt == -dt.timedelta(minutes=30 + 15)  # 15 minutes before the tech check
        language = event["DESCRIPTION"].params["LANGUAGE"]
        tech_check = {"en": "Tech check: join at ", "fr": "Test technique : ", "ru": "Техническая проверка: "}
        assert tech_check[language] in str(event["DESCRIPTION"])


# --- the description's times, against zoneinfo ---------------------------------------------------------------


def hhmm(when: dt.datetime, event_date: dt.date) -> str:
    return f"{when:%H:%M}" if when.date() == event_date else f"{when:%a} {when.day} {when:%b %H:%M}"


def reads_english(published: Published, person: Applicant) -> bool:
    """Whether the person's invitations are in English (the tests below read the English wording; the French and
    Russian are in tests/test_i18n.py)."""
    return person_language(published.event, person) == "en"


def test_description_gives_times_in_event_time_and_the_persons_time(published: Published) -> None:
    geneva = ZoneInfo("Europe/Zurich")
    people = published.event.applicant_by_id
    for session in published.data["sessions"]:
        start = dt.datetime.fromisoformat(session["start"]).astimezone(geneva)
        end = dt.datetime.fromisoformat(session["end"]).astimezone(geneva)
        for item in session["running_order"]:
            if item["participant"] is None:
                continue
            person = people[item["participant"]]
            if not reads_english(published, person):
                continue
            text = unfolded(published.out / "calendar" / "invites" / f"{person.id}_{session['id']}.ics")
            assert f"Session: {start:%A}, {start.day} {start:%B %Y %H:%M}-{end:%H:%M} " in text
            assert f"Your role: {item['role'].replace('_', '-')}" in text  # co_chair: "co-chair"
            slot_start = dt.datetime.fromisoformat(item["start"]).astimezone(geneva)
            slot_end = dt.datetime.fromisoformat(item["end"]).astimezone(geneva)
            event_time = f"{slot_start:%H:%M}-{slot_end:%H:%M} event time"
            local = ZoneInfo(person.timezone or "Europe/Zurich")
            if start.astimezone(local).utcoffset() == start.utcoffset():
                assert f": {event_time} (" in text, person.id
                assert "the same as yours" in text
                continue
            a, b = slot_start.astimezone(local), slot_end.astimezone(local)
            local_time = f"{hhmm(a, start.date())}-{hhmm(b, a.date())} your time"
            assert f": {event_time}, {local_time} (" in text, person.id
            session_local = f"Your time: {hhmm(start.astimezone(local), start.date())}-"
            assert session_local in text, person.id


def test_description_lists_objectives_and_languages(published: Published) -> None:
    people = published.event.applicant_by_id
    for assignment in published.data["assignments"]:
        session = next(s for s in published.data["sessions"] if s["id"] == assignment["session"])
        text = unfolded(
            published.out / "calendar" / "invites" / f"{assignment['participant']}_{session['id']}.ics"
        )
        person = people[assignment["participant"]]
        for objective in session["objectives"]:
            assert re.search(rf": .*\b{objective} \(", text), (person.id, objective)
        if not reads_english(published, person):
            continue
        assert "Interpretation: English, French, Russian" in text
        interpreted = [code for code in person.languages if code in published.event.languages]
        if interpreted:  # the first of their languages that is interpreted: German is not, so "de; en" is English
            assert f"you speak in {Locale('en').languages[interpreted[0]]}" in text
        for objective in session["objectives"]:
            assert re.search(rf"Objectives: .*\b{objective} \(", text), (person.id, objective)


def test_a_permanent_mission_in_geneva_is_planned_and_invited_in_geneva_time(published: Published) -> None:
    # P007 is at the United States' Permanent Mission in Geneva and gives no time zone: the event's, not New York.
    person = published.event.applicant_by_id["P007"]
    assert person.country == "United States"
    assert person.available == parse_windows("07:00-12:00; 14:00-22:00")
    geneva = ZoneInfo("Europe/Zurich")
    sessions = {s["id"]: s for s in published.data["sessions"]}
    roles = [a for a in published.data["assignments"] if a["participant"] == person.id]

    assert roles, "the sample data should give P007 a role"
    for assignment in roles:
        session = sessions[assignment["session"]]
        start, end = (dt.datetime.fromisoformat(session[k]).astimezone(geneva) for k in ("start", "end"))
        assert covers(person.available, start.replace(tzinfo=None), end.replace(tzinfo=None)), session["id"]
        path = published.out / "calendar" / "invites" / f"{person.id}_{session['id']}.ics"
        (event,) = Calendar.from_ical(path.read_bytes()).events
        assert event["DTSTART"].params["TZID"] == event["DTEND"].params["TZID"] == "Europe/Zurich"
        assert event["DTSTART"].dt == start
        text = unfolded(path)
        assert "(event time, Europe/Zurich, the same as yours)" in text
        assert "America/New_York" not in text


# --- privacy -------------------------------------------------------------------------------------------------


def test_public_files_hold_no_participant_data_and_no_speakers_link(published: Published) -> None:
    emails = {a.email for a in published.event.applicants}
    for path in published.public():
        text = unfolded(path)
        calendar = Calendar.from_ical(path.read_bytes())

        assert calendar.method == "PUBLISH"
        assert calendar["X-WR-CALNAME"]
        assert all("ATTENDEE" not in e for e in calendar.events)
        assert all(str(e["ORGANIZER"]) == "mailto:secretariat@example.org" for e in calendar.events)
        assert "meet.example.org" not in text
        assert "pwd=" not in text
        assert "https://webtv.example.org/gcm2020" in text
        assert [e for e in emails if e in text] == []


def mention(value: str) -> re.Pattern[str]:
    """A name or address as a whole: `Ivan Petrov` is not mentioned by `Ivan Petrova`."""
    return re.compile(rf"(?<![\w.+-]){re.escape(value)}(?![\w-])")


def test_each_invitation_names_only_the_organiser_and_its_recipient(published: Published) -> None:
    people = [(p, mention(p.email), mention(p.name)) for p in published.event.applicants]
    for path in published.calendars("invites"):
        text = unfolded(path)
        (event,) = Calendar.from_ical(path.read_bytes()).events
        recipient = str(event["ATTENDEE"]).removeprefix("mailto:")
        addresses = set(re.findall(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", text))
        uids = {a for a in addresses if a.endswith("@gcm2020-unece.example.org")}

        assert addresses - uids == {recipient, "secretariat@example.org"}, path.name
        assert uids == {str(event["UID"])}
        named = [
            p.id
            for p, email, name in people
            if p.email != recipient
            and ((p.email in text and email.search(text)) or (p.name in text and name.search(text)))
        ]
        assert named == [], path.name


# --- a re-plan after a withdrawal ----------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Replanned:
    plan: Plan
    invites: Path  # version 2's invitation files
    cancelled: str  # the file name of the withdrawn person's invitation


@pytest.fixture(scope="module")
def replanned(published: Published, tmp_path_factory: pytest.TempPathFactory) -> Replanned:
    """Version 2 after the first assigned speaker withdrew; only its invitations are written, as write_outputs
    names them (the whole of write_outputs is exercised above)."""
    leaving = next(a for a in published.plan.assignments if a.role is Role.SPEAKER)
    event = dataclasses.replace(
        published.event,
        applicants=tuple(
            dataclasses.replace(a, withdrawn=True) if a.id == leaving.participant else a
            for a in published.event.applicants
        ),
    )
    result = release.plan(event, previous=published.plan, generated_at=REPLANNED)
    view = build_view(event, result)
    folder = tmp_path_factory.mktemp("v2")
    for invite in view.invites:
        (folder / f"{invite.applicant.id}_{invite.session.id}.ics").write_bytes(invitation(view, invite))
    return Replanned(result, folder, f"{leaving.participant}_{leaving.session}.ics")


def test_withdrawal_gives_a_cancel_with_the_same_uid_and_a_higher_sequence(
    published: Published, replanned: Replanned
) -> None:
    name = replanned.cancelled
    (before,) = Calendar.from_ical((published.out / "calendar" / "invites" / name).read_bytes()).events
    cancel = Calendar.from_ical((replanned.invites / name).read_bytes())
    (after,) = cancel.events

    assert cancel.method == "CANCEL"
    assert str(after["STATUS"]) == "CANCELLED"
    assert after.uid == before.uid
    assert after.sequence == before.sequence + 1
    assert (after.start, after.end) == (before.start, before.end)
    assert str(after["ATTENDEE"]) == str(before["ATTENDEE"])
    assert "CONFERENCE" not in after and "LOCATION" not in after
    (read,) = parse_with_ical_js([replanned.invites / name])["files"]
    assert (read["method"], read["events"][0]["status"], read["events"][0]["sequence"]) == (
        "CANCEL",
        "CANCELLED",
        1,
    )


def test_unchanged_invitations_keep_their_sequence_and_bytes_but_dtstamp(
    published: Published, replanned: Replanned
) -> None:
    old = {(a.participant, a.session): a.sequence for a in published.plan.assignments}
    kept = changed = 0
    for assignment in replanned.plan.assignments:
        name = f"{assignment.participant}_{assignment.session}.ics"
        if (assignment.participant, assignment.session) not in old:
            assert assignment.sequence == 0
            continue
        before = (published.out / "calendar" / "invites" / name).read_bytes()
        after = (replanned.invites / name).read_bytes()
        if assignment.sequence == old[assignment.participant, assignment.session]:
            kept += 1
            assert after.replace(b"DTSTAMP:20201110T183000Z", b"DTSTAMP:20201110T000000Z") == before, name
        else:
            changed += 1
            assert assignment.sequence == old[assignment.participant, assignment.session] + 1
            assert f"SEQUENCE:{assignment.sequence}\r\n".encode() in after
    assert kept > 50
    assert changed < 10
