"""Tiny hand-built events for rule tests: a day, one or two sessions, a handful of people."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from scheduler.domain import (
    Applicant,
    Category,
    Day,
    Event,
    Interest,
    Role,
    Rules,
    Session,
    SessionKind,
)

DAY = dt.date(2020, 11, 12)
GENERATED = dt.datetime(2020, 11, 1, tzinfo=dt.UTC)


def session(sid: str = "S1", **kw: Any) -> Session:
    """A 60-minute session at 10:00 with one moderator and 1-3 speakers, unless told otherwise."""
    values: dict[str, Any] = {
        "title": f"Session {sid}",
        "kind": SessionKind.ROUNDTABLE,
        "minutes": 60,
        "date": DAY,
        "start": dt.time(10, 0),
        "moderators": 1,
        "speakers": (1, 3),
    }
    values.update(kw)
    return Session(id=sid, **values)


def person(pid: str, wants: str = "S1:speaker", **kw: Any) -> Applicant:
    """An active stakeholder in the event's zone, available any time, with the given ranked `SESSION:ROLE` wishes."""
    interests = tuple(
        Interest(item.split(":")[0], Role(item.split(":")[1]), rank)
        for rank, item in enumerate((w.strip() for w in wants.split(";") if w.strip()), start=1)
    )
    values: dict[str, Any] = {
        "name": f"Person {pid}",
        "email": f"{pid.lower()}@example.org",
        "category": Category.STAKEHOLDER,
        "stakeholder_group": "civil_society",
        "interests": interests,
        "registered_at": dt.datetime(2020, 10, 1)
        + dt.timedelta(hours=int("".join(c for c in pid if c.isdigit()) or 0)),
    }
    values.update(kw)
    return Applicant(id=pid, **values)


def event(sessions: list[Session], people: list[Applicant], **kw: Any) -> Event:
    values: dict[str, Any] = {
        "id": "tiny",
        "title": "Tiny event",
        "timezone": "Europe/Zurich",
        "organiser_name": "Secretariat",
        "organiser_email": "secretariat@example.org",
        "uid_domain": "tiny.example.org",
        "days": (Day(DAY, dt.time(9, 0), dt.time(17, 0)),),
        "rules": Rules(),
    }
    values.update(kw)
    return Event(sessions=tuple(sessions), applicants=tuple(people), **values)


def with_rules(base: Event, **kw: Any) -> Event:
    return replace(base, rules=replace(base.rules, **kw))


def basic() -> Event:
    """One session, a moderator and two speakers who fit without conflict."""
    return event(
        [session()],
        [person("M1", "S1:moderator"), person("P1"), person("P2")],
    )
