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
from icalendar.parser_tools import to_unicode

from scheduler.domain import Event as EventDef
from scheduler.domain import Role, Session
from scheduler.export.vtimezone import vtimezone
from scheduler.i18n import (
    N_,
    Translator,
    event_language,
    language_name,
    localized,
    objective_label,
    offered,
    translator,
)
from scheduler.views import InviteView, ItemView, PlanView, SessionView

PRODID = "-//scheduler//Virtual meeting planner//EN"
ALARM_MINUTES = 15  # the reminder goes off this long before the tech check, so people join it on time
FOLD_OCTETS = 74  # on a line before it is folded; with the space that starts the next line, 75 (RFC 5545)

# How a person's own items of the running order are named in their invitation.
SLOT_LABELS = {
    "opening": N_("Your opening"),
    "intervention": N_("Your intervention"),
    "group_statement": N_("Your statement on behalf of the group"),
    "discussion": N_("Discussion, which you moderate"),
    "report": N_("Your report"),
    "closing": N_("Your closing"),
}
# UN meeting terms: round table / table ronde / круглый стол; moderator / modérateur·rice / модератор.
ROLE_NAMES = {
    Role.SPEAKER: N_("speaker"),
    Role.MODERATOR: N_("moderator"),
    Role.RAPPORTEUR: N_("rapporteur"),
    Role.CO_CHAIR: N_("co-chair"),
}
# Whole sentences per role: Russian puts the role in another case after "no longer".
CANCELLED = {
    Role.SPEAKER: N_("Cancelled: you are no longer a speaker in {session} ({when})."),
    Role.MODERATOR: N_("Cancelled: you are no longer the moderator of {session} ({when})."),
    Role.RAPPORTEUR: N_("Cancelled: you are no longer the rapporteur of {session} ({when})."),
    Role.CO_CHAIR: N_("Cancelled: you are no longer a co-chair of {session} ({when})."),
}


def session_uid(event: EventDef, session_id: str) -> str:
    return f"{session_id}@{event.uid_domain}"


def invite_uid(event: EventDef, participant: str, session_id: str) -> str:
    return f"{participant}-{session_id}@{event.uid_domain}"


