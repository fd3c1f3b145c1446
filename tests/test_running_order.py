"""The running order inside a session: protocol order of the interventions, and the minutes of each item."""

from __future__ import annotations

import datetime as dt

from scheduler import running_order
from scheduler.domain import Assignment, Category, Event, Placement, Role, RunningItem, Segments
from tests.factories import DAY, event, person, session


def items(ev: Event, roles: list[tuple[str, Role]]) -> list[tuple[str, str, str | None, int]]:
    """(start, segment, participant, minutes) of each item of S1, placed at 10:00."""
    start = ev.localize(DAY, dt.time(10))
    placement = Placement("S1", start, start + dt.timedelta(minutes=ev.session_by_id["S1"].minutes))
    built = running_order.build(ev, [placement], [Assignment(p, "S1", r) for p, r in roles])
    return [(f"{i.start:%H:%M}", i.segment, i.participant, _minutes(i)) for i in built]


def _minutes(item: RunningItem) -> int:
    return int((item.end - item.start).total_seconds() // 60)


def test_interventions_follow_protocol_order() -> None:
    people = [
        person("S9", category=Category.STAKEHOLDER),
        person("U1", category=Category.UN_SYSTEM),
        person("I1", category=Category.IGO),
        person("O1", category=Category.OBSERVER, country="Holy See", level="ambassador"),
        person("A2", category=Category.MEMBER_STATE, country="Austria", level="official"),
        person("A3", category=Category.MEMBER_STATE, country="Armenia", level="minister"),
        # Same level: the earlier registration speaks first, whatever the id.
        person("B5", category=Category.MEMBER_STATE, country="Belgium", level="ambassador",
               registered_at=dt.datetime(2020, 10, 2)),
        person("B4", category=Category.MEMBER_STATE, country="Bulgaria", level="ambassador",
               registered_at=dt.datetime(2020, 10, 3)),
    ]  # fmt: skip
    ev = event([session(speakers=(1, 8), minutes=120)], [person("M1", "S1:moderator"), *people])
    built = items(ev, [("M1", Role.MODERATOR)] + [(p.id, Role.SPEAKER) for p in people])
    speakers = [participant for _, segment, participant, _ in built if segment == "intervention"]
    assert speakers == ["A3", "B5", "B4", "A2", "O1", "I1", "U1", "S9"]


def test_segments_give_each_item_its_minutes_and_the_discussion_the_rest() -> None:
    budget = Segments(opening=5, intervention=7, discussion=10, closing=5)
    ev = event(
        [session(minutes=60, segments=budget)],
        [person("M1", "S1:moderator"), person("P1"), person("P2")],
    )
    assert items(ev, [("M1", Role.MODERATOR), ("P1", Role.SPEAKER), ("P2", Role.SPEAKER)]) == [
        ("10:00", "opening", "M1", 5),
        ("10:05", "intervention", "P1", 7),
        ("10:12", "intervention", "P2", 7),
        ("10:19", "discussion", "M1", 36),  # 10 planned + 26 not needed by the two speakers
        ("10:55", "closing", "M1", 5),
    ]


def test_without_segments_the_time_is_split_evenly() -> None:
    ev = event([session(minutes=50)], [person("M1", "S1:moderator"), person("P1"), person("P2")])
    assert [
        m for *_, m in items(ev, [("M1", Role.MODERATOR), ("P1", Role.SPEAKER), ("P2", Role.SPEAKER)])
    ] == [
        12,
        12,
        12,
        14,
    ]


def test_rapporteurs_share_the_report() -> None:
    budget = Segments(opening=5, intervention=10, discussion=20, closing=5, report=5)
    ev = event(
        [session(minutes=60, rapporteurs=2, speakers=(1, 1), segments=budget)],
        [
            person("M1", "S1:moderator"),
            person("P1"),
            person("R1", "S1:rapporteur"),
            person("R2", "S1:rapporteur"),
        ],
    )
    roles = [("M1", Role.MODERATOR), ("P1", Role.SPEAKER), ("R2", Role.RAPPORTEUR), ("R1", Role.RAPPORTEUR)]
    assert items(ev, roles)[-3:] == [
        ("10:50", "report", "R1", 2),
        ("10:52", "report", "R2", 3),
        ("10:55", "closing", "M1", 5),
    ]
