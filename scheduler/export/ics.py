"""Calendar files: the public programme (METHOD:PUBLISH) and one invitation per person and session
(METHOD:REQUEST or CANCEL), in the forms Outlook, Google, Apple Calendar and Thunderbird read correctly.

What the clients need (see reference/INTEROP.md): one VEVENT per REQUEST file, because Outlook reads only the
first; no ATTENDEE in PUBLISH; a VTIMEZONE in yearly-rule form for every TZID; stable UIDs, SEQUENCE from the plan
and DTSTAMP = the plan's `generated_at`, so the same plan gives the same bytes; the join link in LOCATION,
DESCRIPTION and URL as well as CONFERENCE, which Outlook ignores.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from typing import Any, NamedTuple

import pytz
from icalendar import Alarm, Calendar, Event, vCalAddress, vDDDTypes, vInt, vText, vUri
from icalendar.caselessdict import canonsort_keys
from icalendar.parser import Contentline

from scheduler.domain import Event as EventDef
from scheduler.domain import Role
from scheduler.export.vtimezone import vtimezone
from scheduler.views import InviteView, ItemView, PlanView, SessionView

PRODID = "-//scheduler//Virtual meeting planner//EN"
ALARM_MINUTES = 15  # the reminder goes off this long before the tech check, so people join it on time
FOLD_OCTETS = 74  # on a line before it is folded; with the space that starts the next line, 75 (RFC 5545)

# How a person's own items of the running order are named in their invitation.
SLOT_LABELS = {
    "opening": "Your opening",
    "intervention": "Your intervention",
    "discussion": "Discussion, which you moderate",
    "report": "Your report",
    "closing": "Your closing",
}


def session_uid(event: EventDef, session_id: str) -> str:
    return f"{session_id}@{event.uid_domain}"


def invite_uid(event: EventDef, participant: str, session_id: str) -> str:
    return f"{participant}-{session_id}@{event.uid_domain}"


def public_calendar(view: PlanView, sessions: Iterable[SessionView], name: str) -> bytes:
    """METHOD:PUBLISH with the programme only: no attendees, no participant e-mail, no speakers' link."""
    event = view.event
    chosen = list(sessions)
    cal = _calendar("PUBLISH", event.timezone, [t.year for s in chosen for t in (s.start, s.end)])
    cal.add("X-WR-CALNAME", one_line(name))  # icalendar writes this property's line breaks unescaped
    for s in chosen:
        item = _vevent(view, session_uid(event, s.id), s.sequence, s.start, s.end)
        item.add("SUMMARY", s.session.title)
        lines = [event.title]
        if s.session.description:
            lines += ["", s.session.description]
        lines.append("")
        if s.session.objectives:
            lines.append("Objectives: " + _objectives(event, s.session.objectives))
        lines.append("Interpretation: " + ", ".join(event.languages))
        if event.public_link:
            lines += ["", f"Watch: {event.public_link}"]
            item.add("LOCATION", event.public_link)
            item.add("URL", vUri(event.public_link))
        item.add("DESCRIPTION", "\n".join(lines))
        item.add("STATUS", "CONFIRMED")
        item.add("TRANSP", "OPAQUE")
        cal.add_component(item)
    return bytes(cal.to_ical())


def session_calendar(view: PlanView, session: SessionView) -> bytes:
    """The public calendar of one session, `calendar/sessions/<session>.ics`."""
    return public_calendar(view, [session], f"{view.event.title}: {session.id}")


def invitation(view: PlanView, invite: InviteView) -> bytes:
    """One VEVENT for one person and session, in the person's own time zone, with ORGANIZER and that ATTENDEE.

    A REQUEST carries the description, the join link and an alarm before the tech check; a CANCEL carries
    STATUS:CANCELLED and the SEQUENCE the plan raised, at the time the cancelled invitation had.
    To write many, use one `Invitations` for them all.
    """
    return Invitations(view).make(invite).calendar


class Invitation(NamedTuple):
    """One invitation as made by `Invitations`: its text, which the mail's letter repeats, and its .ics file."""

    text: str  # the DESCRIPTION: `description`, or `cancellation_text` for a CANCEL
    calendar: bytes


