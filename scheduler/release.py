"""The release stage, between the views and the exporters: what is published of a solution.

It numbers the version, carries each calendar SEQUENCE forward from the published plan, lists the changes versus
it (with reasons) and the cancellations. A SEQUENCE goes up exactly when what that calendar event says changed:
each invitation and public session event is rendered by the exporters' own functions and fingerprinted without
its DTSTAMP and SEQUENCE, so whatever they print (in any language) is covered, and nothing else counts.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import replace

from scheduler.domain import Assignment, Cancellation, Change, Event, Placement, Plan, Role
from scheduler.export.ics import Invitations, session_calendar
from scheduler.solve import Solution, solve
from scheduler.solve.model import ProgressFn
from scheduler.timeline import event_span
from scheduler.views import PlanView, build_view

# The lines of a calendar file that differ between two versions of the same content.
VERSION_LINES = (b"DTSTAMP:", b"DTSTAMP;", b"SEQUENCE:", b"SEQUENCE;")


def plan(
    event: Event,
    *,
    previous: Plan | None = None,
    keep_published: bool = True,
    time_limit: float = 60.0,
    progress: ProgressFn | None = None,
    generated_at: dt.datetime,
) -> Plan:
    """Solve the event and release the solution: the plan to publish (see `solve` and `release`)."""
    found = solve(
        event, previous=previous, keep_published=keep_published, time_limit=time_limit, progress=progress
    )
    return release(event, found, previous, generated_at)


def release(event: Event, solution: Solution, previous: Plan | None, generated_at: dt.datetime) -> Plan:
    """The plan to publish: version 1, or one more than the `previous` published plan; SEQUENCE numbers carried
    forward from it, raised only where what a calendar event says changed; every cancellation kept until its
    invitation is sent again; and the changes versus `previous`, with reasons."""
    draft = Plan(
        event=event.id,
        version=previous.version + 1 if previous else 1,
        generated_at=generated_at,
        placements=solution.placements,
        assignments=solution.assignments,
        running_order=solution.running_order,
        unassigned=solution.unassigned,
        solver=solution.report,
    )
    placements, assignments = fingerprinted(build_view(event, draft))
    placements, assignments, changes, cancellations = compare(
        event, previous, placements, assignments, solution.reasons
    )
    return replace(
        draft,
        placements=tuple(placements),
        assignments=tuple(assignments),
        changes=tuple(changes),
        cancellations=tuple(cancellations),
    )


def fingerprint(calendar: bytes) -> str:
    """A short digest of what a calendar file says: its unfolded lines without DTSTAMP and SEQUENCE."""
    lines = calendar.replace(b"\r\n ", b"").split(b"\r\n")
    shown = b"\r\n".join(line for line in lines if not line.startswith(VERSION_LINES))
    return hashlib.sha256(shown).hexdigest()[:16]


def fingerprinted(view: PlanView) -> tuple[list[Placement], list[Assignment]]:
    """The plan's placements and assignments, each with the fingerprint of its public session event or its
    invitation as the exporters render them."""
    public = {s.id: fingerprint(session_calendar(view, s)) for s in view.sessions}
    invitations = Invitations(view)
    invited = {
        (i.applicant.id, i.session.id): fingerprint(invitations.make(i).calendar)
        for i in view.invites
        if i.method == "REQUEST"
    }
    return (
        [replace(p, fingerprint=public[p.session]) for p in view.plan.placements],
        [replace(a, fingerprint=invited[a.participant, a.session]) for a in view.plan.assignments],
    )


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
