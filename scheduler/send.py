"""Sending the mail-ready invitations of a published plan (`OUT/mail/*.eml`) over SMTP, each version once.

Every message delivered is recorded in the sent log, `<OUT>.sent.jsonl` *beside* the output folder
(`out.sent.jsonl` for `out/`): `plan` and `export` replace the whole output folder atomically on every run, so a log
inside it would be lost or would need copying forward; beside it, it survives every re-plan as it is. The log holds
one line per message, a JSON object (participant, session, uid, sequence, method, to, sent_at, message_id),
appended and written to disk as soon as the message is delivered, so an interrupted run loses nothing it has sent
(a line cut short by a crash is the only one ever ignored); appending keeps sending 10,000 messages linear.

An invitation is sent unless the log already holds its UID with the same SEQUENCE and METHOD (sent before), or
with a higher SEQUENCE or the same SEQUENCE and another METHOD (superseded: calendars would ignore it). Which
participant and session a mail file belongs to is read from the plan.json beside it; UID, SEQUENCE and METHOD
from the message's own calendar part, so the log records what was really sent.

One run at a time sends on a log: it holds `<OUT>.sent.jsonl.lock` beside it (see `exclusive`), so two runs started
at once send each message once between them. Each step of the SMTP conversation has an overall deadline, since a
server may answer a byte at a time.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import smtplib
import socket
import ssl
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from email import message_from_bytes
from email.utils import format_datetime, parseaddr
from enum import StrEnum
from pathlib import Path
from typing import TypeVar

from filelock import FileLock, Timeout
from icalendar import Calendar

from scheduler import interrupt
from scheduler.export.mail import file_name
from scheduler.store import PlanFileError, read_plan

log = logging.getLogger(__name__)
_T = TypeVar("_T")
# Deadlines for a whole step, not for each read: a server that trickles its replies a byte at a time would
# otherwise hold `send` forever. Ample for a real relay across the world, and for one message of a few hundred KB.
CONNECT_SECONDS = 60.0  # to connect, read the greeting, start TLS and log in
MESSAGE_SECONDS = 120.0  # to send one message and read the server's answer
QUIT_SECONDS = 5.0  # to say goodbye: everything is sent by then, so a slow goodbye is not worth waiting for


class NoMail(Exception):
    """OUT holds no plan with mail-ready invitations."""


class CannotSend(Exception):
    """The SMTP server cannot be reached, or stopped talking; the message names it."""


class BadLog(Exception):
    """The sent log exists but cannot be read."""


class _Overdue(Exception):
    """A step of the SMTP conversation passed its deadline."""


class Status(StrEnum):
    NEW = "to send"
    SENT = "sent before"
    SUPERSEDED = "superseded"  # a later version of the invitation was sent: calendars would ignore this one


@dataclass(frozen=True)
class Outgoing:
    """One mail file and what identifies it."""

    path: Path
    participant: str
    session: str
    to: str
    uid: str
    sequence: int
    method: str
    message_id: str


@dataclass(frozen=True)
class Sent:
    """One entry of the sent log."""

    participant: str
    session: str
    uid: str
    sequence: int
    method: str
    to: str
    sent_at: str
    message_id: str


def log_path(out: Path) -> Path:
    """The sent log of an output folder: `<OUT>.sent.jsonl` beside it."""
    folder = out.resolve()
    return folder.with_name(f"{folder.name}.sent.jsonl")


def lock_path(log_file: Path) -> Path:
    """The lock file beside a sent log that one `send` holds while it sends (`out.sent.jsonl.lock`)."""
    return log_file.with_name(f"{log_file.name}.lock")


@contextmanager
def exclusive(log_file: Path, on_wait: Callable[[Path], None]) -> Iterator[None]:
    """Hold the sent log for this run alone, waiting for another run that holds it to finish (`on_wait` is told
    the lock file first). Read the log only once inside: what the other run sent is in it by then, so two runs at
    once send each message once between them. The lock is the operating system's, released when the process
    ends, however it ends."""
    lock = FileLock(lock_path(log_file))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        on_wait(lock_path(log_file))
        lock.acquire()
    try:
        yield
    finally:
        lock.release()


def parse_server(text: str) -> tuple[str, int]:
    """`HOST:PORT` (or `[IPv6]:PORT`) as (host, port); ValueError with a message when it is not."""
    host, colon, port = text.rpartition(":")
    host = host.removeprefix("[").removesuffix("]")
    if not colon or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError(f"{text!r} is not HOST:PORT, e.g. smtp.example.org:25 or 127.0.0.1:1025")
    return host, int(port)


def outgoing(out: Path) -> list[Outgoing]:
    """The mail files of the plan in OUT, by file name; NoMail when there are none to send."""
    folder, plan_file = out / "mail", out / "plan.json"
    if not folder.is_dir() or not plan_file.is_file():
        raise NoMail(f"{out} holds no plan with mail-ready invitations ({folder} not found)")
    try:
        plan = read_plan(plan_file)
    except PlanFileError as error:
        raise NoMail(str(error)) from None
    pairs = {(a.participant, a.session) for a in plan.assignments}
    pairs |= {(c.participant, c.session) for c in plan.cancellations}
    found = []
    for participant, session in pairs:
        path = folder / file_name(participant, session)
        if path.is_file():
            found.append(_read(path, participant, session))
        else:
            log.warning("%s: no mail file (no e-mail address?)", path)
    return sorted(found, key=lambda o: o.path.name)


def read_log(path: Path) -> list[Sent]:
    """The entries of a sent log, after those of the one-document log earlier versions kept beside it
    (`<OUT>.sent.json`); none when neither exists yet."""
    earlier = _earlier_log(path.with_suffix(".json"))
    if not path.exists():
        return earlier
    data = path.read_bytes()
    lines = data.decode("utf-8", errors="replace").splitlines()
    entries = []
    for number, line in enumerate(lines, start=1):
        try:
            entries.append(Sent(**json.loads(line)))
        except (ValueError, TypeError) as error:
            if number == len(lines) and not data.endswith(b"\n"):
                break  # the last line, cut short by a crash while it was written
            raise BadLog(f"{path}, line {number}: not a sent log written by scheduler ({error})") from None
    return earlier + entries


def _earlier_log(path: Path) -> list[Sent]:
    if not path.exists():
        return []
    try:
        return [Sent(**entry) for entry in json.loads(path.read_text(encoding="utf-8"))["sent"]]
    except (ValueError, KeyError, TypeError) as error:
        raise BadLog(f"{path}: not a sent log written by scheduler ({error})") from None


def triage(messages: Iterable[Outgoing], sent: Iterable[Sent]) -> list[tuple[Outgoing, Status]]:
    """Each message with what the log says about it."""
    versions: dict[str, set[tuple[int, str]]] = {}
    for entry in sent:
        versions.setdefault(entry.uid, set()).add((entry.sequence, entry.method))
    result = []
    for message in messages:
        seen = versions.get(message.uid, set())
        if (message.sequence, message.method) in seen:
            status = Status.SENT
        elif any(sequence >= message.sequence for sequence, _ in seen):
            status = Status.SUPERSEDED
        else:
            status = Status.NEW
        result.append((message, status))
    return result


def forgotten(messages: Iterable[Outgoing], sent: Iterable[Sent]) -> list[Sent]:
    """Invitations whose last version sent was a REQUEST but which the plan neither holds nor cancels: they are
    still in those people's calendars."""
    latest: dict[str, Sent] = {}
    for entry in sent:
        if entry.uid not in latest or entry.sequence >= latest[entry.uid].sequence:
            latest[entry.uid] = entry
    current = {m.uid for m in messages}
    return sorted(
        (e for uid, e in latest.items() if uid not in current and e.method == "REQUEST"),
        key=lambda e: (e.participant, e.session),
    )


