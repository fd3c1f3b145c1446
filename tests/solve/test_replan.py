"""Re-planning the default event after what really happened: a moderator withdraws and the consultation moves
from 11 to 9 November 2020. Only what must change changes."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest

from scheduler import release
from scheduler.domain import Event, Plan, Role
from scheduler.load import load_event
from scheduler.validate import check, penalties
from tests.factories import GENERATED

DEFAULT_EVENT = Path(__file__).resolve().parents[2] / "data" / "gcm2020-unece"
MOVED_FROM, MOVED_TO = dt.date(2020, 11, 11), dt.date(2020, 11, 9)


@pytest.fixture(scope="module")
def original() -> tuple[Event, Plan]:
    event = load_event(DEFAULT_EVENT)
    return event, release.plan(event, generated_at=GENERATED)


def what_happened(event: Event, moderator: str) -> Event:
    """The moderator withdraws; the consultation day, its sessions and its break move two days earlier."""

    def moved(date: dt.date | None) -> dt.date | None:
        return MOVED_TO if date == MOVED_FROM else date

    return replace(
        event,
        applicants=tuple(replace(a, withdrawn=True) if a.id == moderator else a for a in event.applicants),
        days=tuple(
            sorted((replace(d, date=moved(d.date) or d.date) for d in event.days), key=lambda d: d.date)
        ),
        breaks=tuple(replace(b, date=moved(b.date) or b.date) for b in event.breaks),
        sessions=tuple(replace(s, date=moved(s.date)) for s in event.sessions),
    )


def test_replan_changes_only_what_must_change(original: tuple[Event, Plan]) -> None:
    event, before = original
    moderator = before.assigned("RT2", Role.MODERATOR)[0]
    changed = what_happened(event, moderator)
    after = release.plan(changed, previous=before, generated_at=GENERATED + dt.timedelta(days=1))

    assert after.version == 2
    assert check(changed, after) == []
    kept = {(a.participant, a.session, a.role) for a in before.assignments} - {
        (moderator, "RT2", Role.MODERATOR)
    }
    now = {(a.participant, a.session, a.role) for a in after.assignments}
    assert kept <= now, "every assignment not touched by the withdrawal is kept"
    assert len(now - kept) == 1, "exactly one new assignment: the replacement moderator"
    replacement = next(iter(now - kept))
    assert replacement[1:] == ("RT2", Role.MODERATOR)

    kinds = sorted((c.kind, c.session, c.participant or "") for c in after.changes)
    assert kinds == [
        ("added", "RT2", replacement[0]),
        ("removed", "RT2", moderator),
        ("retimed", "MSC1", ""),
        ("retimed", "MSC2", ""),
    ]
    removed = next(c for c in after.changes if c.kind == "removed")
    assert removed.reason == "withdrawn"
    added = next(c for c in after.changes if c.kind == "added")
    assert added.reason == f"replaces {moderator}"
    retimed = next(c for c in after.changes if c.session == "MSC1")
    assert retimed.before.startswith("11 Nov") and retimed.after.startswith("09 Nov")

    assert {p.session: p.start.date() for p in after.placements}["MSC1"] == MOVED_TO
    unmoved = {p.session: p.start for p in before.placements if p.start.date() != MOVED_FROM}
    assert all(p.start == unmoved[p.session] for p in after.placements if p.session in unmoved)
    assert penalties(changed, after, before)["stability"] == 3  # the withdrawal and the two moved sessions


def test_replan_raises_sequence_only_where_the_invitation_changed(original: tuple[Event, Plan]) -> None:
    event, before = original
    moderator = before.assigned("RT2", Role.MODERATOR)[0]
    after = release.plan(what_happened(event, moderator), previous=before, generated_at=GENERATED)
    moved_sessions = {"MSC1", "MSC2"}
    for assignment in after.assignments:
        was = next((a for a in before.assignments if (a.participant, a.session) ==
                    (assignment.participant, assignment.session)), None)  # fmt: skip
        if was is None:
            assert assignment.sequence == 0
        elif assignment.session in moved_sessions:
            assert assignment.sequence == was.sequence + 1
        else:
            assert assignment.sequence == was.sequence
    assert [(c.participant, c.session, c.sequence) for c in after.cancellations] == [(moderator, "RT2", 1)]
    assert {p.session: p.sequence for p in after.placements} == {
        p.session: (1 if p.session in moved_sessions else 0) for p in before.placements
    }


def test_replan_without_changes_changes_nothing(original: tuple[Event, Plan]) -> None:
    event, before = original
    after = release.plan(event, previous=before, generated_at=GENERATED)
    assert after.changes == ()
    assert after.cancellations == ()
    assert [(a.participant, a.session, a.role, a.sequence) for a in after.assignments] == [
        (a.participant, a.session, a.role, a.sequence) for a in before.assignments
    ]


def test_cancellations_last_until_the_person_is_invited_again() -> None:
    from tests.factories import event, person, session

    def version(withdrawn: bool, link: str = "") -> Event:
        return event([session(speakers=(1, 2))], [person("M1", "S1:moderator"), person("P1"),
                                                  person("P2", withdrawn=withdrawn)], speaker_link=link)  # fmt: skip

    v1 = release.plan(version(False), generated_at=GENERATED)
    v2 = release.plan(version(True), previous=v1, generated_at=GENERATED)
    assert [(c.participant, c.sequence) for c in v2.cancellations] == [("P2", 1)]
    v3 = release.plan(version(True), previous=v2, generated_at=GENERATED)
    assert [(c.participant, c.sequence) for c in v3.cancellations] == [("P2", 1)], "kept until sent again"
    v4 = release.plan(version(False), previous=v3, generated_at=GENERATED)
    assert v4.cancellations == ()
    assert {a.participant: a.sequence for a in v4.assignments}["P2"] == 2, "above the cancellation's SEQUENCE"


def test_a_new_speaker_link_updates_every_invitation() -> None:
    from tests.factories import event, person, session

    def version(link: str) -> Event:
        return event([session()], [person("M1", "S1:moderator"), person("P1")], speaker_link=link)

    v1 = release.plan(version("https://meet.example.org/a"), generated_at=GENERATED)
    v2 = release.plan(version("https://meet.example.org/b"), previous=v1, generated_at=GENERATED)
    assert [a.sequence for a in v2.assignments] == [1, 1]
    assert v2.changes == ()


def test_a_fresh_replan_ignores_the_published_assignments_but_follows_their_numbering(
    original: tuple[Event, Plan],
) -> None:
    event, before = original
    moderator = before.assigned("RT2", Role.MODERATOR)[0]
    changed = what_happened(event, moderator)
    from_scratch = release.plan(changed, generated_at=GENERATED)
    fresh = release.plan(changed, previous=before, keep_published=False, generated_at=GENERATED)

    assert fresh.version == 2
    assert fresh.solver is not None and from_scratch.solver is not None
    assert "stability" not in fresh.solver.costs or fresh.solver.costs["stability"] == 0
    assert (
        fresh.solver.objective == from_scratch.solver.objective
    )  # as good as a plan made without the old one
    published = {(a.participant, a.session) for a in before.assignments}
    now = {(a.participant, a.session) for a in fresh.assignments}
    assert {(c.participant, c.session) for c in fresh.cancellations} == published - now
    old = {(a.participant, a.session): a for a in before.assignments}
    for a in (
        fresh.assignments
    ):  # SEQUENCE numbers follow the published ones: up by one where the invitation changed
        was = old.get((a.participant, a.session))
        if was is not None:
            assert a.sequence == was.sequence + (a.fingerprint != was.fingerprint)
