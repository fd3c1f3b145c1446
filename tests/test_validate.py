"""The independent checker: exact violation lists on hand-built plans, and an exact recount of soft rules."""

from __future__ import annotations

import datetime as dt

from scheduler import release, running_order
from scheduler.domain import Assignment, Break, Category, Day, Event, Placement, Plan, Role, Segments
from scheduler.load.timeparse import parse_windows
from scheduler.validate import Penalty, Violation, check, objective, penalties, penalty_items
from tests.factories import DAY, GENERATED, event, person, session


def at(ev: Event, hour: int, minute: int = 0, sid: str = "S1") -> Placement:
    start = ev.localize(DAY, dt.time(hour, minute))
    return Placement(sid, start, start + dt.timedelta(minutes=ev.session_by_id[sid].minutes))


def plan(ev: Event, placements: list[Placement], roles: list[tuple[str, str, Role]]) -> Plan:
    assignments = [Assignment(p, s, r) for p, s, r in roles]
    return Plan(ev.id, 1, GENERATED, tuple(placements), tuple(assignments),
                running_order.build(ev, placements, assignments))  # fmt: skip


def test_a_correct_plan_has_no_violation() -> None:
    ev = event([session()], [person("M1", "S1:moderator"), person("P1")])
    assert check(ev, plan(ev, [at(ev, 10)], [("M1", "S1", Role.MODERATOR), ("P1", "S1", Role.SPEAKER)])) == []


def test_every_broken_rule_is_listed_exactly() -> None:
    ev = event(
        [session(objectives=(5,), min_stakeholder_speakers=1, eligible=(Category.STAKEHOLDER, Category.IGO))],
        [
            person("M1", "S1:moderator"),
            person("G1", category=Category.IGO),
            person("U1", category=Category.UN_SYSTEM),
            person("W1", withdrawn=True),
            person("NY", timezone="America/New_York", available=parse_windows("08:00-18:00")),
            person("F1", "S1:speaker", fixed=(("S1", Role.SPEAKER),)),
        ],
    )
    broken = plan(
        ev,
        [at(ev, 10, 30)],  # S1 is fixed at 10:00
        [
            ("M1", "S1", Role.SPEAKER),  # asked to moderate, not to speak
            ("G1", "S1", Role.SPEAKER),
            ("U1", "S1", Role.SPEAKER),  # un_system is not eligible
            ("W1", "S1", Role.SPEAKER),
            ("NY", "S1", Role.SPEAKER),  # 04:30 in New York
        ],
    )
    assert check(ev, broken) == [
        Violation("session_roles", "S1 has 0 moderator(s), needs 1"),
        Violation("session_roles", "S1 has 5 speaker(s), needs 1-3"),
        Violation("interest_only", "F1 is fixed as S1 speaker but not assigned"),
        Violation("interest_only", "M1 did not ask for S1 speaker"),
        Violation("eligibility", "U1 (un_system) may not be in S1"),
        Violation("availability", "NY is not available for S1 (04:30-05:30 in America/New_York)"),
        Violation("objective_coverage", "S1: no speaker addresses objective 5"),
        Violation("placement", "S1 is not at its fixed time 2020-11-12 10:00:00"),
        Violation("withdrawn", "W1 is withdrawn but holds S1 speaker"),
    ]


def test_placement_and_one_role_violations() -> None:
    ev = event(
        [session("S1", date=None, start=None), session("S2", date=None, start=None, after=("S1",))],
        [person("M1", "S1:moderator; S2:moderator"), person("P1"), person("P2", "S2:speaker")],
    )
    broken = plan(
        ev,
        [at(ev, 10, 0, "S1"), at(ev, 9, 30, "S2")],
        [("M1", "S1", Role.MODERATOR), ("M1", "S2", Role.MODERATOR), ("P1", "S1", Role.SPEAKER),
         ("P2", "S2", Role.SPEAKER)],
    )  # fmt: skip
    assert check(ev, broken) == [
        Violation("one_role", "M1 holds 2 roles"),
        Violation("one_role", "M1 is in S2 and S1, which overlap"),
        Violation("placement", "S2 and S1 overlap"),
        Violation("placement", "S2 starts before S1 ends"),
    ]


def test_time_budget_violation() -> None:
    ev = event(
        [session(speakers=(1, 5), segments=Segments(opening=5, intervention=10, discussion=30, closing=5))],
        [person("M1", "S1:moderator"), person("P1"), person("P2"), person("P3")],
    )
    speakers = [(p, "S1", Role.SPEAKER) for p in ("P1", "P2", "P3")]
    assert check(ev, plan(ev, [at(ev, 10)], [("M1", "S1", Role.MODERATOR), *speakers])) == [
        Violation("time_budget", "S1 needs 70 minutes, has 60"),
        Violation("time_budget", "S1's running order overruns the session"),
    ]
    assert check(ev, plan(ev, [at(ev, 10)], [("M1", "S1", Role.MODERATOR), *speakers[:2]])) == []


