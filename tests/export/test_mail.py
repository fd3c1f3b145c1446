"""Mail-ready invitations (RFC 6047 iMIP) of the default event, and `scheduler send` delivering them to a real SMTP
server (aiosmtpd on loopback): every message once, nothing twice, a re-plan's cancellation and updates only.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import email.policy
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from icalendar import Calendar

from scheduler import release
from scheduler.cli import main
from scheduler.domain import Event, Plan, Role
from scheduler.export.mail import write_mail
from scheduler.export.outputs import write_outputs
from scheduler.i18n import person_language
from scheduler.load import load_event
from scheduler.publish import publish
from scheduler.send import BadLog, Outgoing, Sent, Status, forgotten, log_path, read_log, triage
from scheduler.views import build_view
from tests.ports import free_port
from tests.smtp import Inbox

ROOT = Path(__file__).resolve().parents[2]
GENERATED = dt.datetime(2020, 11, 10, tzinfo=dt.UTC)
REPLANNED = dt.datetime(2020, 11, 10, 18, 30, tzinfo=dt.UTC)
ORGANISER = "secretariat@example.org"


def read(data: bytes) -> EmailMessage:
    message = BytesParser(policy=email.policy.default).parsebytes(data)
    assert isinstance(message, EmailMessage)
    return message


def calendar_part(message: EmailMessage) -> EmailMessage:
    return next(p for p in message.walk() if p.get_content_type() == "text/calendar")


@dataclasses.dataclass
class Planned:
    event: Event
    plan: Plan
    out: Path


@pytest.fixture(scope="module")
def planned(tmp_path_factory: pytest.TempPathFactory) -> Planned:
    """The default event planned once and published into OUT as `scheduler plan` does."""
    event = load_event(ROOT / "data" / "gcm2020-unece")
    result = release.plan(event, generated_at=GENERATED)
    out = tmp_path_factory.mktemp("published") / "out"
    publish(out, lambda staging: write_outputs(build_view(event, result), staging))
    return Planned(event, result, out)


# --- the messages --------------------------------------------------------------------------------------------


def test_one_message_per_invitation_file(planned: Planned) -> None:
    invites = {p.stem for p in (planned.out / "calendar" / "invites").glob("*.ics")}

    assert {p.stem for p in (planned.out / "mail").glob("*.eml")} == invites
    assert len(invites) == len(planned.plan.assignments)


def test_each_message_is_an_imip_request_to_its_participant(planned: Planned) -> None:
    people = planned.event.applicant_by_id
    for assignment in planned.plan.assignments:
        name = f"{assignment.participant}_{assignment.session}"
        data = (planned.out / "mail" / f"{name}.eml").read_bytes()
        ics = (planned.out / "calendar" / "invites" / f"{name}.ics").read_bytes()
        message = read(data)
        alternative, attachment = message.iter_parts()
        plain, calendar = alternative.iter_parts()
        person = people[assignment.participant]

        assert max(data) < 128, "7-bit only, for any relay"
        assert message.get_content_type() == "multipart/mixed"
        assert alternative.get_content_type() == "multipart/alternative"
        assert (plain.get_content_type(), calendar.get_content_type()) == ("text/plain", "text/calendar")
        assert calendar.get_param("method") == "REQUEST"
        assert str(calendar.get_param("charset")).upper() == "UTF-8"
        assert attachment.get_content_type() == "application/ics"
        assert attachment.get_filename() == "invite.ics"
        assert attachment.get_content() == ics
        assert calendar.get_content().replace("\r\n", "\n") == ics.decode().replace("\r\n", "\n")
        assert Calendar.from_ical(calendar.get_content()).method == "REQUEST"
        assert message["From"].addresses[0].addr_spec == ORGANISER
        assert [a.addr_spec for a in message["To"].addresses] == [person.email]
        assert message["To"].addresses[0].display_name == person.name
        assert message["Date"] == format_datetime(GENERATED)
        assert message["Message-ID"] == f"<{name.replace('_', '-')}.0.request@gcm2020-unece.example.org>"
        assert person.name in plain.get_content().split("\r\n")[0]
        if person_language(planned.event, person) != "en":
            continue  # the French and Russian wording: tests/test_i18n.py
        # Python's folder may put a whole subject on a continuation line; readers drop the space it leaves
        role = "Speaker in" if assignment.role is Role.SPEAKER else f"{assignment.role.value.capitalize()} of"
        role = role.replace("_", "-")  # co_chair: "Co-chair of"
        assert message["Subject"].strip() == f"Invitation: {role} " + (
            planned.event.session_by_id[assignment.session].title
        )
        assert plain.get_content().startswith(f"Dear {person.name},\r\n")
        assert "Your role: " in plain.get_content()


def test_messages_are_byte_stable(planned: Planned, tmp_path: Path) -> None:
    write_mail(build_view(planned.event, planned.plan), tmp_path / "again")

    for path in (planned.out / "mail").glob("*.eml"):
        assert (tmp_path / "again" / path.name).read_bytes() == path.read_bytes(), path.name


# --- sending -------------------------------------------------------------------------------------------------


@pytest.fixture
def smtp(smtp_server: tuple[Inbox, str]) -> tuple[Inbox, str]:
    inbox, address = smtp_server
    inbox.received.clear()
    inbox.refuse.clear()
    return inbox, address


@pytest.fixture
def out(planned: Planned, tmp_path: Path) -> Path:
    """A copy of the published OUT with no sent log yet."""
    copy = tmp_path / "out"
    shutil.copytree(planned.out, copy)
    return copy


def sent_log(out: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in log_path(out).read_text(encoding="utf-8").splitlines()]


def test_dry_run_lists_every_message_and_sends_nothing(
    out: Path, smtp: tuple[Inbox, str], capsys: pytest.CaptureFixture[str]
) -> None:
    inbox, address = smtp

    code = main(["send", str(out), "--smtp", address])

    printed = capsys.readouterr().out
    assert code == 0
    assert inbox.received == []
    assert not log_path(out).exists()
    count = len(list((out / "mail").glob("*.eml")))
    assert f"{count} of {count} messages would be sent" in printed
    assert "--really" in printed


def test_really_sends_every_message_once(planned: Planned, out: Path, smtp: tuple[Inbox, str]) -> None:
    inbox, address = smtp
    files = {p.name: read(p.read_bytes()) for p in (out / "mail").glob("*.eml")}

    assert main(["send", str(out), "--smtp", address, "--really"]) == 0

    assert len(inbox.received) == len(files)
    by_id = {m["Message-ID"]: m for m in files.values()}
    for sender, recipients, data in inbox.received:
        message = read(data)
        original = by_id[message["Message-ID"]]
        calendar = Calendar.from_ical(calendar_part(message).get_content())
        assert sender == ORGANISER
        assert recipients == [original["To"].addresses[0].addr_spec]
        assert calendar.method == calendar_part(message).get_param("method") == "REQUEST"
        assert (
            calendar.events[0].uid == Calendar.from_ical(calendar_part(original).get_content()).events[0].uid
        )
        assert message["Date"] != original["Date"]  # the time of sending, not of planning
    log = sent_log(out)
    assert len(log) == len(files)
    assert set(log[0]) == {
        "participant",
        "session",
        "uid",
        "sequence",
        "method",
        "to",
        "sent_at",
        "message_id",
    }
    assert {(e["participant"], e["session"], e["sequence"], e["method"]) for e in log} == {
        (a.participant, a.session, 0, "REQUEST") for a in planned.plan.assignments
    }

    assert main(["send", str(out), "--smtp", address, "--really"]) == 0
    assert len(inbox.received) == len(files)


def test_a_replan_sends_only_the_cancellation_and_the_changed_invitations(
    planned: Planned, out: Path, smtp: tuple[Inbox, str]
) -> None:
    inbox, address = smtp
    assert main(["send", str(out), "--smtp", address, "--really"]) == 0
    first = len(inbox.received)
    english = {a.id for a in planned.event.applicants if person_language(planned.event, a) == "en"}
    leaving = next(a for a in planned.plan.assignments if a.role is Role.SPEAKER and a.participant in english)
    event = dataclasses.replace(
        planned.event,
        applicants=tuple(
            dataclasses.replace(a, withdrawn=True) if a.id == leaving.participant else a
            for a in planned.event.applicants
        ),
    )
    result = release.plan(event, previous=planned.plan, generated_at=REPLANNED)
    publish(out, lambda staging: write_outputs(build_view(event, result), staging))  # swaps OUT

    assert main(["send", str(out), "--smtp", address, "--really"]) == 0

    sent = [read(data) for _, _, data in inbox.received[first:]]
    changed = {(a.participant, a.session, a.sequence) for a in result.assignments if a.sequence > 0}
    before = {(a.participant, a.session) for a in planned.plan.assignments}
    changed |= {
        (a.participant, a.session, 0) for a in result.assignments if (a.participant, a.session) not in before
    }
    expected = {f"<{p}-{s}.{n}.request@gcm2020-unece.example.org>" for p, s, n in changed}
    expected.add(f"<{leaving.participant}-{leaving.session}.1.cancel@gcm2020-unece.example.org>")
    assert {m["Message-ID"] for m in sent} == expected
    cancel = next(m for m in sent if "cancel" in m["Message-ID"])
    calendar = Calendar.from_ical(calendar_part(cancel).get_content())
    assert calendar_part(cancel).get_param("method") == calendar.method == "CANCEL"
    assert str(calendar.events[0]["STATUS"]) == "CANCELLED"
    assert calendar.events[0].sequence == 1
    assert cancel["Subject"].strip().startswith("Cancelled: Speaker in ")
    assert {
        m["Subject"].strip().split(":")[0]
        for m in sent
        if m is not cancel
        and m["To"].addresses[0].addr_spec in {a.email for a in planned.event.applicants if a.id in english}
    } <= {"Updated invitation", "Invitation"}
    assert len(sent_log(out)) == first + len(expected)


def test_from_sets_the_envelope_sender_and_keeps_the_organiser_in_from(
    out: Path, smtp: tuple[Inbox, str]
) -> None:
    inbox, address = smtp

    assert main(["send", str(out), "--smtp", address, "--really", "--from", "relay@example.org"]) == 0

    sender, _, data = inbox.received[0]
    message = read(data)
    assert sender == "relay@example.org"
    assert message["Sender"] == "relay@example.org"
    assert message["From"].addresses[0].addr_spec == ORGANISER


def test_a_refused_recipient_is_reported_and_sent_next_time(
    out: Path, smtp: tuple[Inbox, str], capsys: pytest.CaptureFixture[str]
) -> None:
    inbox, address = smtp
    first = sorted((out / "mail").glob("*.eml"))[0]
    refused = read(first.read_bytes())["To"].addresses[0].addr_spec
    inbox.refuse.add(refused)

    assert main(["send", str(out), "--smtp", address, "--really"]) == 1

    assert f"{first.name} to {refused} not sent" in capsys.readouterr().err
    assert refused not in {e["to"] for e in sent_log(out)}
    inbox.refuse.clear()
    before = len(inbox.received)
    assert main(["send", str(out), "--smtp", address, "--really"]) == 0
    assert [recipients for _, recipients, _ in inbox.received[before:]] == [[refused]]


def test_cannot_connect_exits_1_naming_the_server(out: Path, capsys: pytest.CaptureFixture[str]) -> None:
    port = free_port()  # nothing listens there

    code = main(["send", str(out), "--smtp", f"127.0.0.1:{port}", "--really"])

    err = " ".join(capsys.readouterr().err.split())
    assert code == 1
    assert f"cannot connect to the SMTP server at 127.0.0.1:{port}" in err
    assert "hint:" in err
    assert not log_path(out).exists()


def test_no_mail_folder_exits_2_with_a_hint(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["send", str(tmp_path / "missing"), "--smtp", "127.0.0.1:25"])

    err = " ".join(capsys.readouterr().err.split())
    assert code == 2
    assert "no plan with mail-ready invitations" in err
    assert "scheduler plan" in err


def test_smtp_must_be_host_and_port(out: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["send", str(out), "--smtp", "localhost"])

    assert exited.value.code == 2
    assert "is not HOST:PORT" in capsys.readouterr().err


def run_cli(*args: str | Path, stdout: Any = subprocess.DEVNULL) -> subprocess.Popen[str]:
    """`scheduler` in a process of its own, started and left running; its output not a terminal."""
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    return subprocess.Popen(
        [sys.executable, "-m", "scheduler", *map(str, args)],
        cwd=ROOT, env=env, stdout=stdout, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


class GatedInbox(Inbox):
    """An inbox that holds the first message until two senders are under way: both have begun a message, or one
    said it waits for the other. So neither can finish before the other has started."""

    def __init__(self) -> None:
        super().__init__()
        self.peers: set[Any] = set()
        self.gate = threading.Event()

    async def handle_MAIL(
        self, server: Any, session: Any, envelope: Any, address: str, mail_options: list[str]
    ) -> str:
        self.peers.add(session.peer)
        if len(self.peers) == 2:
            self.gate.set()
        envelope.mail_from = address
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        while not self.gate.is_set():
            await asyncio.sleep(0.05)
        return await super().handle_DATA(server, session, envelope)


def test_two_sends_at_once_deliver_each_message_once(out: Path) -> None:
    addresses = sorted(
        read(p.read_bytes())["To"].addresses[0].addr_spec for p in (out / "mail").glob("*.eml")
    )
    inbox = GatedInbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        runs = [run_cli("send", out, "--smtp", f"127.0.0.1:{controller.port}", "--really") for _ in range(2)]
        errors: list[list[str]] = [[], []]

        def watch(run: subprocess.Popen[str], lines: list[str]) -> None:
            assert run.stderr is not None
            with run.stderr:
                for line in run.stderr:
                    lines.append(line)
                    if "waiting for it to finish" in line:
                        inbox.gate.set()

        watchers = [threading.Thread(target=watch, args=pair) for pair in zip(runs, errors, strict=True)]
        for watcher in watchers:
            watcher.start()
        codes = [run.wait(timeout=600) for run in runs]
        for watcher in watchers:
            watcher.join()
    finally:
        controller.stop()

    assert codes == [0, 0], errors
    assert sorted(to for _, recipients, _ in inbox.received for to in recipients) == addresses
    assert sorted(e["to"] for e in sent_log(out)) == addresses
    assert sum(any("Another send from" in line for line in lines) for lines in errors) == 1


class Trickler:
    """An SMTP server on loopback gone slow: it answers normally until it has accepted `accept` messages (None:
    not even a greeting), then trickles a reply one byte every 0.2 s and never ends the line. It stops itself when
    the client gives up, when the test ends, or after a minute."""

    def __init__(self, accept: int | None) -> None:
        self.accept = accept
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(60)
        self.address = f"127.0.0.1:{self.listener.getsockname()[1]}"
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.stop.set()
        self.thread.join()
        self.listener.close()

    def _serve(self) -> None:
        try:
            connection, _ = self.listener.accept()
        except OSError:
            return
        with connection, connection.makefile("rb") as lines:
            if self.accept is None:
                self._trickle(connection, b"220 relay.example.org ESMTP is waking up")
                return
            connection.sendall(b"220 relay.example.org ESMTP\r\n")
            accepted = 0
            while (line := lines.readline()) and not self.stop.is_set():
                verb = line[:4].upper()
                if verb == b"QUIT":
                    connection.sendall(b"221 bye\r\n")
                    return
                if verb != b"DATA":
                    connection.sendall(b"250 relay.example.org\r\n")
                    continue
                connection.sendall(b"354 go ahead\r\n")
                while lines.readline() not in (b".\r\n", b""):
                    pass
                if accepted == self.accept:
                    self._trickle(connection, b"250 queued as soon as the disk has room")
                    return
                accepted += 1
                connection.sendall(b"250 queued\r\n")

    def _trickle(self, connection: socket.socket, reply: bytes) -> None:
        for byte in reply * 10:  # at 0.2 s a byte, over a minute
            if self.stop.wait(0.2):
                return
            try:
                connection.sendall(bytes([byte]))
            except OSError:  # the client gave up
                return


@pytest.fixture
def trickler(request: pytest.FixtureRequest) -> Iterator[Trickler]:
    server = Trickler(request.param)
    try:
        yield server
    finally:
        server.close()


@pytest.mark.parametrize("trickler", [None], indirect=True)
def test_a_server_that_trickles_its_greeting_is_given_up_after_the_timeout(
    out: Path, trickler: Trickler, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["send", str(out), "--smtp", trickler.address, "--really", "--timeout", "1"])

    err = " ".join(capsys.readouterr().err.split())
    total = len(list((out / "mail").glob("*.eml")))
    assert code == 1
    assert f"the SMTP server at {trickler.address} did not greet within 1 s" in err
    assert f"Sent 0 of {total} messages before stopping; {total} not sent." in err
    assert not log_path(out).exists()


@pytest.mark.parametrize("trickler", [2], indirect=True)
def test_a_server_that_trickles_a_reply_stops_send_with_what_was_sent_logged(
    out: Path, trickler: Trickler, capsys: pytest.CaptureFixture[str]
) -> None:
    files = sorted((out / "mail").glob("*.eml"))

    code = main(["send", str(out), "--smtp", trickler.address, "--really", "--timeout", "1"])

    err = " ".join(capsys.readouterr().err.split())
    assert code == 1
    assert f"failed while sending {files[2].name}: it did not answer within 1 s" in err
    assert f"Sent 2 of {len(files)} messages before stopping; {len(files) - 2} not sent." in err
    assert f"What was sent is in {log_path(out)}: run send again for the rest." in err
    assert [e["message_id"] for e in sent_log(out)] == [read(f.read_bytes())["Message-ID"] for f in files[:2]]


def test_a_dry_run_into_a_file_prints_every_address_whole(out: Path, tmp_path: Path) -> None:
    listing = tmp_path / "dry-run.txt"
    with listing.open("w", encoding="utf-8") as stdout:
        run = run_cli("send", out, "--smtp", "127.0.0.1:25", stdout=stdout)
        _, stderr = run.communicate(timeout=600)

    assert run.returncode == 0, stderr
    rows = listing.read_text(encoding="utf-8").splitlines()
    for path in (out / "mail").glob("*.eml"):
        to = read(path.read_bytes())["To"].addresses[0].addr_spec
        assert any(path.name in row and f" {to} " in row for row in rows), (path.name, to)


# --- what the log decides ------------------------------------------------------------------------------------


def outgoing(uid: str, sequence: int, method: str = "REQUEST") -> Outgoing:
    return Outgoing(Path(f"{uid}.eml"), "P1", "S1", "p1@example.org", uid, sequence, method, f"<{uid}>")


def logged(uid: str, sequence: int, method: str = "REQUEST") -> Sent:
    return Sent("P1", "S1", uid, sequence, method, "p1@example.org", "2020-11-10T00:00:00+00:00", f"<{uid}>")


def test_log_skips_what_was_sent_and_what_a_later_version_superseded() -> None:
    messages = [
        outgoing("a", 0),
        outgoing("b", 1),
        outgoing("c", 0),
        outgoing("d", 1, "CANCEL"),
        outgoing("e", 1),
    ]
    log = [logged("a", 0), logged("b", 0), logged("c", 1, "CANCEL"), logged("d", 1), logged("x", 0)]

    assert [(m.uid, status) for m, status in triage(messages, log)] == [
        ("a", Status.SENT),
        ("b", Status.NEW),  # an update
        ("c", Status.SUPERSEDED),  # calendars would ignore a REQUEST below the CANCEL they hold
        ("d", Status.SUPERSEDED),
        ("e", Status.NEW),
    ]
    assert [e.uid for e in forgotten(messages, log)] == ["x"]


class _Accounts:
    """An aiosmtpd authenticator with one account: secretariat / s3cret."""

    def __call__(self, server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> Any:
        from aiosmtpd.smtp import AuthResult, LoginPassword

        good = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
            b"secretariat",
            b"s3cret",
        )
        return AuthResult(success=good)


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")
@pytest.mark.parametrize(("password", "code"), [("s3cret", 0), ("wrong", 1)])
def test_login_with_the_password_from_the_environment(
    out: Path, password: str, code: int, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    inbox = Inbox()
    # A relay that insists on a login (over plain text here: the test has no certificate for STARTTLS).
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port(), authenticator=_Accounts(),
                            auth_required=True, auth_require_tls=False)  # fmt: skip
    controller.start()
    try:
        monkeypatch.setenv("SCHEDULER_SMTP_PASSWORD", password)
        # aiosmtpd answers a failed login only by going silent: do not wait the full minute for it
        result = main(["send", str(out), "--smtp", f"127.0.0.1:{controller.port}", "--user", "secretariat",
                       "--really", "--timeout", "3"])  # fmt: skip
    finally:
        controller.stop()
    assert result == code
    if code == 0:
        assert len(inbox.received) == len(list((out / "mail").glob("*.eml")))
    else:
        assert inbox.received == []
        assert "did not answer TLS or the login within 3 s" in capsys.readouterr().err
        assert not log_path(out).exists()


def test_a_deleted_row_gets_a_cancellation_file_and_a_warning_instead_of_mail(
    planned: Planned, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    gone = next(a for a in planned.plan.assignments if a.role is Role.SPEAKER)
    event = dataclasses.replace(
        planned.event, applicants=tuple(a for a in planned.event.applicants if a.id != gone.participant)
    )
    result = release.plan(event, previous=planned.plan, generated_at=REPLANNED)
    out = tmp_path / "out"
    publish(out, lambda staging: write_outputs(build_view(event, result), staging))

    name = f"{gone.participant}_{gone.session}"
    cancel = Calendar.from_ical((out / "calendar" / "invites" / f"{name}.ics").read_bytes())
    assert cancel.method == "CANCEL"
    assert not (out / "mail" / f"{name}.eml").exists()
    assert [r.getMessage() for r in caplog.records] == [
        f"{gone.participant} is no longer in the applicants file, so the cancellation of {gone.session} cannot "
        "be mailed: tell them yourself, or restore their row with status withdrawn and plan again"
    ]


def test_a_log_line_cut_short_by_a_crash_is_ignored_and_any_other_bad_line_reported(tmp_path: Path) -> None:
    entry = Sent("P1", "S1", "P1-S1@tiny.example.org", 0, "REQUEST", "p1@example.org", "2020-11-10T00:00:00+00:00",
                 "<P1-S1.0.request@tiny.example.org>")  # fmt: skip
    line = json.dumps(vars(entry))
    log = tmp_path / "out.sent.jsonl"
    log.write_text(line + "\n" + line[:40], encoding="utf-8")
    assert read_log(log) == [entry]
    log.write_text(line[:40] + "\n" + line + "\n", encoding="utf-8")
    with pytest.raises(BadLog, match="line 1"):
        read_log(log)


def test_the_log_of_earlier_versions_still_counts(tmp_path: Path) -> None:
    entry = Sent("P1", "S1", "P1-S1@tiny.example.org", 0, "REQUEST", "p1@example.org", "2020-11-10T00:00:00+00:00",
                 "<P1-S1.0.request@tiny.example.org>")  # fmt: skip
    (tmp_path / "out.sent.json").write_text(
        json.dumps({"format": 1, "sent": [vars(entry)]}), encoding="utf-8"
    )
    assert read_log(tmp_path / "out.sent.jsonl") == [entry]
