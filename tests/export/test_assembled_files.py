"""Invitations and mail are put together from parts serialised once (ics.Invitations, mail.message), because
building a whole icalendar Calendar and EmailMessage per invitation took minutes for 10,000 people. Each file must
still be byte for byte what those libraries write for the whole thing: here they are built that way, as the
exporters once did, for people whose names and zones test every corner, and compared.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import email.policy
from email.headerregistry import Address
from email.message import EmailMessage, MIMEPart
from email.utils import format_datetime

import pytest
import pytz
from icalendar import Alarm, Calendar, Event, vCalAddress, vText, vUri
from icalendar.parser import Contentline

from scheduler import release
from scheduler.domain import Role
from scheduler.export import ics, mail
from scheduler.export.ics import one_line
from scheduler.export.vtimezone import vtimezone
from scheduler.i18n import translator
from scheduler.views import InviteView, PlanView, build_view
from tests import factories as f
from tests.test_hostile_text import NAMES

PEOPLE = [
    *NAMES,
    "Kenji Sato",
    "Seán O'Brien-Ní Bhriain",
    "J. R. R. Tolkien",
    "=?utf-8?q?not_an_encoded_word?=",
    "Ana, María; López",
    "Айгерим Садыкова Жанар Абенова Ляззат Калиева Гульнара Сейткали Айжан",
    "An ASCII name long enough to be folded over two lines of a mail header, surely",
    "  Spaces   inside  ",
    "",
]
ZONES = [
    "Asia/Tokyo",
    "America/New_York",
    "UTC",
    "Asia/Kathmandu",
    "Australia/Lord_Howe",
    "Pacific/Kiritimati",
]
ADDRESSES = ["plain@example.org", "first.last+tag@mail.example.org", "o'hara@example.org"]


@pytest.fixture(scope="module")
def views() -> list[PlanView]:
    """A session with a speaker for each name, in many zones; then a version without the first, cancelled."""
    people = [f.person("M1", "S1:moderator", name="Mod Erator")] + [
        f.person(
            f"P{n}",
            name=name,
            email=ADDRESSES[n % len(ADDRESSES)],
            timezone=ZONES[n % len(ZONES)],
            languages=(("en",), ("fr", "en"), ("ru",))[n % 3],
        )
        for n, name in enumerate(PEOPLE, start=1)
    ]
    event = f.event(
        [
            f.session(
                "S1", title="Round table: one, two; three \\ four", minutes=240, speakers=(1, len(PEOPLE))
            )
        ],
        people,
        days=(f.Day(f.DAY, dt.time(8, 0), dt.time(18, 0)),),
        languages=("en", "fr", "ru"),
        speaker_link="https://meet.example.org/j/1?pwd=x",
        objective_titles={1: "Data"},
    )
    first = release.plan(event, generated_at=f.GENERATED)
    later = dataclasses.replace(
        event,
        applicants=tuple(dataclasses.replace(a, withdrawn=a.id == "P1") for a in event.applicants),
    )
    second = release.plan(later, previous=first, generated_at=f.GENERATED + dt.timedelta(days=1))
    return [build_view(event, first), build_view(later, second)]


def reference_invitation(view: PlanView, invite: InviteView) -> bytes:
    """The invitation as one icalendar Calendar, serialised whole."""
    event = view.event
    person, s = invite.applicant, invite.session
    zone = person.timezone or event.timezone
    tz = pytz.timezone(zone)
    start, end = s.start.astimezone(tz), s.end.astimezone(tz)
    cal = Calendar()
    cal.add("PRODID", ics.PRODID)
    cal.add("VERSION", "2.0")
    cal.add("CALSCALE", "GREGORIAN")
    cal.add("METHOD", invite.method)
    cal.add_component(vtimezone(zone, sorted({start.year, end.year})))
    item = Event()
    item.add("UID", ics.invite_uid(event, person.id, s.id))
    item.add("DTSTAMP", view.plan.generated_at.astimezone(dt.UTC))
    item.add("SEQUENCE", invite.sequence)
    item.add("DTSTART", start)
    item.add("DTEND", end)
    organizer = vCalAddress(f"mailto:{event.organiser_email}")
    organizer.params["CN"] = vText(event.organiser_name)
    item.add("ORGANIZER", organizer)
    item.add("ATTENDEE", ics.attendee(invite))
    item.add("SUMMARY", ics.summary(invite), parameters={"LANGUAGE": invite.language})
    if invite.method == "CANCEL":
        item.add("STATUS", "CANCELLED")
        item.add("DESCRIPTION", ics.cancellation_text(view, invite), parameters={"LANGUAGE": invite.language})
    else:
        item.add("STATUS", "CONFIRMED")
        item.add("DESCRIPTION", ics.description(view, invite), parameters={"LANGUAGE": invite.language})
        assert event.speaker_link
        item.add("LOCATION", event.speaker_link)
        item.add("URL", vUri(event.speaker_link))
        conference = vUri(event.speaker_link)
        conference.params["VALUE"] = "URI"
        conference.params["FEATURE"] = ["AUDIO", "VIDEO"]
        conference.params["LABEL"] = translator(invite.language)._("Speakers' link")
        item.add("CONFERENCE", conference)
        alarm = Alarm()
        alarm.add("ACTION", "DISPLAY")
        alarm.add("DESCRIPTION", ics.alarm_text(s, invite.language), parameters={"LANGUAGE": invite.language})
        alarm.add("TRIGGER", dt.timedelta(minutes=-(event.tech_check_minutes + ics.ALARM_MINUTES)))
        item.add_component(alarm)
    cal.add_component(item)
    return bytes(cal.to_ical())


def reference_message(view: PlanView, invite: InviteView) -> bytes:
    """The mail as one EmailMessage, flattened whole."""
    event = view.event
    calendar = reference_invitation(view, invite)
    uid = ics.invite_uid(event, invite.applicant.id, invite.session.id)
    msg = EmailMessage(policy=mail.POLICY)
    msg["From"] = Address(one_line(event.organiser_name), addr_spec=event.organiser_email)
    msg["To"] = Address(one_line(invite.applicant.name), addr_spec=invite.applicant.email)
    msg["Subject"] = one_line(mail.subject(invite))
    msg["Date"] = format_datetime(view.plan.generated_at)
    msg["Message-ID"] = mail.message_id(uid, invite.sequence, invite.method)
    msg.set_content(mail.letter(view, invite))
    msg.add_alternative(
        calendar.decode("utf-8"), subtype="calendar", charset="UTF-8", params={"method": invite.method}
    )
    msg.add_attachment(calendar, maintype="application", subtype="ics", filename="invite.ics")
    for part in msg.iter_parts():
        for inner in (part, *part.iter_parts()):
            del inner["MIME-Version"]
    seed = f"{uid}|{invite.sequence}|{invite.method}"
    msg.set_boundary(mail._boundary(seed, "mixed"))
    alternative = msg.get_payload(0)
    assert isinstance(alternative, EmailMessage)
    alternative.set_boundary(mail._boundary(seed, "alternative"))
    return msg.as_bytes(policy=mail.POLICY)


def test_the_views_hold_every_case(views: list[PlanView]) -> None:
    invites = [i for v in views for i in v.invites]
    assert {i.method for i in invites} == {"REQUEST", "CANCEL"}
    assert {i.role for i in invites} == {Role.MODERATOR, Role.SPEAKER}
    assert {i.applicant.timezone for i in invites} >= set(ZONES)
    assert {i.applicant.name for i in invites} >= set(PEOPLE) - {""}


def test_invitations_are_what_icalendar_writes(views: list[PlanView]) -> None:
    for view in views:
        invitations = ics.Invitations(view)
        for invite in view.invites:
            assert invitations.make(invite).calendar == reference_invitation(view, invite), (
                invite.applicant.name
            )


def test_messages_are_what_the_email_package_writes(views: list[PlanView]) -> None:
    for view in views:
        for invite in view.invites:
            assert mail.message(view, invite) == reference_message(view, invite), invite.applicant.name


@pytest.mark.parametrize(
    "line",
    [
        "SUMMARY:short",
        "X" * 74,
        "X" * 75,
        "D" * 300,
        "D" * 73 + "\\,rest of the line that goes on and on beyond the fold" * 3,
        "D" * 72 + "\\\\,and more" + "x" * 80,
        "D" * 73 + "^nafter a caret" + "y" * 70,
        "DESCRIPTION:" + "é" * 100,
        "DESCRIPTION:" + "日本語のテキスト" * 20,
        "DESCRIPTION:" + "🌍🤝" * 40,
        "A" * 72 + "é" + "b" * 80,
        "A" * 73 + "🌍" + "b" * 80,
        "ATTENDEE;CN=" + "Zoe\u0301 " * 30 + ":mailto:z@example.org",
    ],
)
def test_lines_are_folded_as_icalendar_folds_them(line: str) -> None:
    assert ics._fold(line) == Contentline(line).to_ical() + b"\r\n"


@pytest.mark.parametrize(
    "text",
    [
        "Short ASCII lines\nonly\n",
        "A line of ASCII longer than seventy-eight characters, which needs quoted-printable, yes.\nend",
        "Ünïcödé in a short line\n",
        "Жанар Абенова, Ляззат Калиева и Гульнара Сейткали\n" * 12,
        "x\n" * 30 + "é",
        "",
        "no newline at the end",
        "Carriage\rreturns\r\nand line feeds\n",
    ],
)
def test_text_parts_are_encoded_as_set_content_encodes_them(text: str) -> None:
    part = MIMEPart(policy=mail.POLICY)
    part.set_content(text)
    assert mail._encode_text(text) == (part["Content-Transfer-Encoding"], part.get_payload())


@pytest.mark.parametrize("name", [*PEOPLE, "O'Neil", "a_b-c", "Dot. Name", "Tab\tName"])
@pytest.mark.parametrize("address", [*ADDRESSES, "x@localhost"])
def test_address_headers_are_what_the_email_package_writes(name: str, address: str) -> None:
    name = one_line(name)
    policy = email.policy.SMTP.clone(cte_type="7bit")
    expected = policy.fold_binary(*policy.header_store_parse("To", Address(name, addr_spec=address)))
    assert mail._address_header("To", name, address) == expected


@pytest.mark.parametrize(
    "value", ["<P1-S1.0.request@tiny.example.org>", "<a..b.1.cancel@x.org>", "<p.0.request@with space.org>"]
)
def test_message_ids_are_what_the_email_package_writes(value: str) -> None:
    expected = mail.POLICY.fold_binary(*mail.POLICY.header_store_parse("Message-ID", value))
    assert mail._header("Message-ID", value, plain=bool(mail._PLAIN_ID.fullmatch(value))) == expected


# Addresses of one shape (the same lengths of dot-atoms), and long ones that push the address onto a line of its own
# or the name's encoded words over two lines.
SHAPED = [
    "marta.kovacevic.p00001@example.org",
    "lucia.horvathx.p12345@example.org",
    "a.b@c.d",
    "x+y_z-w@e.f",
    "marta.kovacevic.1234567890.and.some.more.words@mail.of.a.long.example.org",
    "m" * 60 + "@example.org",
]


@pytest.mark.parametrize("name", ["Marta Kovačević", "Léa Tanaka Müller", "A Ă B Ć", "Анна Кузнецова", *PEOPLE])
def test_address_headers_of_one_name_are_what_the_email_package_writes_for_each_address(name: str) -> None:
    name = one_line(name)
    policy = email.policy.SMTP.clone(cte_type="7bit")
    for address in SHAPED:
        expected = policy.fold_binary(*policy.header_store_parse("To", Address(name, addr_spec=address)))
        assert mail._address_header("To", name, address) == expected, address


@pytest.mark.parametrize(
    "text",
    [
        "Хорошо\x0bвертикальная табуляция\x0cи\x1cразделители\n" * 3,  # bytes that read as line breaks in Latin-1
        "Même ligne\nMême ligne\n" * 8 + "fin",
        "trailing space \ntab\t\n" + "é" * 80 + " \n",
    ],
)
def test_text_parts_of_repeated_and_odd_lines_are_encoded_as_set_content_encodes_them(text: str) -> None:
    part = MIMEPart(policy=mail.POLICY)
    part.set_content(text)
    assert mail._encode_text(text) == (part["Content-Transfer-Encoding"], part.get_payload())
