"""A co-chair withdraws after the invitations went out, through the command line: `plan`, `send`, the applicants
file edited (the co-chair withdrawn, a substitute registered), `plan` again, `send` again to a real SMTP server
(aiosmtpd on loopback). The withdrawn co-chair gets a cancellation in their language, the substitute an
invitation as co-chair, and nobody else anything."""

from __future__ import annotations

import email.policy
import json
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

import pytest
from icalendar import Calendar

from tests.smtp import Inbox
from tests.test_cli import run
from tests.test_release import edit, sequence

EVENT_TOML = """[event]
id = "cochair"
title = "Co-chaired review"
timezone = "Europe/Zurich"
organiser = { name = "Secretariat", email = "secretariat@example.org" }
uid_domain = "cochair.example.org"
languages = ["en", "fr", "ru"]
speaker_link = "https://meet.example.org/j/cochair"

[[days]]
date = 2020-11-12
start = 10:00:00
end = 13:00:00

[[sessions]]
id = "RT1"
title = "Round table one"
title_fr = "Table ronde un"
date = 2020-11-12
start = 10:00:00
minutes = 60
speakers = [1, 2]
co_chairs = 2
co_chairs_differ_in = "category"
segments = { opening = 4, intervention = 5, discussion = 20, closing = 4 }
"""

# A member State's co-chair and a stakeholder's, who corresponds in French.
APPLICANTS = """id,name,email,category,country,level,stakeholder_group,languages,interests,status
M1,Ana Example,ana@example.org,igo,,,,en,RT1:moderator,
K1,Ivan Example,ivan@example.org,member_state,Norway,minister,,ru; en,RT1:co_chair,
K2,Claire Example,claire@example.org,stakeholder,,,civil_society,fr,RT1:co_chair,
P1,Ben Example,ben@example.org,igo,,,,en,RT1:speaker,
"""
WITHDRAWN = "K2,Claire Example,claire@example.org,stakeholder,,,civil_society,fr,RT1:co_chair,withdrawn\n"
SUBSTITUTE = "K3,Dana Example,dana@example.org,stakeholder,,,youth,en,RT1:co_chair,\n"
UNCHANGED = ("K1_RT1", "M1_RT1", "P1_RT1")


def message(data: bytes) -> EmailMessage:
    parsed = BytesParser(policy=email.policy.default).parsebytes(data)
    assert isinstance(parsed, EmailMessage)
    return parsed


def calendar_of(mail: EmailMessage) -> tuple[str, Calendar]:
    """The METHOD parameter of the mail's calendar part, and the calendar it carries."""
    part = next(p for p in mail.walk() if p.get_content_type() == "text/calendar")
    return str(part.get_param("method")), Calendar.from_ical(part.get_content())


def invitations(out: Path) -> dict[str, tuple[bytes, bytes]]:
    """Each invitation's calendar file and mail, by `<participant>_<session>`."""
    return {
        p.stem: (p.read_bytes(), (out / "mail" / f"{p.stem}.eml").read_bytes())
        for p in sorted((out / "calendar" / "invites").glob("*.ics"))
    }


@pytest.fixture(scope="module")
def replanned(
    tmp_path_factory: pytest.TempPathFactory, smtp_server: tuple[Inbox, str]
) -> tuple[dict[str, tuple[bytes, bytes]], Path, list[EmailMessage], list[EmailMessage]]:
    """The invitations of version 1, OUT after the re-plan, and the mail each `send` delivered."""
    inbox, address = smtp_server
    root = tmp_path_factory.mktemp("co_chair")
    event, out = root / "event", root / "out"
    event.mkdir()
    (event / "event.toml").write_text(EVENT_TOML, encoding="utf-8")
    (event / "applicants.csv").write_text(APPLICANTS, encoding="utf-8")
    for args in (("plan", event, "--out", out), ("send", out, "--smtp", address, "--really")):
        done = run(*args)
        assert done.returncode == 0, done.stderr
    first = [message(data) for _, _, data in inbox.received]
    before = invitations(out)
    edit(event / "applicants.csv", WITHDRAWN.replace("withdrawn", ""), WITHDRAWN + SUBSTITUTE)
    for args in (("plan", event, "--out", out), ("send", out, "--smtp", address, "--really")):
        done = run(*args)
        assert done.returncode == 0, done.stderr
    second = [message(data) for _, _, data in inbox.received[len(first) :]]
    return before, out, first, second


