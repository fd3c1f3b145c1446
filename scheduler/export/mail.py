"""Mail-ready invitations: one RFC 6047 (iMIP) message per invitation file, `mail/<participant>_<session>.eml`.

Each message is multipart/mixed: a multipart/alternative with a text/plain letter and the invitation as
text/calendar (with its METHOD as a parameter, which is what makes Outlook, Gmail, Apple Mail and Thunderbird
offer Accept/Decline or remove a cancelled event), plus the same .ics attached as `invite.ics` for clients that
only import attachments. Google's calendar import ignores SEQUENCE, so updates and cancellations reach
Google users reliably only this way.

The files are byte-stable like the .ics files: Date is the plan's `generated_at`, Message-ID is derived from the
UID, SEQUENCE and METHOD, and the MIME boundaries from the same, never random. Everything is 7-bit (non-ASCII
text is encoded), so any SMTP relay accepts it.
"""

from __future__ import annotations

import binascii
import email.policy
import functools
import hashlib
import logging
import re
from email import quoprimime
from email.headerregistry import Address
from email.utils import format_datetime
from pathlib import Path

from scheduler.domain import Role
from scheduler.export.ics import (
    Invitation,
    Invitations,
    cancellation_text,
    description,
    invite_uid,
    one_line,
    session_title,
)
from scheduler.i18n import N_, translator
from scheduler.views import InviteView, PlanView

log = logging.getLogger(__name__)

LINE_LENGTH = 78  # as in the SMTP policy
POLICY = email.policy.SMTP.clone(cte_type="7bit", max_line_length=LINE_LENGTH)
_NOT_ATEXT = re.compile(r"[^A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+")


def file_name(participant: str, session: str) -> str:
    """The mail file of an invitation, named like its .ics file."""
    return f"{participant}_{session}.eml"


def message_id(uid: str, sequence: int, method: str) -> str:
    """`<P001-RT1.2.request@uid-domain>`: one Message-ID per version of an invitation, the same on every run."""
    local, _, domain = uid.rpartition("@")
    local = _NOT_ATEXT.sub("-", local).strip(".") or "invite"
    return f"<{local}.{sequence}.{method.lower()}@{domain}>"


# Subjects by kind of message and role: whole phrases, since the role's grammar differs between languages.
SUBJECTS = {
    ("new", Role.SPEAKER): N_("Invitation: Speaker in {session}"),
    ("new", Role.MODERATOR): N_("Invitation: Moderator of {session}"),
    ("new", Role.RAPPORTEUR): N_("Invitation: Rapporteur of {session}"),
    ("updated", Role.SPEAKER): N_("Updated invitation: Speaker in {session}"),
    ("updated", Role.MODERATOR): N_("Updated invitation: Moderator of {session}"),
    ("updated", Role.RAPPORTEUR): N_("Updated invitation: Rapporteur of {session}"),
    ("cancelled", Role.SPEAKER): N_("Cancelled: Speaker in {session}"),
    ("cancelled", Role.MODERATOR): N_("Cancelled: Moderator of {session}"),
    ("cancelled", Role.RAPPORTEUR): N_("Cancelled: Rapporteur of {session}"),
    ("new", Role.CO_CHAIR): N_("Invitation: Co-chair of {session}"),
    ("updated", Role.CO_CHAIR): N_("Updated invitation: Co-chair of {session}"),
    ("cancelled", Role.CO_CHAIR): N_("Cancelled: Co-chair of {session}"),
}


def subject(invite: InviteView) -> str:
    """`Invitation: Speaker in Round table 1`, `Updated invitation: ...` or `Cancelled: ...`, in the person's
    language (the header encodes it as RFC 2047 words when it is not ASCII)."""
    kind = "cancelled" if invite.method == "CANCEL" else "updated" if invite.sequence > 0 else "new"
    message = SUBJECTS.get((kind, invite.role), SUBJECTS[kind, Role.SPEAKER])
    return translator(invite.language)._(
        message, session=session_title(invite.session.session, invite.language)
    )


def letter(view: PlanView, invite: InviteView, body: str | None = None) -> str:
    """The text/plain part, in the person's language: the same facts as the calendar event, for reading; `body`
    is the invitation's text (Invitation.text) when the caller has it already."""
    event = view.event
    t = translator(invite.language)
    if invite.method == "CANCEL":
        body = cancellation_text(view, invite) if body is None else body
        action = t._("The calendar part of this message removes the session from your calendar.")
    else:
        body = description(view, invite) if body is None else body
        action = t._(
            "The calendar part of this message (also attached as invite.ics) adds the session to your "
            "calendar; please accept or decline it there."
        )
    greeting = t._("Dear {name},", name=invite.applicant.name)
    return f"{greeting}\n\n{body}\n\n{action}\n\n{event.organiser_name}\n"


