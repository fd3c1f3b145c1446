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

import email.policy
import hashlib
import logging
import re
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

from scheduler.export.ics import cancellation_text, description, invitation, invite_uid
from scheduler.views import InviteView, PlanView

log = logging.getLogger(__name__)

POLICY = email.policy.SMTP.clone(cte_type="7bit")
_NOT_ATEXT = re.compile(r"[^A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+")


def file_name(participant: str, session: str) -> str:
    """The mail file of an invitation, named like its .ics file."""
    return f"{participant}_{session}.eml"


def message_id(uid: str, sequence: int, method: str) -> str:
    """`<P001-RT1.2.request@uid-domain>`: one Message-ID per version of an invitation, the same on every run."""
    local, _, domain = uid.rpartition("@")
    local = _NOT_ATEXT.sub("-", local).strip(".") or "invite"
    return f"<{local}.{sequence}.{method.lower()}@{domain}>"


def subject(invite: InviteView) -> str:
    """`Invitation: Speaker in Round table 1`, `Updated invitation: ...` or `Cancelled: ...`."""
    what = f"{invite.role.value.capitalize()} in {invite.session.session.title}"
    if invite.method == "CANCEL":
        return f"Cancelled: {what}"
    return f"{'Updated invitation' if invite.sequence > 0 else 'Invitation'}: {what}"


def letter(view: PlanView, invite: InviteView) -> str:
    """The text/plain part: the same facts as the calendar event, for reading."""
    event = view.event
    if invite.method == "CANCEL":
        body = cancellation_text(view, invite)
        action = "The calendar part of this message removes the session from your calendar."
    else:
        body = description(view, invite)
        action = (
            "The calendar part of this message (also attached as invite.ics) adds the session to your "
            "calendar; please accept or decline it there."
        )
    return f"Dear {invite.applicant.name},\n\n{body}\n\n{action}\n\n{event.organiser_name}\n"


def message(view: PlanView, invite: InviteView) -> EmailMessage:
    """The iMIP message of one invitation: From the organiser, To the participant."""
    event = view.event
    calendar = invitation(view, invite)
    uid = invite_uid(event, invite.applicant.id, invite.session.id)
    msg = EmailMessage(policy=POLICY)
    msg["From"] = Address(_one_line(event.organiser_name), addr_spec=event.organiser_email)
    msg["To"] = Address(_one_line(invite.applicant.name), addr_spec=invite.applicant.email)
    msg["Subject"] = _one_line(subject(invite))
    msg["Date"] = format_datetime(view.plan.generated_at)
    msg["Message-ID"] = message_id(uid, invite.sequence, invite.method)
    msg.set_content(letter(view, invite))
    msg.add_alternative(
        calendar.decode("utf-8"), subtype="calendar", charset="UTF-8", params={"method": invite.method}
    )
    msg.add_attachment(calendar, maintype="application", subtype="ics", filename="invite.ics")
    for part in msg.iter_parts():
        for inner in (part, *part.iter_parts()):
            del inner["MIME-Version"]  # add_alternative() gives its new part one; only the message needs it
    # Fixed boundaries instead of random ones: "=_", which base64 and quoted-printable never produce, and a hash
    # of what identifies this message, which its plain text will not hold.
    seed = f"{uid}|{invite.sequence}|{invite.method}"
    msg.set_boundary(_boundary(seed, "mixed"))
    alternative = msg.get_payload(0)
    assert isinstance(alternative, EmailMessage)
    alternative.set_boundary(_boundary(seed, "alternative"))
    return msg


def _one_line(text: str) -> str:
    """Header text: a registrant's line breaks and tabs would end the header (or be refused), so they become
    spaces; the body and the calendar part keep the text exactly."""
    return " ".join("".join(ch if ch.isprintable() else " " for ch in text).split())


def write_mail(view: PlanView, folder: Path) -> None:
    """Write one .eml per invitation into `folder` (created); people without an e-mail address are skipped."""
    folder.mkdir(parents=True, exist_ok=True)
    for invite in view.invites:
        if not invite.applicant.email:
            log.warning("no e-mail address for %s: no mail for %s", invite.applicant.id, invite.session.id)
            continue
        path = folder / file_name(invite.applicant.id, invite.session.id)
        path.write_bytes(message(view, invite).as_bytes(policy=POLICY))


def _boundary(seed: str, part: str) -> str:
    return f"=_{part}_{hashlib.sha256(f'{seed}|{part}'.encode()).hexdigest()[:32]}"