class Invitations:
    """The invitation files of one plan, each byte for byte what icalendar writes for the whole calendar.

    Building and serialising a calendar per invitation made 10,000 of them take minutes, though most lines of
    an invitation are in many others too: the VCALENDAR head with the VTIMEZONE of the person's zone (the
    longest part), DTSTAMP, ORGANIZER, the speakers' link, a session's times in a zone, its alarm. Each of those
    is serialised once, and a file put together from them and its own lines. icalendar still writes every line
    (value types, escaping, parameters); only the folding is done here (see `_fold`).
    """

    def __init__(self, view: PlanView) -> None:
        self.view = view
        event = view.event
        self._shared = {
            "DTSTAMP": _line("DTSTAMP", vDDDTypes(view.plan.generated_at.astimezone(dt.UTC))),
            "ORGANIZER": _line("ORGANIZER", _organizer(event)),
        }
        self._link: dict[str, bytes] = {}
        if event.speaker_link:
            self._link = {
                "LOCATION": _line("LOCATION", vText(event.speaker_link)),
                "URL": _line("URL", vUri(event.speaker_link)),
                "CONFERENCE": _line("CONFERENCE", _conference(event.speaker_link)),
            }
        self._alarms: dict[str, bytes] = {}

    def make(self, invite: InviteView) -> Invitation:
        """The text and the .ics file of one invitation (see `invitation`)."""
        view, event = self.view, self.view.event
        person, s = invite.applicant, invite.session
        zone = person.timezone or event.timezone
        years, dtstart, dtend = _times(zone, s.start, s.end)
        lines = {
            **self._shared,
            "SUMMARY": _repeated("SUMMARY", f"{invite.role.value.capitalize()}: {s.session.title}"),
            "DTSTART": dtstart,
            "DTEND": dtend,
            "UID": _line("UID", vText(invite_uid(event, person.id, s.id))),
            "SEQUENCE": _repeated("SEQUENCE", invite.sequence),
            "ATTENDEE": _line("ATTENDEE", attendee(invite)),
        }
        alarm = b""
        if invite.method == "CANCEL":
            text = cancellation_text(view, invite)
            lines["STATUS"] = _repeated("STATUS", "CANCELLED")
        else:
            text = description(view, invite)
            lines["STATUS"] = _repeated("STATUS", "CONFIRMED")
            lines.update(self._link)
            if s.session.title not in self._alarms:
                self._alarms[s.session.title] = bytes(_alarm(event, s).to_ical())
            alarm = self._alarms[s.session.title]
        lines["DESCRIPTION"] = _line("DESCRIPTION", vText(text))
        # icalendar's order: VEVENT's canonical properties first, the others alphabetically, then the VALARM
        properties = [lines[name] for name in canonsort_keys(lines, Event.canonical_order)]
        head = _head(invite.method, zone, years)
        ics = b"".join((head, b"BEGIN:VEVENT\r\n", *properties, alarm, b"END:VEVENT\r\nEND:VCALENDAR\r\n"))
        return Invitation(text, ics)


def attendee(invite: InviteView) -> vCalAddress:
    """The one ATTENDEE of an invitation: CHAIR for moderators, REQ-PARTICIPANT otherwise, asked to reply."""
    address = vCalAddress(f"mailto:{invite.applicant.email}")
    address.params["CN"] = vText(invite.applicant.name)
    address.params["ROLE"] = vText("CHAIR" if invite.role is Role.MODERATOR else "REQ-PARTICIPANT")
    address.params["PARTSTAT"] = vText("NEEDS-ACTION")
    address.params["RSVP"] = vText("TRUE")
    return address