def public_calendar(view: PlanView, sessions: Iterable[SessionView], name: str) -> bytes:
    """METHOD:PUBLISH with the programme only, in the event's first language: no attendees, no participant
    e-mail, no speakers' link."""
    event, language = view.event, view.language
    t = translator(language)
    chosen = list(sessions)
    cal = _calendar("PUBLISH", event.timezone, [when.year for s in chosen for when in (s.start, s.end)])
    cal.add("X-WR-CALNAME", one_line(name))  # icalendar writes this property's line breaks unescaped
    for s in chosen:
        item = _vevent(view, session_uid(event, s.id), s.sequence, s.start, s.end)
        item.add("SUMMARY", _text(session_title(s.session, language), language))
        lines = [localized(event.title, event.title_translations, language)]
        if s.session.description:
            lines += ["", localized(s.session.description, s.session.description_translations, language)]
        lines.append("")
        if s.session.objectives:
            lines.append(t._("Objectives: {objectives}", objectives=_objectives(event, s.session, language)))
        lines.append(t._("Interpretation: {languages}", languages=_languages(event.languages, language)))
        if event.public_link:
            lines += ["", t._("Watch: {link}", link=event.public_link)]
            item.add("LOCATION", event.public_link)
            item.add("URL", vUri(event.public_link))
        item.add("DESCRIPTION", _text("\n".join(lines), language))
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
        self._links: dict[tuple[str, str], dict[str, bytes]] = {}  # by link and language
        self._alarms: dict[tuple[str, str], bytes] = {}  # by language and session title
        # The lines of a description that everyone of a session shares who reads the same language in the same
        # zone, and each item's line, by session, language, zone (and item)
        self._session_texts: dict[tuple[str, str, str], _SessionText] = {}
        self._slot_lines: dict[tuple[str, str, str, str, dt.datetime, dt.datetime, int], str] = {}
        self._attendees: dict[tuple[str, bool], str] = {}  # ATTENDEE's parameters by name and chair

    def _link(self, link: str, language: str) -> dict[str, bytes]:
        """The lines of the speakers' link, with the CONFERENCE label in `language`."""
        if not link:
            return {}
        if (link, language) not in self._links:
            self._links[link, language] = {
                "LOCATION": _line("LOCATION", vText(link)),
                "URL": _line("URL", vUri(link)),
                "CONFERENCE": _line("CONFERENCE", _conference(link, translator(language))),
            }
        return self._links[link, language]

    def make(self, invite: InviteView) -> Invitation:
        """The text and the .ics file of one invitation (see `invitation`)."""
        view, event = self.view, self.view.event
        person, s = invite.applicant, invite.session
        zone = person.timezone or event.timezone
        years, dtstart, dtend = _times(zone, s.start, s.end)
        language = invite.language
        lines = {
            **self._shared,
            "SUMMARY": _repeated_text("SUMMARY", summary(invite), language),
            "DTSTART": dtstart,
            "DTEND": dtend,
            "UID": _line("UID", vText(invite_uid(event, person.id, s.id))),
            "SEQUENCE": _repeated("SEQUENCE", invite.sequence),
            "ATTENDEE": self._attendee(invite),
        }
        alarm = b""
        if invite.method == "CANCEL":
            text = cancellation_text(view, invite)
            lines["STATUS"] = _repeated("STATUS", "CANCELLED")
        else:
            text = self.description(invite)
            lines["STATUS"] = _repeated("STATUS", "CONFIRMED")
            lines.update(self._link(speaker_link(event, s.session), language))
            key = (language, s.session.title)
            if key not in self._alarms:
                self._alarms[key] = bytes(_alarm(event, s, language).to_ical())
            alarm = self._alarms[key]
        lines["DESCRIPTION"] = _text_line("DESCRIPTION", text, language)
        # icalendar's order: VEVENT's canonical properties first, the others alphabetically, then the VALARM
        properties = [lines[name] for name in canonsort_keys(lines, Event.canonical_order)]
        head = _head(invite.method, zone, years)
        ics = b"".join((head, b"BEGIN:VEVENT\r\n", *properties, alarm, b"END:VEVENT\r\nEND:VCALENDAR\r\n"))
        return Invitation(text, ics)

    def _attendee(self, invite: InviteView) -> bytes:
        """The ATTENDEE line, as `_line` writes it, with its parameters written once per name and role."""
        chair = invite.role in (Role.MODERATOR, Role.CO_CHAIR)
        key = (invite.applicant.name, chair)
        parameters = self._attendees.get(key)
        if parameters is None:
            parameters = self._attendees[key] = to_unicode(attendee(invite).params.to_ical())
        address = to_unicode(vCalAddress(f"mailto:{invite.applicant.email}").to_ical())
        return _fold(f"ATTENDEE;{parameters}:{address}")

    def description(self, invite: InviteView) -> str:
        """The DESCRIPTION of a REQUEST (see the module's `description`)."""
        person, s, language = invite.applicant, invite.session, invite.language
        event = self.view.event
        zone = person.timezone or event.timezone
        shared = self._session_texts.get((s.id, language, zone))
        if shared is None:
            shared = self._session_texts[s.id, language, zone] = _session_text(self.view, s, language, zone)
        t = translator(language)
        lines = [*shared.head, t._("Your role: {role}", role=t._(ROLE_NAMES.get(invite.role, invite.role.value)))]
        if person.on_behalf_of and invite.role is Role.SPEAKER:
            lines.append(t._("On behalf of: {group}", group=person.on_behalf_of))
        lines += shared.when
        for i in invite.slots:
            key = (s.id, language, zone, i.segment, i.start, i.end, i.minutes)
            line = self._slot_lines.get(key)
            if line is None:
                line = self._slot_lines[key] = _slot_line(t, s, i, zone, shared.own_zone)
            lines.append(line)
        lines += shared.tech_and_objectives
        spoken = event.language_in(person, s.session)
        if person.languages and spoken:
            own = language_name(spoken, language)
            lines.append(
                t._(
                    "Interpretation: {languages}; you speak in {language}",
                    languages=shared.languages,
                    language=own,
                )
            )
        else:
            lines.append(t._("Interpretation: {languages}", languages=shared.languages))
        lines += shared.end
        return "\n".join(lines)