def test_penalties_recount_each_soft_rule() -> None:
    state = {"category": Category.MEMBER_STATE, "gender": "f", "subregion": "EU"}
    ev = event(
        [session(speakers=(1, 4))],
        [
            person("M1", "S1:moderator", gender="f"),
            person("D1", "S2:speaker; S1:speaker", level="official", **state),
            person("D2", level="minister", submission_date=DAY, **state),
            person("D5", level="senior_official", **state),
            person("D3", level="ambassador", submission_date=DAY, **state),
            person("Y1", stakeholder_group="youth", gender="f"),
            person("Y2", stakeholder_group="youth", gender="x"),
        ],
    )
    roles = [("M1", "S1", Role.MODERATOR)] + [(p, "S1", Role.SPEAKER) for p in ("D1", "D2", "D5", "Y1")]
    units = penalties(ev, plan(ev, [at(ev, 10)], roles))
    assert units == {
        "interest_rank": 1,  # D1 got a second choice
        "unassigned": 2,  # D3 and Y2
        "written_submission": 1,  # D3 sent one and is left out
        "level_of_representation": 2,  # D3, an ambassador, is two steps above official
        "gender_balance": 4,  # five women, no man: 5 - 0 - 1
        "subregion_spread": 1,  # three speakers from EU, two allowed
        "stakeholder_group_spread": 0,
        "early_placement": 0,
        "stability": 0,
    }
    assert objective(ev, units) == 10 + 200 + 20 + 5 * 2 + 30 * 4 + 30


def test_stability_counts_removed_assignments_and_moved_sessions() -> None:
    ev = event([session(date=None, start=None)], [person("M1", "S1:moderator"), person("P1"), person("P2")])
    before = plan(ev, [at(ev, 10)], [("M1", "S1", Role.MODERATOR), ("P1", "S1", Role.SPEAKER)])
    after = plan(ev, [at(ev, 11)], [("M1", "S1", Role.MODERATOR), ("P2", "S1", Role.SPEAKER)])
    assert penalties(ev, after, before)["stability"] == 2
    assert penalties(ev, before, before)["stability"] == 0


def test_sessions_of_different_lengths_each_last_their_own_minutes() -> None:
    ev = event(
        [session("S1", minutes=30, date=None, start=None), session("S2", date=None, start=None)],
        [
            person("M1", "S1:moderator"),
            person("M2", "S2:moderator"),
            person("P1"),
            person("P2", "S2:speaker"),
        ],
    )
    short = Placement("S1", ev.localize(DAY, dt.time(9)), ev.localize(DAY, dt.time(10)))
    roles = [("M1", "S1", Role.MODERATOR), ("P1", "S1", Role.SPEAKER), ("M2", "S2", Role.MODERATOR),
             ("P2", "S2", Role.SPEAKER)]  # fmt: skip
    assert check(ev, plan(ev, [at(ev, 9, 0, "S1"), at(ev, 10, 0, "S2")], roles)) == []
    assert check(ev, plan(ev, [short, at(ev, 10, 0, "S2")], roles)) == [
        Violation("placement", "S1 lasts 1:00:00, not 30 minutes")
    ]


def test_availability_is_read_on_each_person_s_own_clock() -> None:
    """Tokyo is 8 hours ahead of Zurich on that date; a window crossing midnight covers the early hours too."""
    night_owl = person("T1", timezone="Asia/Tokyo", available=parse_windows("21:00-02:00"))
    evening = (Day(DAY, dt.time(9), dt.time(20)),)
    ev = event([session(date=None, start=None)], [person("M1", "S1:moderator"), night_owl], days=evening)
    roles = [("M1", "S1", Role.MODERATOR), ("T1", "S1", Role.SPEAKER)]
    found = {
        f"{hour}:{minute:02d}": check(ev, plan(ev, [at(ev, hour, minute)], roles))
        for hour, minute in ((10, 0), (14, 0), (17, 0), (16, 30), (17, 30))
    }
    assert found == {
        "10:00": [Violation("availability", "T1 is not available for S1 (18:00-19:00 in Asia/Tokyo)")],
        "14:00": [],
        "17:00": [],
        "16:30": [],
        "17:30": [
            Violation("availability", "T1 is not available for S1 (01:30-02:30 on 13 Nov in Asia/Tokyo)")
        ],
    }


def test_early_placement_counts_the_possible_starts_before_the_one_taken() -> None:
    """Starts every 15 minutes from 09:00, none overlapping the lunch break, on whichever day comes first in time
    (the days declared in any order)."""
    later = DAY + dt.timedelta(days=1)
    ev = event(
        [session(date=None, start=None)],
        [person("M1", "S1:moderator"), person("P1")],
        days=(Day(later, dt.time(9), dt.time(17)), Day(DAY, dt.time(9), dt.time(17))),
        breaks=(Break(DAY, dt.time(12), dt.time(13)),),
    )
    roles = [("M1", "S1", Role.MODERATOR), ("P1", "S1", Role.SPEAKER)]
    # 09:00 to 11:00 (9 starts), then 13:00 to 13:45 (4 starts)
    assert penalty_items(ev, plan(ev, [at(ev, 14)], roles)) == [
        Penalty("early_placement", 13, "S1: 13 earlier possible start(s) not taken")
    ]
    assert penalty_items(ev, plan(ev, [at(ev, 9)], roles)) == []


def test_a_plan_takes_the_earliest_day_whatever_the_order_of_the_days() -> None:
    later = DAY + dt.timedelta(days=1)
    ev = event(
        [session(date=None, start=None)],
        [person("M1", "S1:moderator"), person("P1")],
        days=(Day(later, dt.time(9), dt.time(17)), Day(DAY, dt.time(9), dt.time(17))),
    )
    planned = release.plan(ev, generated_at=GENERATED)
    assert planned.placements[0].start == ev.localize(DAY, dt.time(9))
    assert planned.solver is not None and planned.solver.costs["early_placement"] == 0