def description(view: PlanView, invite: InviteView) -> str:
    """What the person needs to take part: role, times in event time and their own time, tech check,
    objectives, languages and the join link."""
    event = view.event
    person, s = invite.applicant, invite.session
    zone = person.timezone or event.timezone
    tz = pytz.timezone(zone)
    # A person whose clock reads like the event's gets event time only, said to be theirs too.
    own_zone = any(t.astimezone(tz).utcoffset() != t.utcoffset() for t in (s.start, s.end))

    def both(start: dt.datetime, end: dt.datetime) -> str:
        """Event time, and the person's time when it is another zone (with the date when it differs)."""
        text = f"{_span(start, end, s.start)} event time"
        if own_zone:
            text += f", {_span(start.astimezone(tz), end.astimezone(tz), s.start)} your time"
        return text

    lines = [s.session.title, event.title, "", f"Your role: {invite.role.value}"]
    same = "" if own_zone else ", the same as yours"
    lines.append(f"Session: {_span(s.start, s.end)} {_zone(s.start)} (event time, {event.timezone}{same})")
    if own_zone:
        local_start, local_end = s.start.astimezone(tz), s.end.astimezone(tz)
        lines.append(f"Your time: {_span(local_start, local_end, s.start)} {_zone(local_start)} ({zone})")
    lines += [
        f"{SLOT_LABELS.get(i.segment, i.segment)}: {both(i.start, i.end)} ({_minutes(i)})"
        for i in invite.slots
    ]
    tech = s.start - dt.timedelta(minutes=event.tech_check_minutes)
    tech_local = tech.astimezone(tz)
    lines.append(
        f"Tech check: join at {_time(tech, s.start)} event time"
        + (f", {_time(tech_local, s.start)} your time" if own_zone else "")
        + f" ({event.tech_check_minutes} minutes before the start)"
    )
    if s.session.objectives:
        lines.append("Objectives: " + _objectives(event, s.session.objectives))
    languages = f"Interpretation: {', '.join(event.languages)}"
    if person.languages:
        languages += f"; you speak in {person.languages[0]}"
    lines.append(languages)
    if event.speaker_link:
        lines += [
            "",
            f"Join: {event.speaker_link}",
            "This link is for those with a role in the session: please do not share it.",
        ]
    lines += ["", f"Questions: {event.organiser_name}, {event.organiser_email}"]
    return "\n".join(lines)


def cancellation_text(view: PlanView, invite: InviteView) -> str:
    """The description of a CANCEL: which role in which session no longer holds."""
    s = invite.session
    when = f"{_span(s.start, s.end)} {_zone(s.start)}"
    tz = pytz.timezone(invite.applicant.timezone or view.event.timezone)
    local_start, local_end = s.start.astimezone(tz), s.end.astimezone(tz)
    if local_start.utcoffset() != s.start.utcoffset():
        when += f", {_span(local_start, local_end, s.start)} {_zone(local_start)} your time"
    return (
        f"Cancelled: you are no longer {invite.role.value} in {s.session.title} ({when}).\n\n"
        f"Questions: {view.event.organiser_name}, {view.event.organiser_email}"
    )


def _calendar(method: str, zone: str, years: Iterable[int]) -> Calendar:
    """A VCALENDAR with the VTIMEZONE of `zone`, correct for `years`."""
    cal = Calendar()
    cal.add("PRODID", PRODID)
    cal.add("VERSION", "2.0")
    cal.add("CALSCALE", "GREGORIAN")
    cal.add("METHOD", method)
    cal.add_component(vtimezone(zone, sorted(set(years)) or [2000]))
    return cal


@functools.cache
def _head(method: str, zone: str, years: tuple[int, ...]) -> bytes:
    """An invitation's lines before its VEVENT: the VCALENDAR's properties and the VTIMEZONE, the same for
    every invitation of one method in one zone."""
    whole = bytes(_calendar(method, zone, years).to_ical())
    end = b"END:VCALENDAR\r\n"
    assert whole.endswith(end)
    return whole.removesuffix(end)


@functools.lru_cache(maxsize=4096)
def _times(zone: str, start: dt.datetime, end: dt.datetime) -> tuple[tuple[int, ...], bytes, bytes]:
    """The years and the DTSTART and DTEND lines of a session in a zone, the same for everyone there.
    (Aware times compare as instants, which is all the lines depend on besides the zone.)"""
    tz = pytz.timezone(zone)
    local_start, local_end = start.astimezone(tz), end.astimezone(tz)
    years = tuple(sorted({local_start.year, local_end.year}))
    return years, _line("DTSTART", vDDDTypes(local_start)), _line("DTEND", vDDDTypes(local_end))


@functools.lru_cache(maxsize=4096)
def _repeated(name: str, value: str | int) -> bytes:
    """A TEXT or INTEGER line that many invitations share, such as SUMMARY, STATUS or SEQUENCE."""
    return _line(name, vInt(value) if isinstance(value, int) else vText(value))