def speaker_link(event: EventDef, session: Session) -> str:
    """The link of those with a role in the session: its own, else the event's."""
    return session.speaker_link or event.speaker_link


def attendee(invite: InviteView) -> vCalAddress:
    """The one ATTENDEE of an invitation: CHAIR for moderators and co-chairs, REQ-PARTICIPANT otherwise, asked to
    reply."""
    address = vCalAddress(f"mailto:{invite.applicant.email}")
    address.params["CN"] = vText(invite.applicant.name)
    chair = invite.role in (Role.MODERATOR, Role.CO_CHAIR)
    address.params["ROLE"] = vText("CHAIR" if chair else "REQ-PARTICIPANT")
    address.params["PARTSTAT"] = vText("NEEDS-ACTION")
    address.params["RSVP"] = vText("TRUE")
    return address


def summary(invite: InviteView) -> str:
    """`Speaker: Round table 1`, in the person's language."""
    t = translator(invite.language)
    role = _capital(t._(ROLE_NAMES.get(invite.role, invite.role.value)))
    return t._("{role}: {session}", role=role, session=session_title(invite.session.session, invite.language))


def session_title(session: Session, language: str) -> str:
    """The session's title in `language` when the organisers translated it, else as written."""
    return localized(session.title, session.title_translations, language)


def description(view: PlanView, invite: InviteView) -> str:
    """What the person needs to take part, in their language: role, times in event time and their own time,
    tech check, objectives, languages and the join link. To write many, use one `Invitations` for them all."""
    return Invitations(view).description(invite)


class _SessionText(NamedTuple):
    """The lines of a description the same for everyone of a session in one language and zone."""

    head: list[str]  # the session's and the event's titles, a blank line
    when: list[str]  # the session's times, in event time and the person's
    own_zone: bool  # whether the person's clock reads otherwise than the event's
    tech_and_objectives: list[str]
    languages: str  # the session's languages, named
    end: list[str]  # the join link, and whom to ask


def _session_text(view: PlanView, s: SessionView, language: str, zone: str) -> _SessionText:
    event = view.event
    t = translator(language)
    tz = pytz.timezone(zone)
    # A person whose clock reads like the event's gets event time only, said to be theirs too.
    own_zone = any(when.astimezone(tz).utcoffset() != when.utcoffset() for when in (s.start, s.end))
    head = [session_title(s.session, language), localized(event.title, event.title_translations, language), ""]
    when = f"{_span(t, s.start, s.end)} {_zone(s.start)}"
    if own_zone:
        local_start, local_end = s.start.astimezone(tz), s.end.astimezone(tz)
        local = f"{_span(t, local_start, local_end, s.start)} {_zone(local_start)}"
        times = [
            t._("Session: {when} (event time, {zone})", when=when, zone=event.timezone),
            t._("Your time: {when} ({zone})", when=local, zone=zone),
        ]
    else:
        times = [t._("Session: {when} (event time, {zone}, the same as yours)", when=when, zone=event.timezone)]
    tech = s.start - dt.timedelta(minutes=event.tech_check_minutes)
    if own_zone:
        rest = [
            t.n_(
                "Tech check: join at {time} event time, {local} your time ({n} minute before the start)",
                "Tech check: join at {time} event time, {local} your time ({n} minutes before the start)",
                event.tech_check_minutes,
                time=_time(t, tech, s.start),
                local=_time(t, tech.astimezone(tz), s.start),
            )
        ]
    else:
        rest = [
            t.n_(
                "Tech check: join at {time} event time ({n} minute before the start)",
                "Tech check: join at {time} event time ({n} minutes before the start)",
                event.tech_check_minutes,
                time=_time(t, tech, s.start),
            )
        ]
    if s.session.objectives:
        rest.append(t._("Objectives: {objectives}", objectives=_objectives(event, s.session, language)))
    end = []
    link = speaker_link(event, s.session)
    if link:
        end += [
            "",
            t._("Join: {link}", link=link),
            t._("This link is for those with a role in the session: please do not share it."),
        ]
    end += ["", _questions(view, t)]
    languages = _languages(event.session_languages(s.session), language)
    return _SessionText(head, times, own_zone, rest, languages, end)