def message(view: PlanView, invite: InviteView, made: Invitation | None = None) -> bytes:
    """The iMIP message of one invitation, From the organiser, To the participant, as written to its file;
    `made` is the invitation's text and .ics when the caller has them already.

    The bytes are what `EmailMessage` writes under POLICY for the message built with `set_content(letter)`,
    `add_alternative(calendar, subtype="calendar", params={"method": ...})` and `add_attachment(calendar,
    "application", "ics", filename="invite.ics")`. The MIME skeleton of such a message never changes, so it
    is written here around the encoded parts; the email package, which parses every header it adds (most
    of the time of writing 10,000 messages), is left the headers that carry names and text.
    """
    event = view.event
    text, calendar = made or Invitations(view).make(invite)
    uid = invite_uid(event, invite.applicant.id, invite.session.id)
    # Fixed boundaries instead of random ones: "=_", which base64 and quoted-printable never produce, and a hash
    # of what identifies this message, which its plain text will not hold.
    seed = f"{uid}|{invite.sequence}|{invite.method}"
    mixed, alternative = _boundary(seed, "mixed"), _boundary(seed, "alternative")
    letter_encoding, letter_body = _encode_text(letter(view, invite, text))
    calendar_encoding, calendar_body = _encode_text(calendar.decode("utf-8"))
    identity = message_id(uid, invite.sequence, invite.method)
    head = (
        _repeated_address_header("From", one_line(event.organiser_name), event.organiser_email)
        + _address_header("To", one_line(invite.applicant.name), invite.applicant.email)
        + _repeated_header("Subject", one_line(subject(invite)))
        + _repeated_header("Date", format_datetime(view.plan.generated_at))
        + _header("Message-ID", identity, plain=bool(_PLAIN_ID.fullmatch(identity)))
    )
    body = _crlf(
        f"MIME-Version: 1.0\n"
        f'Content-Type: multipart/mixed;\n boundary="{mixed}"\n'
        f"\n"
        f"--{mixed}\n"
        f'Content-Type: multipart/alternative;\n boundary="{alternative}"\n'
        f"\n"
        f"--{alternative}\n"
        f'Content-Type: text/plain; charset="utf-8"\n'
        f"Content-Transfer-Encoding: {letter_encoding}\n"
        f"\n"
        f"{letter_body}"
        f"\n--{alternative}\n"
        f"Content-Transfer-Encoding: {calendar_encoding}\n"
        f'Content-Type: text/calendar; charset="UTF-8"; method="{invite.method}"\n'
        f"\n"
        f"{calendar_body}"
        f"\n--{alternative}--\n"
        f"\n--{mixed}\n"
        f"Content-Type: application/ics\n"
        f"Content-Transfer-Encoding: base64\n"
        f'Content-Disposition: attachment; filename="invite.ics"\n'
        f"\n"
        f"{_base64(calendar)}"
        f"\n--{mixed}--\n"
    )
    return head + body


# Header values the email package writes as they are: ASCII words, and addresses and message ids of dot-atoms,
# with nothing in them that it would quote, encode, or read as an encoded word.
_WORD = r"[A-Za-z0-9_'-]+"
_DOT_ATOM = r"[A-Za-z0-9_+-]+(?:\.[A-Za-z0-9_+-]+)*"
_PLAIN_NAME = re.compile(rf"{_WORD}(?: {_WORD})*")
_PLAIN_ADDRESS = re.compile(rf"{_DOT_ATOM}@{_DOT_ATOM}")
_PLAIN_ID = re.compile(rf"<{_DOT_ATOM}@{_DOT_ATOM}>")
_ATEXT = re.compile(r"[A-Za-z0-9_+-]")


def _header(name: str, value: str | Address, plain: bool = False) -> bytes:
    """One header line as EmailMessage writes it under POLICY: non-ASCII text as encoded words, folded at 78
    characters. A `plain` value (above) that fits on the line is written as it is, which is what the email
    package makes of it too, without the parsing that takes it 0.1 to 0.3 ms a header."""
    line = f"{name}: {value}"
    if plain and len(line) <= LINE_LENGTH:
        return f"{line}\r\n".encode("ascii")
    return POLICY.fold_binary(*POLICY.header_store_parse(name, value))