def _vevent(view: PlanView, uid: str, sequence: int, start: dt.datetime, end: dt.datetime) -> Event:
    item = Event()
    item.add("UID", uid)
    item.add("DTSTAMP", view.plan.generated_at.astimezone(dt.UTC))
    item.add("SEQUENCE", sequence)
    item.add("DTSTART", start)
    item.add("DTEND", end)
    item.add("ORGANIZER", _organizer(view.event))
    return item


def _organizer(event: EventDef) -> vCalAddress:
    organizer = vCalAddress(f"mailto:{event.organiser_email}")
    organizer.params["CN"] = vText(event.organiser_name)
    return organizer


def _line(name: str, value: Any) -> bytes:
    """One property's content line as a component writes it (Component.content_line), folded."""
    return _fold(Contentline.from_parts(name, value.params, value))


def _fold(line: str) -> bytes:
    """The line folded as icalendar folds it: CRLF and a space once a line holds 74 octets, never inside a
    character, and never right after a backslash or caret (clients would read `\\,` or `^n` apart).

    icalendar looks at each character in turn, which took most of the time of writing big events; here a
    line of ASCII, nearly every line, is cut in slices of 74.
    """
    ascii = line.isascii()
    pieces, start = [], 0
    while True:
        end = start + FOLD_OCTETS if ascii else _end_within(line, start)
        if end >= len(line):
            pieces.append(line[start:])
            return "\r\n ".join(pieces).encode() + b"\r\n"
        if end - start > 1 and line[end - 1] in "\\^":
            end -= 1
        pieces.append(line[start:end])
        start = end


def _end_within(line: str, start: int) -> int:
    """Where the longest run of characters from `start` that fits in FOLD_OCTETS octets of UTF-8 ends."""
    used = 0
    for index in range(start, len(line)):
        used += len(line[index].encode())
        if used > FOLD_OCTETS:
            return index
    return len(line)


def _conference(link: str) -> vUri:
    """RFC 7986 CONFERENCE with FEATURE as a list parameter (icalendar's Conference() quotes it into one value)."""
    uri = vUri(link)
    uri.params["VALUE"] = "URI"
    uri.params["FEATURE"] = ["AUDIO", "VIDEO"]
    uri.params["LABEL"] = "Speakers' link"
    return uri


def _alarm(event: EventDef, s: SessionView) -> Alarm:
    alarm = Alarm()
    alarm.add("ACTION", "DISPLAY")
    alarm.add("DESCRIPTION", f"Tech check for {s.session.title} in {ALARM_MINUTES} minutes")
    alarm.add("TRIGGER", dt.timedelta(minutes=-(event.tech_check_minutes + ALARM_MINUTES)))
    return alarm


def _objectives(event: EventDef, numbers: Iterable[int]) -> str:
    return ", ".join(
        f"{n} ({event.objective_titles[n]})" if n in event.objective_titles else str(n) for n in numbers
    )


def _span(start: dt.datetime, end: dt.datetime, reference: dt.datetime | None = None) -> str:
    """`Thu 12 Nov 2020 10:00-11:45` without a reference; with one, `10:00-11:45` on the reference's date in
    the event's zone, and the date written out where it differs: `Fri 13 Nov 00:30-02:15`, `23:30-Fri 13 Nov 00:15`.
    """
    if reference is None:
        return f"{start:%a %d %b %Y %H:%M}-{end:%H:%M}"
    return f"{_time(start, reference)}-{_time(end, start)}"


def _time(when: dt.datetime, reference: dt.datetime) -> str:
    """`HH:MM`, preceded by the date when it is not the reference's date (read in the reference's own zone)."""
    return f"{when:%H:%M}" if when.date() == reference.date() else f"{when:%a %d %b %H:%M}"


def _zone(when: dt.datetime) -> str:
    """The zone's abbreviation at that time (`CET`), or its offset where tzdata has none (`UTC+06`)."""
    name = when.tzname() or ""
    return f"UTC{name}" if name.startswith(("+", "-")) else name


def _minutes(item: ItemView) -> str:
    return f"{item.minutes} minute{'s' if item.minutes != 1 else ''}"


def one_line(text: str) -> str:
    """Text for a name or header line: line breaks and tabs, from a registrant or an event title, would end the
    line (or be refused), so they become spaces; descriptions and summaries keep the text exactly."""
    if not text.isprintable():
        text = "".join(ch if ch.isprintable() else " " for ch in text)
    return " ".join(text.split())