def deliver(
    messages: Iterable[Outgoing],
    server: tuple[str, int],
    log_file: Path,
    sender: str | None = None,
    on_done: Callable[[Outgoing, str | None], None] | None = None,
    *,
    starttls: bool = False,
    login: tuple[str, str] | None = None,
    connect_seconds: float = CONNECT_SECONDS,
    message_seconds: float = MESSAGE_SECONDS,
) -> dict[Outgoing, str]:
    """Send the messages over one SMTP connection and log each one delivered; the problem of each one refused.

    `sender` replaces the organiser as the envelope sender and is named in a Sender header, for relays that let
    an account send only as itself; From stays the organiser, as calendar clients expect of an invitation.
    `starttls` upgrades the connection to TLS before anything is sent; `login` is (user, password) for a relay
    that asks for it. Connecting (with the greeting, TLS and the login) must be done within `connect_seconds`,
    and each message within `message_seconds`. Raises CannotSend when the server cannot be reached, refuses TLS
    or the login, drops the connection or misses a deadline (what was sent is logged).
    """
    host, port = server
    refused: dict[Outgoing, str] = {}
    smtp = smtplib.SMTP(timeout=connect_seconds)
    watchdog = _Watchdog(smtp)
    try:
        try:
            code, greeting = watchdog.run(connect_seconds, lambda: smtp.connect(host, port))
            if code != 220:
                raise smtplib.SMTPConnectError(code, greeting)
            watchdog.run(connect_seconds, smtp.ehlo_or_helo_if_needed)
        except _Overdue:
            raise CannotSend(
                f"the SMTP server at {host}:{port} did not greet within {connect_seconds:g} s"
            ) from None
        except (OSError, smtplib.SMTPException) as error:
            raise CannotSend(
                f"cannot connect to the SMTP server at {host}:{port}: {_reason(error)}"
            ) from None
        try:
            if starttls:
                watchdog.run(connect_seconds, lambda: smtp.starttls(context=ssl.create_default_context()))
            if login is not None:
                watchdog.run(connect_seconds, lambda: smtp.login(*login))
        except _Overdue:
            raise CannotSend(
                f"the SMTP server at {host}:{port} did not answer TLS or the login within {connect_seconds:g} s "
                "(some go silent to refuse a login)"
            ) from None
        except (OSError, smtplib.SMTPException, RuntimeError) as error:
            raise CannotSend(
                f"the SMTP server at {host}:{port} refused TLS or the login: {_reason(error)}"
            ) from None
        for message in messages:
            interrupt.check()  # a swallowed Ctrl-C stops before the next message, what was sent is logged
            problem = _send_one(smtp, watchdog, message, log_file, sender, message_seconds, server)
            if problem is not None:
                refused[message] = problem
            if on_done is not None:
                on_done(message, problem)
        with suppress(_Overdue, OSError, smtplib.SMTPException):
            watchdog.run(QUIT_SECONDS, smtp.quit)
    finally:
        smtp.close()
    return refused