def test_the_first_send_delivers_every_invitation_once(
    replanned: tuple[dict[str, tuple[bytes, bytes]], Path, list[EmailMessage], list[EmailMessage]],
) -> None:
    before, _, first, _ = replanned
    assert sorted(m["Message-ID"] for m in first) == sorted(
        f"<{name.replace('_', '-')}.0.request@cochair.example.org>" for name in before
    )


def test_the_withdrawn_co_chair_gets_a_cancellation_in_french(
    replanned: tuple[dict[str, tuple[bytes, bytes]], Path, list[EmailMessage], list[EmailMessage]],
) -> None:
    _, out, _, _ = replanned
    calendar = Calendar.from_ical((out / "calendar" / "invites" / "K2_RT1.ics").read_bytes())
    (vevent,) = calendar.events
    assert (calendar.method, vevent.sequence, str(vevent["STATUS"])) == ("CANCEL", 1, "CANCELLED")
    assert vevent["SUMMARY"] == "Coprésident·e : Table ronde un"
    assert vevent["SUMMARY"].params["LANGUAGE"] == "fr"
    mail = message((out / "mail" / "K2_RT1.eml").read_bytes())
    assert mail["Subject"] == "Annulation : coprésident·e de la séance « Table ronde un »"
    assert mail["To"].addresses[0].addr_spec == "claire@example.org"
    method, attached = calendar_of(mail)
    assert method == attached.method == "CANCEL"
    assert attached.events[0].sequence == 1


def test_the_substitute_is_invited_as_co_chair_and_nobody_else_hears_anything(
    replanned: tuple[dict[str, tuple[bytes, bytes]], Path, list[EmailMessage], list[EmailMessage]],
) -> None:
    before, out, _, _ = replanned
    after = invitations(out)
    assert after.keys() == {*before, "K3_RT1"}
    calendar, mail = after["K3_RT1"]
    assert sequence(calendar) == 0
    (vevent,) = Calendar.from_ical(calendar).events
    assert vevent["SUMMARY"] == "Co-chair: Round table one"
    assert str(vevent["ATTENDEE"].params["ROLE"]) == "CHAIR"
    letter = message(mail)
    assert letter["Subject"] == "Invitation: Co-chair of Round table one"
    assert (
        "Your role: co-chair"
        in next(p for p in letter.walk() if p.get_content_type() == "text/plain").get_content()
    )
    for name in UNCHANGED:  # the other co-chair, the moderator and the speaker: not a byte changed
        assert after[name] == before[name], name
        assert sequence(after[name][0]) == 0


def test_the_second_send_delivers_exactly_the_cancellation_and_the_new_invitation(
    replanned: tuple[dict[str, tuple[bytes, bytes]], Path, list[EmailMessage], list[EmailMessage]],
) -> None:
    _, _, _, second = replanned
    assert sorted((m["Message-ID"], m["To"].addresses[0].addr_spec) for m in second) == [
        ("<K2-RT1.1.cancel@cochair.example.org>", "claire@example.org"),
        ("<K3-RT1.0.request@cochair.example.org>", "dana@example.org"),
    ]
    assert sorted(calendar_of(m)[0] for m in second) == ["CANCEL", "REQUEST"]


def test_plan_json_carries_the_co_chairs_and_the_change(
    replanned: tuple[dict[str, tuple[bytes, bytes]], Path, list[EmailMessage], list[EmailMessage]],
) -> None:
    _, out, _, _ = replanned
    plan = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    assert plan["version"] == 2
    assert sorted((a["participant"], a["role"], a["sequence"]) for a in plan["assignments"]) == [
        ("K1", "co_chair", 0),
        ("K3", "co_chair", 0),
        ("M1", "moderator", 0),
        ("P1", "speaker", 0),
    ]
    (session,) = plan["sessions"]
    assert session["co_chairs"] == ["K1", "K3"]  # the member State's first: they open
    openers = [i["participant"] for i in session["running_order"] if i["segment"] == "opening"]
    assert openers == ["K1", "K3"]
    assert {i["role"] for i in session["running_order"] if i["segment"] == "opening"} == {"co_chair"}
    assert sorted((c["kind"], c["participant"], c["role"], c["reason"]) for c in plan["changes"]) == [
        ("added", "K3", "co_chair", "replaces K2"),
        ("removed", "K2", "co_chair", "withdrawn"),
    ]
