"""The views every exporter formats: sessions with their people and running order, invitations, coverage.

Built once from (event, plan); exporters only format them and never decide anything.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property

from scheduler.domain import (
    Applicant,
    Cancellation,
    Category,
    Event,
    Plan,
    Role,
    RunningItem,
    Session,
    SessionKind,
)
from scheduler.i18n import event_language, person_language


@dataclass(frozen=True)
class ItemView:
    number: int
    start: dt.datetime
    end: dt.datetime
    segment: str
    person: Applicant | None
    role: Role | None
    language: str = ""  # the language the person speaks in (empty for an item without a person)

    @property
    def minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)


@dataclass(frozen=True)
class SessionView:
    session: Session
    start: dt.datetime  # in the event's time zone
    end: dt.datetime
    sequence: int
    moderators: tuple[Applicant, ...]
    rapporteurs: tuple[Applicant, ...]
    speakers: tuple[Applicant, ...]  # in speaking order
    items: tuple[ItemView, ...]
    language: str = "en"  # of its run-of-show: its first moderator's (scheduler.i18n.person_language)
    co_chairs: tuple[Applicant, ...] = ()  # in speaking order

    @property
    def id(self) -> str:
        return self.session.id

    def people(self) -> tuple[Applicant, ...]:
        return self.co_chairs + self.moderators + self.speakers + self.rapporteurs


@dataclass(frozen=True)
class InviteView:
    applicant: Applicant
    session: SessionView
    role: Role
    sequence: int
    slots: tuple[ItemView, ...]  # the person's own items in the running order
    method: str = "REQUEST"  # or CANCEL
    language: str = "en"  # the person's (scheduler.i18n.person_language)


@dataclass(frozen=True)
class PlanView:
    event: Event
    plan: Plan
    sessions: tuple[SessionView, ...]  # in time order
    invites: tuple[InviteView, ...]  # requests then cancellations, by participant and session
    unassigned: tuple[tuple[Applicant, str], ...]
    language: str = "en"  # the event's first language: the organisers' workbook and public calendars

    def session(self, session_id: str) -> SessionView:
        return self._by_id[session_id]

    @cached_property
    def _by_id(self) -> dict[str, SessionView]:
        return {s.id: s for s in self.sessions}

    def coverage(self, session_id: str, objective: int) -> tuple[Applicant, ...]:
        """The assigned speakers of a session who declared the objective."""
        return tuple(p for p in self.session(session_id).speakers if objective in p.objectives)


def build_view(event: Event, plan: Plan) -> PlanView:
    tz = event.tz
    people = event.applicant_by_id
    # Grouped by session once: looking them up per session went through the whole plan each time.
    raw_items: dict[str, list[RunningItem]] = defaultdict(list)
    for item in plan.running_order:
        raw_items[item.session].append(item)
    holders: dict[tuple[str, Role], list[str]] = defaultdict(list)
    for a in plan.assignments:
        holders[a.session, a.role].append(a.participant)
    sessions = []
    for placement in sorted(plan.placements, key=lambda p: (p.start, p.session)):
        session = event.session_by_id[placement.session]
        items = tuple(
            ItemView(
                n, _in(tz, i.start), _in(tz, i.end), i.segment, people.get(i.participant or ""), i.role, i.language
            )
            for n, i in enumerate(raw_items[session.id], start=1)
        )
        speakers = tuple(i.person for i in items if i.role is Role.SPEAKER and i.person is not None)
        # The co-chairs in the order they open the session.
        co_chairs = tuple(dict.fromkeys(
            i.person for i in items if i.role is Role.CO_CHAIR and i.person is not None
        ))  # fmt: skip
        moderators = tuple(people[p] for p in sorted(holders[session.id, Role.MODERATOR]))
        sessions.append(
            SessionView(
                session,
                _in(tz, placement.start),
                _in(tz, placement.end),
                placement.sequence,
                moderators,
                tuple(people[p] for p in sorted(holders[session.id, Role.RAPPORTEUR])),
                speakers,
                items,
                person_language(event, moderators[0]) if moderators else event_language(event),
                co_chairs,
            )
        )
    by_id = {s.id: s for s in sessions}
    slots: dict[tuple[str, str], list[ItemView]] = defaultdict(list)  # by (session, participant)
    for s in sessions:
        for i in s.items:
            if i.person is not None:
                slots[s.id, i.person.id].append(i)
    invites = [
        InviteView(
            people[a.participant],
            by_id[a.session],
            a.role,
            a.sequence,
            tuple(slots[a.session, a.participant]),
            language=person_language(event, people[a.participant]),
        )
        for a in sorted(plan.assignments, key=lambda a: (a.participant, a.session))
    ]
    invites += [
        _cancelled(event, c, by_id)
        for c in sorted(plan.cancellations, key=lambda c: (c.participant, c.session))
    ]
    unassigned = tuple((people[u.participant], u.reason) for u in plan.unassigned if u.participant in people)
    return PlanView(event, plan, tuple(sessions), tuple(invites), unassigned, event_language(event))


def _cancelled(event: Event, cancellation: Cancellation, sessions: dict[str, SessionView]) -> InviteView:
    session = event.session_by_id.get(cancellation.session)
    tz = event.tz
    view = SessionView(
        session or Session(cancellation.session, cancellation.session, kind=SessionKind.OTHER, minutes=1),
        _in(tz, cancellation.start),
        _in(tz, cancellation.end),
        0,
        (),
        (),
        (),
        (),
    )
    applicant = event.applicant_by_id.get(cancellation.participant) or Applicant(
        cancellation.participant, cancellation.participant, "", category=Category.STAKEHOLDER
    )
    language = person_language(event, applicant)
    return InviteView(applicant, view, cancellation.role, cancellation.sequence, (), "CANCEL", language)


def _in(tz: dt.tzinfo, when: dt.datetime) -> dt.datetime:
    return when.astimezone(tz)
