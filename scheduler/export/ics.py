"""Calendar files: the public programme (METHOD:PUBLISH) and one invitation per person and session
(METHOD:REQUEST or CANCEL), in the forms Outlook, Google, Apple Calendar and Thunderbird read correctly."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, cast

import pytz
from icalendar import Alarm, Calendar, Event, vCalAddress, vText, vUri

from scheduler.domain import Event as EventDef
from scheduler.domain import Role
from scheduler.export.vtimezone import vtimezone
from scheduler.views import InviteView, PlanView, SessionView

PRODID = "-//scheduler//Virtual meeting planner//EN"


def session_uid(event: EventDef, session_id: str) -> str:
    return f"{session_id}@{event.uid_domain}"


def invite_uid(event: EventDef, participant: str, session_id: str) -> str:
    return f"{participant}-{session_id}@{event.uid_domain}"


def _calendar(method: str, name: str, zones: Iterable[str], years: Iterable[int]) -> Calendar:
    cal = Calendar()
    cal.add("PRODID", PRODID)
    cal.add("VERSION", "2.0")
    cal.add("CALSCALE", "GREGORIAN")
    cal.add("METHOD", method)
    cal.add("X-WR-CALNAME", name)
    year_list = sorted(set(years))
    for zone in sorted(set(zones)):
        cal.add_component(vtimezone(zone, year_list))
    return cal


def _organizer(event: EventDef) -> vCalAddress:
    organizer = vCalAddress(f"mailto:{event.organiser_email}")
    organizer.params["CN"] = vText(event.organiser_name)
    return organizer


def _common(
    component: Event, view: PlanView, uid: str, sequence: int, start: dt.datetime, end: dt.datetime
) -> None:
    component.add("UID", uid)
    component.add("DTSTAMP", view.plan.generated_at.astimezone(dt.UTC))
    component.add("SEQUENCE", sequence)
    component.add("DTSTART", start)
    component.add("DTEND", end)
    component.add("ORGANIZER", _organizer(view.event))


def public_calendar(view: PlanView, sessions: Iterable[SessionView], name: str) -> bytes:
    """METHOD:PUBLISH with the programme only: no attendees, no e-mail, no speaker link."""
    event = view.event
    chosen = list(sessions)
    cal = _calendar("PUBLISH", name, [event.timezone], [s.start.year for s in chosen] or [2000])
    for s in chosen:
        item = Event()
        _common(item, view, session_uid(event, s.id), s.sequence, s.start, s.end)
        item.add("SUMMARY", s.session.title)
        lines = [event.title, ""]
        if s.session.objectives:
            lines.append("Objectives: " + ", ".join(_objective(event, o) for o in s.session.objectives))
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


def _objective(event: EventDef, number: int) -> str:
    label = event.objective_titles.get(number)
    return f"{number} ({label})" if label else str(number)


def invitation(view: PlanView, invite: InviteView) -> bytes:
    """One VEVENT for one person and session, in the person's own time zone, with ORGANIZER and that ATTENDEE."""
    event = view.event
    person = invite.applicant
    zone = person.timezone or event.timezone
    tz = pytz.timezone(zone)
    s = invite.session
    start, end = s.start.astimezone(tz), s.end.astimezone(tz)
    cal = _calendar(invite.method, event.title, [zone], [start.year])
    item = Event()
    _common(item, view, invite_uid(event, person.id, s.id), invite.sequence, start, end)
    attendee = vCalAddress(f"mailto:{person.email}")
    attendee.params["CN"] = vText(person.name)
    attendee.params["ROLE"] = vText("CHAIR" if invite.role is Role.MODERATOR else "REQ-PARTICIPANT")
    attendee.params["PARTSTAT"] = vText("NEEDS-ACTION")
    attendee.params["RSVP"] = vText("TRUE")
    item.add("ATTENDEE", attendee)
    item.add("SUMMARY", f"{invite.role.value.capitalize()}: {s.session.title}")
    if invite.method == "CANCEL":
        item.add("STATUS", "CANCELLED")
        item.add("DESCRIPTION", f"Cancelled: you are no longer {invite.role.value} in {s.session.title}.")
        cal.add_component(item)
        return bytes(cal.to_ical())
    item.add("STATUS", "CONFIRMED")
    item.add("DESCRIPTION", _description(view, invite, tz))
    if event.speaker_link:
        item.add("LOCATION", event.speaker_link)
        item.add("URL", vUri(event.speaker_link))
        item.add(
            "CONFERENCE",
            vUri(event.speaker_link),
            # FEATURE as a list parameter: icalendar's Conference() would quote it into one value.
            parameters=cast(
                dict[str, Any], {"VALUE": "URI", "FEATURE": ["AUDIO", "VIDEO"], "LABEL": "Speakers' link"}
            ),
        )
    alarm = Alarm()
    alarm.add("ACTION", "DISPLAY")
    alarm.add("DESCRIPTION", f"Tech check for {s.id} in 15 minutes")
    alarm.add("TRIGGER", dt.timedelta(minutes=-(event.tech_check_minutes + 15)))
    item.add_component(alarm)
    cal.add_component(item)
    return bytes(cal.to_ical())


def _description(view: PlanView, invite: InviteView, tz: dt.tzinfo) -> str:
    event = view.event
    s = invite.session
    lines = [event.title, s.session.title, "", f"Your role: {invite.role.value}"]
    lines.append(f"Session: {_span(s.start, s.end)} {event.timezone} (event time)")
    lines.append(f"         {_span(s.start.astimezone(tz), s.end.astimezone(tz), s.start)} your time ({tz})")
    for slot in invite.slots:
        if slot.segment == "intervention":
            lines.append(
                f"Your intervention: {_span(slot.start, slot.end)} event time, "
                f"{_span(slot.start.astimezone(tz), slot.end.astimezone(tz), slot.start)} your time "
                f"({slot.minutes} minutes)"
            )
    tech = s.start - dt.timedelta(minutes=event.tech_check_minutes)
    lines.append(f"Tech check: join at {tech:%H:%M} event time, {tech.astimezone(tz):%H:%M} your time")
    if s.session.objectives:
        lines.append("Objectives: " + ", ".join(_objective(event, o) for o in s.session.objectives))
    lines.append("Interpretation: " + ", ".join(event.languages))
    if event.speaker_link:
        lines += ["", f"Join: {event.speaker_link}"]
    return "\n".join(lines)


def _span(start: dt.datetime, end: dt.datetime, reference: dt.datetime | None = None) -> str:
    """`12 Nov 10:00-10:45`; the date is shown in local time, so it differs from the event's when it does."""
    del reference
    return f"{start:%a %d %b %H:%M}-{end:%H:%M}"