def _slot_line(t: Translator, s: SessionView, i: ItemView, zone: str, own_zone: bool) -> str:
    """A person's item of the running order: its times in event time, and in theirs when that is another zone."""
    span = _span(t, i.start, i.end, s.start)
    if own_zone:
        tz = pytz.timezone(zone)
        local = _span(t, i.start.astimezone(tz), i.end.astimezone(tz), s.start)
        times = t._("{span} event time, {local} your time", span=span, local=local)
    else:
        times = t._("{span} event time", span=span)
    return t._(
        "{slot}: {times} ({duration})",
        slot=t._(SLOT_LABELS.get(i.segment, i.segment)),
        times=times,
        duration=t.minutes(i.minutes),
    )


def cancellation_text(view: PlanView, invite: InviteView) -> str:
    """The description of a CANCEL, in the person's language: which role in which session no longer holds."""
    s = invite.session
    t = translator(invite.language)
    when = f"{_span(t, s.start, s.end)} {_zone(s.start)}"
    tz = pytz.timezone(invite.applicant.timezone or view.event.timezone)
    local_start, local_end = s.start.astimezone(tz), s.end.astimezone(tz)
    if local_start.utcoffset() != s.start.utcoffset():
        local = f"{_span(t, local_start, local_end, s.start)} {_zone(local_start)}"
        when = t._("{when}, {local} your time", when=when, local=local)
    sentence = CANCELLED.get(invite.role, CANCELLED[Role.SPEAKER])
    title = session_title(s.session, invite.language)
    return t._(sentence, session=title, when=when) + "\n\n" + _questions(view, t)


def _questions(view: PlanView, t: Translator) -> str:
    event = view.event
    return t._("Questions: {name}, {email}", name=event.organiser_name, email=event.organiser_email)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _text(value: str, language: str) -> vText:
    """A TEXT value with its RFC 5545 LANGUAGE parameter."""
    text = vText(value)
    text.params["LANGUAGE"] = language
    return text


def _calendar(method: str, zone: str, years: Iterable[int]) -> Calendar:
    """A VCALENDAR with the VTIMEZONE of `zone`, correct for `years`."""
    cal = Calendar()
    cal.add("PRODID", PRODID)
    cal.add("VERSION", "2.0")
    cal.add("CALSCALE", "GREGORIAN")
    cal.add("METHOD", method)
    cal.add_component(vtimezone(zone, sorted(set(years)) or [2000]))
    return cal


def prepare(event: EventDef) -> None:
    """Make ahead what the invitations of any plan of the event share: the calendar head (with its VTIMEZONE)
    of every zone that people connect from, in each year of the event, and the messages and CLDR data of
    every language written."""
    years = sorted({day.date.year for day in event.days})
    for zone in sorted({person.timezone or event.timezone for person in event.applicants} | {event.timezone}):
        for year in years:
            _head("REQUEST", zone, (year,))
    for language in {*offered(event), event_language(event)}:
        translator(language).date(event.days[0].date if event.days else dt.date(2000, 1, 1))


@functools.cache
def _head(method: str, zone: str, years: tuple[int, ...]) -> bytes:
    """An invitation's lines before its VEVENT: the VCALENDAR's properties and the VTIMEZONE, the same for
    every invitation of one method in one zone."""
    whole = bytes(_calendar(method, zone, years).to_ical())
    end = b"END:VCALENDAR\r\n"
    if not whole.endswith(end):
        raise ValueError(f"the calendar head does not end with {end!r}")
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
    """A TEXT or INTEGER line that many invitations share, such as STATUS or SEQUENCE."""
    return _line(name, vInt(value) if isinstance(value, int) else vText(value))


