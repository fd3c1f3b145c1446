"""The timed running order of a session: the opening (by the co-chairs, else the moderator); statements on behalf
of groups, then the other interventions in protocol order; the discussion led by the moderator; the rapporteur's
report; rights of reply; the closing (by the co-chairs, else the moderator). Every item has a start and an end,
and each item with a participant the language they speak in."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable

from scheduler.domain import (
    CATEGORY_ORDER,
    Applicant,
    Assignment,
    Event,
    Placement,
    Role,
    RunningItem,
    Session,
)

Part = tuple[str, str | None, Role | None]  # (segment, participant, role)


def protocol_key(applicant: Applicant, event: Event | None = None) -> tuple[int, int, str, dt.datetime, str]:
    """Statements on behalf of groups first; then member States by level of representation, then observers, igo,
    un_system, stakeholders. Within a tier, by registration time, or by the event's seeded draw when its
    `speaking_order` is "lots"; then by id, so that the order never depends on file order."""
    group = 0 if applicant.on_behalf_of else 1
    level = applicant.level_rank if applicant.is_delegate else 0
    registered = applicant.registered_at or dt.datetime.max
    lot = ""
    if event is not None and event.rules.speaking_order == "lots":
        lot, registered = draw(event, applicant), dt.datetime.max
    return (group, CATEGORY_ORDER[applicant.category] * 100 + level, lot, registered, applicant.id)


def draw(event: Event, applicant: Applicant) -> str:
    """The person's lot: a digest of the event id and their id, so that the draw is the same on every run and
    re-plan of the event, and one person joining or leaving moves nobody else."""
    return hashlib.sha256(f"{event.id}\n{applicant.id}".encode()).hexdigest()


def build(
    event: Event, placements: Iterable[Placement], assignments: Iterable[Assignment]
) -> tuple[RunningItem, ...]:
    """The running order of every placed session, in time order."""
    assignments = list(assignments)
    items: list[RunningItem] = []
    for placement in sorted(placements, key=lambda p: (p.start, p.session)):
        session = event.session_by_id[placement.session]
        held = [a for a in assignments if a.session == session.id]
        items += _session_items(event, session, placement, held)
    return tuple(items)


def _shared(segment: str, people: list[str], role: Role, minutes: int) -> tuple[list[Part], list[int]]:
    """A segment shared by several people in turn, the last taking the odd minutes."""
    share, rest = divmod(minutes, len(people))
    return [(segment, p, role) for p in people], [share] * (len(people) - 1) + [share + rest]


def _session_items(
    event: Event, session: Session, placement: Placement, held: list[Assignment]
) -> list[RunningItem]:
    people = event.applicant_by_id
    moderators = sorted(a.participant for a in held if a.role is Role.MODERATOR)
    rapporteurs = sorted(a.participant for a in held if a.role is Role.RAPPORTEUR)
    co_chairs = sorted(
        (a.participant for a in held if a.role is Role.CO_CHAIR), key=lambda p: protocol_key(people[p], event)
    )
    speakers = sorted(
        (a.participant for a in held if a.role is Role.SPEAKER), key=lambda p: protocol_key(people[p], event)
    )
    chair = moderators[0] if moderators else None
    chair_role = Role.MODERATOR if chair else None
    reporter = rapporteurs[0] if rapporteurs else chair
    segments = session.segments

    def frame(segment: str, minutes: int) -> tuple[list[Part], list[int]]:
        """The opening or the closing: the co-chairs in turn, else the moderator."""
        if co_chairs:
            return _shared(segment, co_chairs, Role.CO_CHAIR, minutes)
        return [(segment, chair, chair_role)], [minutes]

    statements: list[Part] = [
        ("group_statement" if people[p].on_behalf_of else "intervention", p, Role.SPEAKER) for p in speakers
    ]
    if segments is None:
        # No time budget: the session's time is split evenly between the opening, the speakers and the closing.
        opening = frame("opening", 0)[0]
        closing = frame("closing", 0)[0]
        parts = opening + statements + closing
        share, rest = divmod(session.minutes, len(parts))
        minutes = [share] * len(parts)
        minutes[-1] += rest
    else:
        parts, minutes = frame("opening", segments.opening)
        parts += statements
        minutes += [segments.statement_minutes(people[p]) for p in speakers]
        slack = session.minutes - segments.fixed_minutes() - sum(minutes[len(minutes) - len(speakers) :])
        if segments.discussion or not segments.closing:
            parts.append(("discussion", chair, chair_role))
            minutes.append(segments.discussion + max(slack, 0))
            slack = 0
        if segments.report and len(rapporteurs) > 1:  # the rapporteurs share the report's time
            shared, lengths = _shared("report", rapporteurs, Role.RAPPORTEUR, segments.report)
            parts += shared
            minutes += lengths
        elif segments.report:
            role = Role.RAPPORTEUR if rapporteurs else chair_role
            parts.append(("report", reporter, role))
            minutes.append(segments.report)
        if segments.reply:
            # Rights of reply: whoever asks for the floor, known only on the day.
            parts.append(("reply", None, None))
            minutes.append(segments.reply)
        closing, lengths = frame("closing", segments.closing)
        lengths[-1] += max(slack, 0)
        parts += closing
        minutes += lengths
    items = []
    clock = placement.start
    for (segment, person, role), length in zip(parts, minutes, strict=True):
        if length <= 0:
            continue
        end = clock + dt.timedelta(minutes=length)
        language = event.language_in(people[person], session) if person is not None else ""
        items.append(RunningItem(session.id, clock, end, segment, person, role, language))
        clock = end
    return items
