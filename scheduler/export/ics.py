"""Calendar files: the public programme (METHOD:PUBLISH) and one invitation per person and session
(METHOD:REQUEST or CANCEL), in the forms Outlook, Google, Apple Calendar and Thunderbird read correctly.

What the clients need (see reference/INTEROP.md): one VEVENT per REQUEST file, because Outlook reads only the
first; no ATTENDEE in PUBLISH; a VTIMEZONE in yearly-rule form for every TZID; stable UIDs, SEQUENCE from the plan
and DTSTAMP = the plan's `generated_at`, so the same plan gives the same bytes; the join link in LOCATION,
DESCRIPTION and URL as well as CONFERENCE, which Outlook ignores.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

import pytz
from icalendar import Alarm, Calendar, Event, vCalAddress, vText, vUri

from scheduler.domain import Event as EventDef
from scheduler.domain import Role
from scheduler.export.vtimezone import vtimezone
from scheduler.views import InviteView, ItemView, PlanView, SessionView

PRODID = "-//scheduler//Virtual meeting planner//EN"
ALARM_MINUTES = 15  # the reminder goes off this long before the tech check, so people join it on time

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
    cal = _calendar("PUBLISH", event.timezone, [t for s in chosen for t in (s.start, s.end)])
    cal.add("X-WR-CALNAME", name)
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


def invitation(view: PlanView, invite: InviteView) -> bytes:
    """One VEVENT for one person and session, in the person's own time zone, with ORGANIZER and that ATTENDEE.

    A REQUEST carries the description, the join link and an alarm before the tech check; a CANCEL carries
    STATUS:CANCELLED and the SEQUENCE the plan raised, at the time the cancelled invitation had.
    """
    event = view.event
    person, s = invite.applicant, invite.session
    zone = person.timezone or event.timezone
    tz = pytz.timezone(zone)
    start, end = s.start.astimezone(tz), s.end.astimezone(tz)
    cal = _calendar(invite.method, zone, [start, end])
    item = _vevent(view, invite_uid(event, person.id, s.id), invite.sequence, start, end)
    item.add("ATTENDEE", attendee(invite))
    item.add("SUMMARY", f"{invite.role.value.capitalize()}: {s.session.title}")
    if invite.method == "CANCEL":
        item.add("STATUS", "CANCELLED")
        item.add("DESCRIPTION", cancellation_text(view, invite))
    else:
        item.add("STATUS", "CONFIRMED")
        item.add("DESCRIPTION", description(view, invite))
        if event.speaker_link:
            item.add("LOCATION", event.speaker_link)
            item.add("URL", vUri(event.speaker_link))
            item.add("CONFERENCE", _conference(event.speaker_link))
        item.add_component(_alarm(event, s))
    cal.add_component(item)
    return bytes(cal.to_ical())


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
            "This link is for you as a speaker or moderator: please do not share it.",
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


def _calendar(method: str, zone: str, times: Sequence[dt.datetime]) -> Calendar:
    """A VCALENDAR with the VTIMEZONE of `zone`, correct for the years of `times`."""
    cal = Calendar()
    cal.add("PRODID", PRODID)
    cal.add("VERSION", "2.0")
    cal.add("CALSCALE", "GREGORIAN")
    cal.add("METHOD", method)
    cal.add_component(vtimezone(zone, sorted({t.year for t in times}) or [2000]))
    return cal


def _vevent(view: PlanView, uid: str, sequence: int, start: dt.datetime, end: dt.datetime) -> Event:
    item = Event()
    item.add("UID", uid)
    item.add("DTSTAMP", view.plan.generated_at.astimezone(dt.UTC))
    item.add("SEQUENCE", sequence)
    item.add("DTSTART", start)
    item.add("DTEND", end)
    organizer = vCalAddress(f"mailto:{view.event.organiser_email}")
    organizer.params["CN"] = vText(view.event.organiser_name)
    item.add("ORGANIZER", organizer)
    return item


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