@functools.lru_cache(maxsize=4096)
def _repeated_text(name: str, value: str, language: str) -> bytes:
    """A TEXT line in a language that many invitations share, such as SUMMARY."""
    return _line(name, _text(value, language))


def _text_line(name: str, value: str, language: str) -> bytes:
    """`_line(name, _text(value, language))`, with the LANGUAGE parameter written once per language."""
    parameters = _language_parameter(language)
    value = to_unicode(vText(value).to_ical())
    return _fold(f"{name};{parameters}:{value}" if parameters else f"{name}:{value}")


@functools.cache
def _language_parameter(language: str) -> str:
    return to_unicode(_text("", language).params.to_ical())


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

    icalendar looks at each character in turn, which took most of the time of writing big events; here the
    line's UTF-8 is cut in slices of 74 octets, each moved back to the start of the character it would cut.
    """
    data = line.encode()
    pieces, start = [], 0
    while True:
        end = start + FOLD_OCTETS
        if end >= len(data):
            pieces.append(data[start:])
            return b"\r\n ".join(pieces) + b"\r\n"
        while data[end] & 0xC0 == 0x80:  # a continuation byte of UTF-8: inside a character
            end -= 1
        if end - start > 1 and data[end - 1] in b"\\^":
            end -= 1
        pieces.append(data[start:end])
        start = end


def _conference(link: str, t: Translator) -> vUri:
    """RFC 7986 CONFERENCE with FEATURE as a list parameter (icalendar's Conference() quotes it into one value)."""
    uri = vUri(link)
    uri.params["VALUE"] = "URI"
    uri.params["FEATURE"] = ["AUDIO", "VIDEO"]
    uri.params["LABEL"] = t._("Speakers' link")
    return uri


def alarm_text(s: SessionView, language: str) -> str:
    """The reminder's text: `Tech check for Round table 1 in 15 minutes`, in `language`."""
    t = translator(language)
    return t.n_(
        "Tech check for {session} in {n} minute",
        "Tech check for {session} in {n} minutes",
        ALARM_MINUTES,
        session=session_title(s.session, language),
    )


def _alarm(event: EventDef, s: SessionView, language: str) -> Alarm:
    alarm = Alarm()
    alarm.add("ACTION", "DISPLAY")
    alarm.add("DESCRIPTION", _text(alarm_text(s, language), language))
    alarm.add("TRIGGER", dt.timedelta(minutes=-(event.tech_check_minutes + ALARM_MINUTES)))
    return alarm


def _objectives(event: EventDef, session: Session, language: str) -> str:
    """`3 (Information), 5 (Regular pathways)`, with the labels in `language` where there are some."""
    labelled = ((n, objective_label(event, n, language)) for n in session.objectives)
    return ", ".join(f"{n} ({label})" if label else str(n) for n, label in labelled)


def _languages(codes: Iterable[str], language: str) -> str:
    """The names of languages in `language`: `English, French, Russian`, `anglais, français, russe`."""
    return ", ".join(language_name(code, language) for code in codes)


def _span(t: Translator, start: dt.datetime, end: dt.datetime, reference: dt.datetime | None = None) -> str:
    """`Thursday, 12 November 2020 10:00-11:45` without a reference; with one, `10:00-11:45` on the reference's
    date in the event's zone, and the date written out where it differs: `Fri 13 Nov 00:30-02:15`,
    `23:30-Fri 13 Nov 00:15` (in the translator's language).
    """
    if reference is None:
        return f"{t.date(start)} {t.time(start)}-{t.time(end)}"
    return f"{_time(t, start, reference)}-{_time(t, end, start)}"


def _time(t: Translator, when: dt.datetime, reference: dt.datetime) -> str:
    """`HH:MM`, preceded by the date when it is not the reference's date (read in the reference's own zone)."""
    return t.time(when) if when.date() == reference.date() else f"{t.day(when)} {t.time(when)}"


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