def _send_one(
    smtp: smtplib.SMTP,
    watchdog: _Watchdog,
    message: Outgoing,
    log_file: Path,
    sender: str | None,
    seconds: float,
    server: tuple[str, int],
) -> str | None:
    """Send one message and log it; the problem when the server refused it; CannotSend when the server failed."""
    # read as compat32, which leaves the written headers and body as they are
    mail = message_from_bytes(message.path.read_bytes())
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    mail.replace_header("Date", format_datetime(now))
    if sender:
        mail["Sender"] = sender
    from_address = sender or parseaddr(mail["From"])[1]
    try:
        watchdog.run(seconds, lambda: smtp.send_message(mail, from_addr=from_address, to_addrs=[message.to]))
    except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as error:
        return _reason(error)
    except _Overdue:
        reason = f"it did not answer within {seconds:g} s"
    except (OSError, smtplib.SMTPException) as error:
        reason = _reason(error)
    else:
        entry = Sent(
            message.participant,
            message.session,
            message.uid,
            message.sequence,
            message.method,
            message.to,
            now.isoformat(),
            message.message_id,
        )
        _append_log(log_file, entry)
        return None
    host, port = server
    raise CannotSend(f"the SMTP server at {host}:{port} failed while sending {message.path.name}: {reason}")


class _Watchdog:
    """Deadlines for the steps of one SMTP conversation. smtplib's timeout applies to each read of the socket, so a
    server that sends a byte now and then is waited for forever; when a step is overdue the watchdog shuts the
    socket down, which ends any read or write under way."""

    def __init__(self, smtp: smtplib.SMTP) -> None:
        self.smtp = smtp
        self.overdue = False

    def run(self, seconds: float, step: Callable[[], _T]) -> _T:
        """The result of `step`, done within `seconds`; _Overdue when it was not (then the connection is lost)."""
        if self.overdue:
            raise _Overdue
        timer = threading.Timer(seconds, self._expire)
        timer.daemon = True
        timer.start()
        try:
            result = step()
        except (OSError, smtplib.SMTPException):
            if self.overdue:
                raise _Overdue from None
            raise
        finally:
            timer.cancel()
        if self.overdue:
            # a reply cut short by the shutdown can read as a whole one ("250 q"): it is not an answer. A message
            # in that case is not logged and goes again next time; the server may have kept it, and calendars
            # take the second copy (same UID and SEQUENCE) for the same invitation.
            raise _Overdue
        return result

    def _expire(self) -> None:
        self.overdue = True
        sock = self.smtp.sock
        if sock is not None:
            with suppress(OSError):  # closed meanwhile
                # the plain socket's shutdown, also under TLS: SSLSocket's own would pull its state from under
                # the thread that is reading
                socket.socket.shutdown(sock, socket.SHUT_RDWR)


def _read(path: Path, participant: str, session: str) -> Outgoing:
    mail = message_from_bytes(path.read_bytes())
    part = next(p for p in mail.walk() if p.get_content_type() == "text/calendar")
    data = part.get_payload(decode=True)
    if not isinstance(data, bytes):
        raise ValueError(f"{path}: the calendar part has no content")
    calendar = Calendar.from_ical(data)
    (vevent,) = calendar.events
    return Outgoing(
        path,
        participant,
        session,
        parseaddr(mail["To"])[1],
        vevent.uid,
        vevent.sequence,
        calendar.method,
        str(mail["Message-ID"]),
    )


def _append_log(path: Path, entry: Sent) -> None:
    with path.open("a", encoding="utf-8") as log_file:
        log_file.write(json.dumps(vars(entry), ensure_ascii=False) + "\n")
        log_file.flush()
        os.fsync(log_file.fileno())


def _reason(error: BaseException) -> str:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return "; ".join(
            f"{to} refused: {code} {_text(text)}" for to, (code, text) in error.recipients.items()
        )
    if isinstance(error, smtplib.SMTPResponseException):
        return f"{error.smtp_code} {_text(error.smtp_error)}"
    return str(error) or type(error).__name__


def _text(reply: bytes | str) -> str:
    return reply if isinstance(reply, str) else reply.decode(errors="replace")
