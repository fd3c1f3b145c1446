"""The timed running order of a session: moderator's opening, interventions in protocol order, discussion,
rapporteur's report, closing. Every item has a start and an end."""

from __future__ import annotations

import datetime as dt
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


def protocol_key(applicant: Applicant) -> tuple[int, int, dt.datetime, str]:
    """Member States by level of representation, then observers, igo, un_system, stakeholders; ties by
    registration time, then id (so that the order never depends on file order)."""
    level = applicant.level_rank if applicant.category.value in ("member_state", "observer") else 0
    registered = applicant.registered_at or dt.datetime.max
    return (CATEGORY_ORDER[applicant.category], level, registered, applicant.id)


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


def _session_items(
    event: Event, session: Session, placement: Placement, held: list[Assignment]
) -> list[RunningItem]:
    people = event.applicant_by_id
    moderators = sorted(a.participant for a in held if a.role is Role.MODERATOR)
    rapporteurs = sorted(a.participant for a in held if a.role is Role.RAPPORTEUR)
    speakers = sorted(
        (a.participant for a in held if a.role is Role.SPEAKER), key=lambda p: protocol_key(people[p])
    )
    chair = moderators[0] if moderators else None
    reporter = rapporteurs[0] if rapporteurs else chair
    parts: list[tuple[str, str | None, Role | None]] = [("opening", chair, Role.MODERATOR if chair else None)]
    parts += [("intervention", p, Role.SPEAKER) for p in speakers]
    segments = session.segments
    if segments is None:
        # No time budget: the session's time is split evenly between the opening, the speakers and the closing.
        parts.append(("closing", chair, Role.MODERATOR if chair else None))
        share, rest = divmod(session.minutes, len(parts))
        minutes = [share] * len(parts)
        minutes[-1] += rest
    else:
        minutes = [segments.opening] + [segments.intervention] * len(speakers)
        slack = session.minutes - segments.fixed_minutes() - segments.intervention * len(speakers)
        if segments.discussion or not segments.closing:
            parts.append(("discussion", chair, Role.MODERATOR if chair else None))
            minutes.append(segments.discussion + max(slack, 0))
            slack = 0
        if segments.report and len(rapporteurs) > 1:  # the rapporteurs share the report's time
            share, rest = divmod(segments.report, len(rapporteurs))
            parts += [("report", r, Role.RAPPORTEUR) for r in rapporteurs]
            minutes += [share] * (len(rapporteurs) - 1) + [share + rest]
        elif segments.report:
            role = Role.RAPPORTEUR if rapporteurs else (Role.MODERATOR if chair else None)
            parts.append(("report", reporter, role))
            minutes.append(segments.report)
        parts.append(("closing", chair, Role.MODERATOR if chair else None))
        minutes.append(segments.closing + max(slack, 0))
    items = []
    clock = placement.start
    for (segment, person, role), length in zip(parts, minutes, strict=True):
        if length <= 0:
            continue
        end = clock + dt.timedelta(minutes=length)
        items.append(RunningItem(session.id, clock, end, segment, person, role))
        clock = end
    return items