def _address_header(name: str, display_name: str, address: str) -> bytes:
    """An address header as EmailMessage writes it under POLICY. A display name with accents (a third of the
    people of a big event, with only a few hundred names among them) is folded by the email package once per
    name and shape of address (see `_shaped_address_header`), not once per person."""
    if _PLAIN_ADDRESS.fullmatch(address):
        if _PLAIN_NAME.fullmatch(display_name):
            return _header(name, f"{display_name} <{address}>", plain=True)
        shape = _ATEXT.sub("x", address)
        header = _shaped_address_header(name, display_name, shape)
        tail = f"<{shape}>\r\n".encode("ascii")
        if header.endswith(tail):
            return header.removesuffix(tail) + f"<{address}>\r\n".encode("ascii")
    return _header(name, Address(display_name, addr_spec=address))


@functools.lru_cache(maxsize=4096)
def _shaped_address_header(name: str, display_name: str, shape: str) -> bytes:
    """The header for an address of dot-atoms whose every character is replaced by "x". The email package
    treats every character of a dot-atom alike (it never quotes or encodes one) and folds by the lengths of
    its parts, so the header of the real address is this one with the address put back, when the address
    ends the header on its last line (which `_address_header` checks)."""
    return _header(name, Address(display_name, addr_spec=shape))


# The From and Date headers and each Subject come back in many messages.
_repeated_header = functools.lru_cache(maxsize=4096)(_header)
_repeated_address_header = functools.lru_cache(maxsize=64)(_address_header)


def _encode_text(text: str) -> tuple[str, str]:
    """(Content-Transfer-Encoding, encoded body) of a text part, as `set_content` chooses them under POLICY
    (email.contentmanager._encode_text): 7bit when every line is ASCII and short enough; otherwise
    quoted-printable, or base64 when that is shorter for the first ten lines. tests/export/test_assembled_files.py
    checks that the two still agree."""
    lines = text.encode("utf-8").splitlines()
    if text.isascii() and max(map(len, lines), default=0) <= LINE_LENGTH:
        return "7bit", (b"\n".join(lines) + b"\n").decode("ascii")
    # quoprimime.body_encode encodes each line on its own, so a line is encoded once however many messages
    # hold it (the same titles, times and time zone rules come back in thousands of them).
    encoded = [_quoted_printable(line) for line in lines]
    sniff = b"\r\n".join(lines[:10]) + b"\r\n"
    if len("\n".join(encoded[:10])) + 1 > len(binascii.b2a_base64(sniff)):
        return "base64", _base64(b"\r\n".join(lines) + b"\r\n")
    return "quoted-printable", "\n".join(encoded) + "\n"


@functools.lru_cache(maxsize=16_384)
def _quoted_printable(line: bytes) -> str:
    """One line (without its line break) as quoted-printable, the way quoprimime.body_encode writes it in a body."""
    return quoprimime.body_encode(line.decode("latin-1"), LINE_LENGTH)


def _base64(data: bytes) -> str:
    """Base64 in lines of 76 characters, as `set_content` writes it under POLICY."""
    # Each line holds 57 bytes, a multiple of 3: the lines are the whole encoded in slices.
    whole = binascii.b2a_base64(data, newline=False).decode("ascii")
    per_line = LINE_LENGTH // 4 * 4
    return "".join(f"{whole[i : i + per_line]}\n" for i in range(0, len(whole), per_line))


def _crlf(text: str) -> bytes:
    """The skeleton and its encoded parts (ASCII, lines ending in LF) with lines ending as under POLICY."""
    return text.replace("\n", "\r\n").encode("ascii")


def write_mail(view: PlanView, folder: Path) -> None:
    """Write one .eml per invitation into `folder` (created); people without an e-mail address are skipped."""
    folder.mkdir(parents=True, exist_ok=True)
    invitations = Invitations(view)
    for invite in view.invites:
        write_message(view, invite, invitations.make(invite), folder)


def write_message(view: PlanView, invite: InviteView, made: Invitation, folder: Path) -> None:
    """Write the .eml of one invitation, as made by `Invitations`, into `folder`; with a warning and nothing
    written when the person has no e-mail address (a published person whose row was deleted)."""
    if not invite.applicant.email:
        log.warning(
            "%s is no longer in the applicants file, so the %s of %s cannot be mailed: tell them yourself, or "
            "restore their row with status withdrawn and plan again",
            invite.applicant.id,
            "cancellation" if invite.method == "CANCEL" else "invitation",
            invite.session.id,
        )
        return
    (folder / file_name(invite.applicant.id, invite.session.id)).write_bytes(message(view, invite, made))


def _boundary(seed: str, part: str) -> str:
    return f"=_{part}_{hashlib.sha256(f'{seed}|{part}'.encode()).hexdigest()[:32]}"
