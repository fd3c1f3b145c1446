"""Re-planning against a published plan: what changed (with calendar SEQUENCE numbers). The stability term is
the rule `scheduler/solve/rules/stability.py`."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import replace

from scheduler.domain import Assignment, Cancellation, Change, Event, Placement, Plan, Role, RunningItem
from scheduler.timeline import event_span


def fingerprint(*parts: object) -> str:
    """A short digest of what a calendar event says; the SEQUENCE goes up only when it changes."""
    return hashlib.sha256("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()[:16]


def with_fingerprints(
    event: Event,
    placements: list[Placement],
    assignments: list[Assignment],
    running_order: Sequence[RunningItem],
) -> tuple[list[Placement], list[Assignment]]:
    """Fingerprint every public session event and every invitation from all that they show."""
    shared = (event.title, event.timezone, event.public_link, event.speaker_link, event.tech_check_minutes,
              ",".join(event.languages), event.organiser_name, event.organiser_email)  # fmt: skip
    marked_places = []
    for p in placements:
        session = event.session_by_id[p.session]
        marked_places.append(replace(p, fingerprint=fingerprint(
            *shared, p.start.isoformat(), p.end.isoformat(), session.title, session.objectives)))  # fmt: skip
    when = {p.session: p for p in marked_places}
    marked = []
    for a in assignments:
        person = event.applicant_by_id[a.participant]
        slots = [f"{i.segment}@{i.start.isoformat()}-{i.end.isoformat()}" for i in running_order
                 if i.session == a.session and i.participant == a.participant]  # fmt: skip
        marked.append(replace(a, fingerprint=fingerprint(
            when[a.session].fingerprint, a.role, person.name, person.email, person.timezone, *slots)))  # fmt: skip
    return marked_places, marked


def compare(
    event: Event,
    previous: Plan | None,
    placements: list[Placement],
    assignments: list[Assignment],
    reasons: dict[str, str],
) -> tuple[list[Placement], list[Assignment], list[Change], list[Cancellation]]:
    """Carry calendar SEQUENCE numbers forward, raised only where what that event says changed; keep every
    cancellation until its invitation is sent again; list the changes versus the previous plan, with reasons."""
    if previous is None:
        return placements, assignments, [], []
    before_place = {p.session: p for p in previous.placements}
    sequenced_places = []
    changes: list[Change] = []
    for placement in placements:
        old = before_place.get(placement.session)
        sequence = 0
        if old is not None:
            sequence = old.sequence if old.fingerprint == placement.fingerprint else old.sequence + 1
            if (old.start, old.end) != (placement.start, placement.end):
                changes.append(Change("retimed", placement.session, before=event_span(event, old.start, old.end),
                                      after=event_span(event, placement.start, placement.end),
                                      reason=_retime_reason(event, placement.session)))  # fmt: skip
        sequenced_places.append(replace(placement, sequence=sequence))

    old_by_pair = {(a.participant, a.session): a for a in previous.assignments}
    cancelled = {(c.participant, c.session): c for c in previous.cancellations}
    new_pairs = {(a.participant, a.session) for a in assignments}
    sequenced = []
    for assignment in assignments:
        pair = (assignment.participant, assignment.session)
        was = old_by_pair.get(pair)
        sequence = 0
        if was is not None:
            sequence = was.sequence if was.fingerprint == assignment.fingerprint else was.sequence + 1
        elif pair in cancelled:  # invited again after a cancellation: calendars need a higher SEQUENCE
            sequence = cancelled[pair].sequence + 1
        sequenced.append(replace(assignment, sequence=sequence))

    cancellations = [c for c in previous.cancellations if (c.participant, c.session) not in new_pairs]
    cancellations += [
        Cancellation(a.participant, a.session, a.role, before_place[a.session].start, before_place[a.session].end,
                     a.sequence + 1)
        for a in previous.assignments
        if (a.participant, a.session) not in new_pairs and a.session in before_place
    ]  # fmt: skip
    cancellations.sort(key=lambda c: (c.participant, c.session))
    changes += _assignment_changes(event, previous.assignments, assignments, reasons)
    changes.sort(key=lambda c: (c.session, c.kind, c.participant or ""))
    return sequenced_places, sequenced, changes, cancellations


def _retime_reason(event: Event, session_id: str) -> str:
    session = event.session_by_id[session_id]
    if session.is_fixed:
        return "the fixed time changed in event.toml"
    return "placed at a new time so that the plan still holds"


def _assignment_changes(
    event: Event, before: Sequence[Assignment], after: Sequence[Assignment], reasons: dict[str, str]
) -> list[Change]:
    old = {(a.participant, a.session, a.role) for a in before}
    new = {(a.participant, a.session, a.role) for a in after}
    old_people = {a.participant: a for a in before}
    new_people = {a.participant: a for a in after}
    removed = sorted(old - new)
    added = sorted(new - old)
    changes: list[Change] = []
    vacated: dict[tuple[str, Role], list[str]] = {}
    for person, session, role in removed:
        if person in new_people and (person, new_people[person].session, new_people[person].role) in added:
            continue  # reported as moved below
        vacated.setdefault((session, role), []).append(person)
        changes.append(
            Change(
                "removed",
                session,
                person,
                role,
                before=f"{session} {role}",
                reason=_removal_reason(event, person, reasons),
            )
        )
    for person, session, role in added:
        if person in old_people and (person, old_people[person].session, old_people[person].role) in removed:
            was = old_people[person]
            changes.append(
                Change(
                    "moved",
                    session,
                    person,
                    role,
                    before=f"{was.session} {was.role}",
                    after=f"{session} {role}",
                    reason="re-planned around the changes above",
                )
            )
            continue
        replaced = vacated.get((session, role))
        reason = f"replaces {', '.join(replaced)}" if replaced else "a place became free"
        changes.append(Change("added", session, person, role, after=f"{session} {role}", reason=reason))
    return changes


def _removal_reason(event: Event, person: str, reasons: dict[str, str]) -> str:
    applicant = event.applicant_by_id.get(person)
    if applicant is None:
        return "no longer among the applicants"
    if applicant.withdrawn:
        return "withdrawn"
    return reasons.get(person, "re-planned")
