"""Each rule in a whole plan on a tiny event: once where the planner must honour it (with the waiting list's
reason), once where it makes planning impossible and the explanation names it (hard rules), or where it decides
between two otherwise equal plans (soft rules). The rules' unit tests on a bare model are in test_rules.py."""

from __future__ import annotations

import datetime as dt

import pytest
from ortools.sat.python import cp_model

from scheduler import release, solve
from scheduler.domain import Assignment, Break, Category, Day, Event, Placement, Plan, Role, Segments
from scheduler.load.timeparse import parse_windows
from scheduler.solve.rules.early_placement import compact
from scheduler.solve.variables import Variables
from scheduler.validate import check
from tests.factories import DAY, GENERATED, basic, event, person, session, with_rules


def plan_of(ev: Event) -> Plan:
    result = release.plan(ev, generated_at=GENERATED, time_limit=20)
    assert check(ev, result) == []
    return result


def no_plan(ev: Event) -> solve.Explanation:
    with pytest.raises(solve.NoPlan) as raised:
        release.plan(ev, generated_at=GENERATED, time_limit=20)
    return raised.value.explanation


def conflict_keys(ev: Event) -> list[str]:
    return [key for conflict in no_plan(ev).conflicts for key in conflict.rules]


def held(result: Plan) -> set[tuple[str, str, str]]:
    return {(a.participant, a.session, a.role.value) for a in result.assignments}


def reason(result: Plan, participant: str) -> str:
    return next(u.reason for u in result.unassigned if u.participant == participant)


# --- session_roles -----------------------------------------------------------------------------------------


def test_session_roles_holds() -> None:
    ev = event(
        [session(speakers=(1, 2))],
        [person("M1", "S1:moderator"), person("M2", "S1:moderator")] + [person(f"P{i}") for i in range(1, 5)],
    )
    result = plan_of(ev)
    assert len(result.assigned("S1", Role.MODERATOR)) == 1
    assert len(result.assigned("S1", Role.SPEAKER)) == 2
    assert sorted(u.reason for u in result.unassigned) == [
        "S1 moderator: the moderator place taken by an applicant who ranked it higher or balances the panel better",
        *[
            "S1 speaker: all 2 speaker places taken by applicants who ranked it higher or balance the panel better"
        ]
        * 2,
    ]


def test_session_roles_violated() -> None:
    ev = event([session(moderators=2)], [person("M1", "S1:moderator"), person("P1")])
    assert conflict_keys(ev) == ["session_roles:S1:moderator"]


# --- interest_only -----------------------------------------------------------------------------------------


def test_interest_only_holds_and_fixed_always_holds() -> None:
    # P3 ranks S1 second and would lose to P1 and P2 on rank, but the organisers fixed P3 there.
    ev = event(
        [session(speakers=(1, 2)), session("S2", start=dt.time(14, 0), moderators=0, speakers=(0, 1))],
        [
            person("M1", "S1:moderator"),
            person("P1"),
            person("P2"),
            person("P3", "S2:speaker; S1:speaker", fixed=(("S1", Role.SPEAKER),)),
        ],
    )
    result = plan_of(ev)
    assert ("P3", "S1", "speaker") in held(result)
    assert all(a.role is not Role.MODERATOR or a.participant == "M1" for a in result.assignments)


def test_interest_only_violated_when_nobody_asked_to_moderate() -> None:
    # Speakers are never drafted as moderators: they did not ask for it.
    ev = event([session()], [person("P1"), person("P2")])
    (conflict,) = no_plan(ev).conflicts
    assert conflict.rules == ("session_roles:S1:moderator",)
    assert (
        "nobody asked to be moderator there (interest_only: a person takes only a role they asked for)"
        in (conflict.message)
    )


# --- eligibility -------------------------------------------------------------------------------------------


def test_eligibility_holds() -> None:
    ev = event(
        [session(eligible=(Category.STAKEHOLDER,))],
        [person("M1", "S1:moderator"), person("P1"), person("G1", category=Category.IGO)],
    )
    result = plan_of(ev)
    assert held(result) == {("M1", "S1", "moderator"), ("P1", "S1", "speaker")}
    assert "category igo is not eligible for S1" in reason(result, "G1")


def test_eligibility_min_level_for_member_state_speakers() -> None:
    ev = event(
        [session(eligible=(Category.MEMBER_STATE,), min_level="deputy_minister")],
        [
            person("M1", "S1:moderator", category=Category.MEMBER_STATE, level="official"),
            person("D1", category=Category.MEMBER_STATE, level="minister"),
            person("D2", category=Category.MEMBER_STATE, level="official"),
        ],
    )
    result = plan_of(ev)
    assert held(result) == {("M1", "S1", "moderator"), ("D1", "S1", "speaker")}
    assert "below the deputy_minister level" in reason(result, "D2")


def test_eligibility_violated() -> None:
    ev = event(
        [session(eligible=(Category.STAKEHOLDER,))],
        [person("M1", "S1:moderator", category=Category.IGO), person("P1")],
    )
    (conflict,) = no_plan(ev).conflicts
    assert conflict.rules == ("session_roles:S1:moderator", "eligibility:S1:moderator")
    assert (
        "eligibility: M1 Person M1: category igo is not eligible for S1 (only stakeholder)"
        in conflict.message
    )
    assert "or allow igo in the eligible of S1" in conflict.relaxations


# --- one_role ----------------------------------------------------------------------------------------------


def two_sessions() -> list:
    return [session("S1"), session("S2", start=dt.time(14, 0))]


def test_one_role_holds() -> None:
    ev = event(
        two_sessions(),
        [
            person("M1", "S1:moderator"),
            person("M2", "S2:moderator"),
            person("P1", "S1:speaker; S2:speaker"),
            person("P2", "S2:speaker"),
        ],
    )
    result = plan_of(ev)
    assert [a.session for a in result.assignments if a.participant == "P1"] == ["S1"]


def test_one_role_violated() -> None:
    # M1 is the only moderator for both sessions.
    ev = event(
        two_sessions(), [person("M1", "S1:moderator; S2:moderator"), person("P1"), person("P2", "S2:speaker")]
    )
    assert sorted(conflict_keys(ev)) == [
        "one_role:M1",
        "session_roles:S1:moderator",
        "session_roles:S2:moderator",
    ]


def test_one_role_allows_more_when_configured() -> None:
    ev = with_rules(
        event(
            two_sessions(),
            [person("M1", "S1:moderator; S2:moderator"), person("P1"), person("P2", "S2:speaker")],
        ),
        max_roles_per_person=2,
    )
    assert {a.session for a in plan_of(ev).assignments if a.participant == "M1"} == {"S1", "S2"}


# --- availability ------------------------------------------------------------------------------------------


def test_availability_holds_in_the_persons_time_zone() -> None:
    # 10:00 in Geneva is 04:00 in New York: an 08:00-20:00 window there excludes it.
    ev = event(
        [session()],
        [
            person("M1", "S1:moderator"),
            person("P1"),
            person("NY", timezone="America/New_York", available=parse_windows("08:00-20:00")),
        ],
    )
    result = plan_of(ev)
    assert ("NY", "S1", "speaker") not in held(result)
    assert "04:00-05:00 in America/New_York" in reason(result, "NY")


@pytest.mark.parametrize(
    ("date", "available"), [(dt.date(2020, 10, 28), True), (dt.date(2020, 11, 4), False)]
)
def test_availability_follows_daylight_saving_in_each_zone(date: dt.date, available: bool) -> None:
    # Europe left summer time on 25 October 2020, the United States on 1 November: 14:00 in Geneva was 09:00 in
    # New York on 28 October and 08:00 on 4 November.
    ev = event(
        [session(date=date, start=dt.time(14, 0), speakers=(0, 2))],
        [
            person("M1", "S1:moderator"),
            person("NY", timezone="America/New_York", available=parse_windows("09:00-12:00")),
        ],
        days=(Day(date, dt.time(9, 0), dt.time(17, 0)),),
    )
    assert (("NY", "S1", "speaker") in held(plan_of(ev))) is available


def test_availability_window_crossing_midnight() -> None:
    ev = event(
        [session(speakers=(0, 2))],
        [
            person("M1", "S1:moderator"),
            person("AL", timezone="Asia/Almaty", available=parse_windows("21:00-02:00")),
            person("LA", timezone="America/Los_Angeles", available=parse_windows("21:00-02:00")),
        ],
    )
    # 10:00-11:00 CET is 15:00-16:00 in Almaty (out) and 01:00-02:00 in Los Angeles (inside the window).
    assert held(plan_of(ev)) == {("M1", "S1", "moderator"), ("LA", "S1", "speaker")}


def test_availability_violated() -> None:
    # 10:00-11:00 in Geneva is 18:00-19:00 in Tokyo: the only moderator has left by then.
    ev = event(
        [session()],
        [
            person("M1", "S1:moderator", timezone="Asia/Tokyo", available=parse_windows("08:00-17:00")),
            person("P1"),
        ],
    )
    (conflict,) = no_plan(ev).conflicts
    assert conflict.rules == ("session_roles:S1:moderator", "availability:S1:moderator")
    assert (
        "availability: M1 Person M1 is available 08:00-17:00 in Asia/Tokyo, and S1 is 18:00-19:00 in Asia/Tokyo"
        in conflict.message
    )
    assert (
        "or ask M1 Person M1 to widen their window to 08:00-19:00 (Asia/Tokyo time)" in conflict.relaxations
    )


def test_availability_violated_by_two_people() -> None:
    # Two moderators needed, both out of their windows: one instance of availability (S1's moderators) names
    # both, each with the window that would let them in.
    ev = event(
        [session(moderators=2)],
        [
            person("M1", "S1:moderator", timezone="Asia/Tokyo", available=parse_windows("08:00-17:00")),
            person("M2", "S1:moderator", timezone="America/New_York", available=parse_windows("08:00-12:00")),
            person("P1"),
        ],
    )
    (conflict,) = no_plan(ev).conflicts
    assert conflict.rules == ("session_roles:S1:moderator", "availability:S1:moderator")
    assert "availability: M1 Person M1 is available 08:00-17:00 in Asia/Tokyo" in conflict.message
    assert "availability: M2 Person M2 is available 08:00-12:00 in America/New_York" in conflict.message
    assert "or ask M2 Person M2 to widen their window to 04:00-12:00 (America/New_York time)" in (
        conflict.relaxations
    )


# --- objective_coverage ------------------------------------------------------------------------------------


def test_objective_coverage_holds() -> None:
    ev = event(
        [session(objectives=(5,), speakers=(1, 1))],
        [person("M1", "S1:moderator"), person("P1"), person("P3", objectives=(5,))],
    )
    assert ("P3", "S1", "speaker") in held(plan_of(ev))


def test_objective_coverage_violated() -> None:
    ev = event([session(objectives=(5, 7))], [person("M1", "S1:moderator"), person("P1", objectives=(7,))])
    assert conflict_keys(ev) == ["objective_coverage:S1:5"]


def test_objective_coverage_conflicts_with_a_full_panel() -> None:
    # Two objectives, one speaker place, nobody declares both: the solver's core names both rules.
    ev = event(
        [session(objectives=(5, 7), speakers=(1, 1))],
        [person("M1", "S1:moderator"), person("P1", objectives=(5,)), person("P2", objectives=(7,))],
    )
    assert sorted(conflict_keys(ev)) == [
        "objective_coverage:S1:5",
        "objective_coverage:S1:7",
        "session_roles:S1:speaker",
    ]


# --- stakeholder_voice -------------------------------------------------------------------------------------


def state(pid: str, **kw: object) -> object:
    return person(pid, category=Category.MEMBER_STATE, level="minister", submission_date=DAY, **kw)


def test_stakeholder_voice_holds() -> None:
    ev = event(
        [session(speakers=(1, 2), min_stakeholder_speakers=1)],
        [person("M1", "S1:moderator"), state("D1"), state("D2"), person("P9", "S1:speaker")],
    )
    assert ("P9", "S1", "speaker") in held(plan_of(ev))


def test_stakeholder_voice_violated() -> None:
    ev = event([session(min_stakeholder_speakers=1)], [person("M1", "S1:moderator"), state("D1")])
    assert conflict_keys(ev) == ["stakeholder_voice:S1"]


# --- time_budget -------------------------------------------------------------------------------------------


def test_time_budget_holds() -> None:
    budget = Segments(
        opening=5, intervention=10, discussion=20, closing=5
    )  # 30 fixed minutes: 3 speakers fit
    ev = event(
        [session(speakers=(1, 5), segments=budget)],
        [person("M1", "S1:moderator")] + [person(f"P{i}") for i in range(1, 6)],
    )
    result = plan_of(ev)
    assert len(result.assigned("S1", Role.SPEAKER)) == 3
    assert [u.reason for u in result.unassigned] == [
        "S1 speaker: the time budget of 60 minutes leaves room for 3 speakers"
    ] * 2


def test_time_budget_violated() -> None:
    budget = Segments(opening=5, intervention=10, discussion=20, closing=5)
    ev = event(
        [session(speakers=(4, 5), segments=budget)],
        [person("M1", "S1:moderator")] + [person(f"P{i}") for i in range(1, 6)],
    )
    assert sorted(conflict_keys(ev)) == ["session_roles:S1:speaker", "time_budget:S1"]


# --- placement ---------------------------------------------------------------------------------------------


def placed(sid: str, **kw: object) -> object:
    return session(sid, date=None, start=None, **kw)


def test_placement_holds_with_breaks_and_order() -> None:
    ev = event(
        [placed("S2", after=("S1",)), placed("S1")],
        [
            person("M1", "S1:moderator"),
            person("M2", "S2:moderator"),
            person("P1"),
            person("P2", "S2:speaker"),
        ],
        days=(Day(DAY, dt.time(9, 0), dt.time(13, 0)),),
        breaks=(Break(DAY, dt.time(10, 0), dt.time(11, 0)),),
    )
    result = plan_of(ev)
    start = {p.session: p.start.strftime("%H:%M") for p in result.placements}
    assert start == {"S1": "09:00", "S2": "11:00"}


def test_placement_follows_availability() -> None:
    # The only moderator connects from Almaty (UTC+6) from 15:00 to 17:00 local, 10:00-12:00 in Geneva: the
    # session cannot take the 09:00 slot that early_placement would prefer.
    ev = event(
        [placed("S1")],
        [
            person("M1", "S1:moderator", timezone="Asia/Almaty", available=parse_windows("15:00-17:00")),
            person("P1"),
        ],
        days=(Day(DAY, dt.time(9, 0), dt.time(17, 0)),),
    )
    result = plan_of(ev)
    assert result.placements[0].start.strftime("%H:%M") == "10:00"


def test_placement_violated() -> None:
    ev = event(
        [placed("S1", minutes=90), placed("S2", minutes=90, after=("S1",))],
        [
            person("M1", "S1:moderator"),
            person("M2", "S2:moderator"),
            person("P1"),
            person("P2", "S2:speaker"),
        ],
        days=(Day(DAY, dt.time(9, 0), dt.time(11, 0)),),
    )
    keys = conflict_keys(ev)
    assert keys and all(k.startswith("placement") for k in keys)


# --- withdrawn ---------------------------------------------------------------------------------------------


def test_withdrawn_holds() -> None:
    ev = event([session()], [person("M1", "S1:moderator"), person("P1"), person("P2", withdrawn=True)])
    result = plan_of(ev)
    assert "P2" not in {a.participant for a in result.assignments}
    assert "P2" not in {u.participant for u in result.unassigned}


def test_withdrawn_violated() -> None:
    ev = event([session()], [person("M1", "S1:moderator", withdrawn=True), person("P1")])
    (conflict,) = no_plan(ev).conflicts
    assert conflict.rules == ("session_roles:S1:moderator", "withdrawn:S1:moderator")
    assert "withdrawn: M1 Person M1 has withdrawn" in conflict.message
    assert (
        "or ask M1 Person M1 whether they take part after all (mark them active again)"
        in conflict.relaxations
    )


# --- soft rules: each decides between two plans that every hard rule allows ----------------------------------


def one_place(people: list, **kw: object) -> Event:
    return event([session(speakers=(1, 1), **kw)], [person("M1", "S1:moderator"), *people])


def test_interest_rank_prefers_first_choices() -> None:
    ev = event(
        two_sessions(),
        [
            person("M1", "S1:moderator"),
            person("M2", "S2:moderator"),
            person("A", "S1:speaker; S2:speaker"),
            person("B", "S2:speaker; S1:speaker"),
        ],
    )
    assert held(plan_of(ev)) >= {("A", "S1", "speaker"), ("B", "S2", "speaker")}


def test_unassigned_fills_the_panel_up_to_its_maximum() -> None:
    ev = event(
        [session(speakers=(1, 3))], [person("M1", "S1:moderator")] + [person(f"P{i}") for i in range(1, 4)]
    )
    result = plan_of(ev)
    assert len(result.assigned("S1", Role.SPEAKER)) == 3
    assert result.solver is not None and result.solver.costs["unassigned"] == 0


def test_written_submission_preferred() -> None:
    ev = one_place(
        [
            person("D1", category=Category.MEMBER_STATE, level="minister"),
            person("D2", category=Category.MEMBER_STATE, level="minister", submission_date=DAY),
        ]
    )
    assert ("D2", "S1", "speaker") in held(plan_of(ev))


def test_level_of_representation_preferred() -> None:
    ev = one_place(
        [
            person("D1", category=Category.MEMBER_STATE, level="official", submission_date=DAY),
            person("D2", category=Category.MEMBER_STATE, level="deputy_minister", submission_date=DAY),
        ]
    )
    result = plan_of(ev)
    assert ("D2", "S1", "speaker") in held(result)
    assert result.solver is not None
    # The official left out costs no level step (official is the base) but their submission does.
    assert (result.solver.costs["level_of_representation"], result.solver.costs["written_submission"]) == (
        0,
        1,
    )


def test_level_of_representation_never_crowds_a_delegation_out() -> None:
    # Taking a member-State official costs nothing more than taking a stakeholder: the minister is preferred,
    # and the official is preferred to nobody.
    ev = event([session(speakers=(2, 2))], [
        person("M1", "S1:moderator"),
        person("D1", category=Category.MEMBER_STATE, level="official"),
        person("D2", category=Category.MEMBER_STATE, level="minister"),
        person("S9", category=Category.STAKEHOLDER),
    ])  # fmt: skip
    result = plan_of(ev)
    assert ("D2", "S1", "speaker") in held(result)
    assert result.solver is not None and result.solver.costs["level_of_representation"] == 0


def test_gender_balance_preferred() -> None:
    ev = event(
        [session(speakers=(2, 2))],
        [
            person("M1", "S1:moderator", gender="f"),
            person("W1", gender="f"),
            person("W2", gender="f"),
            person("X1", gender="m"),
        ],
    )
    result = plan_of(ev)
    assert ("X1", "S1", "speaker") in held(result)
    assert result.solver is not None and result.solver.costs["gender_balance"] == 0


def test_subregion_spread_preferred() -> None:
    ev = with_rules(
        event(
            [session(speakers=(2, 2))],
            [
                person("M1", "S1:moderator"),
                person("A1", subregion="Central Asia"),
                person("A2", subregion="Central Asia"),
                person("E1", subregion="EU"),
            ],
        ),
        max_same_subregion=1,
    )
    assert ("E1", "S1", "speaker") in held(plan_of(ev))


def test_stakeholder_group_spread_preferred() -> None:
    ev = with_rules(
        event(
            [session(speakers=(2, 2))],
            [
                person("M1", "S1:moderator"),
                person("Y1", stakeholder_group="youth"),
                person("Y2", stakeholder_group="youth"),
                person("A1", stakeholder_group="academia"),
            ],
        ),
        max_same_stakeholder_group=1,
    )
    assert ("A1", "S1", "speaker") in held(plan_of(ev))


def test_early_placement_preferred() -> None:
    ev = event(
        [placed("S1")],
        [person("M1", "S1:moderator"), person("P1")],
        days=(Day(DAY, dt.time(9, 0), dt.time(17, 0)),),
    )
    assert plan_of(ev).placements[0].start.strftime("%H:%M") == "09:00"


def late(ev: Event, **starts: str) -> tuple[Variables, list[Placement], list[Assignment]]:
    """The event's variables and a valid plan with the named sessions at the given times (HH:MM on DAY), as a
    solver might return it before `compact`: everyone who asked holds their role."""
    v = Variables.build(cp_model.CpModel(), ev, presolve=True)
    placements = []
    for s in ev.sessions:
        when = starts.get(s.id)
        start = ev.localize(DAY, dt.time.fromisoformat(when)) if when else v.starts[s.id][0]
        placements.append(Placement(s.id, start, start + dt.timedelta(minutes=s.minutes)))
    return v, placements, [Assignment(*key) for key in v.x]


def times(placements: list[Placement]) -> dict[str, str]:
    return {p.session: p.start.strftime("%H:%M") for p in placements}


def test_compact_moves_each_placed_session_to_its_earliest_start_that_keeps_every_rule() -> None:
    # S2 follows S1; F is fixed at 09:00-10:00; M3 connects from Almaty 15:00-18:00, i.e. 10:00-13:00 in Geneva.
    ev = event(
        [
            session("F", date=DAY, start=dt.time(9, 0), moderators=0, speakers=(0, 1)),
            placed("S1"),
            placed("S2", after=("S1",)),
            placed("S3"),
        ],
        [
            person("M1", "S1:moderator"),
            person("M2", "S2:moderator"),
            person("M3", "S3:moderator", timezone="Asia/Almaty", available=parse_windows("15:00-18:00")),
        ],
        days=(Day(DAY, dt.time(9, 0), dt.time(18, 0)),),
    )
    v, placements, assignments = late(ev, S1="14:00", S2="16:00", S3="12:00")
    # In time order: S3 cannot start before 10:00 (M3); S1 takes 11:00 after S3; S2 takes 12:00 after S1.
    assert times(compact(v, placements, assignments)) == {"F": "09:00", "S1": "11:00", "S2": "12:00", "S3": "10:00"}


def test_compact_leaves_a_published_session_where_it_is() -> None:
    ev = event([placed("S1")], [person("M1", "S1:moderator")], days=(Day(DAY, dt.time(9, 0), dt.time(17, 0)),))
    v, placements, assignments = late(ev, S1="11:00")
    published = Plan(ev.id, 1, GENERATED, tuple(placements), tuple(assignments), (), ())
    v = Variables.build(cp_model.CpModel(), ev, presolve=True, previous=published)
    assert times(compact(v, placements, assignments)) == {"S1": "11:00"}


def test_early_placement_weighed_in_the_objective_trades_against_the_other_rules() -> None:
    # M1 (S1 their first choice) is available from 11:00 only; M2 (S1 their second choice, after a role that S0
    # does not have) any time. With early_placement in the objective at 10 a slot, eight slots earlier (09:00)
    # outweigh M1's better rank (10); by default the rank wins and S1 starts at 11:00, as early as M1 can.
    people = [
        person("M1", "S1:moderator", available=parse_windows("11:00-17:00")),
        person("M2", "S0:speaker; S1:moderator"),
    ]
    sessions = [session("S0", start=dt.time(16, 0), speakers=(0, 0), moderators=0), placed("S1", speakers=(0, 1))]
    ev = event(sessions, people, days=(Day(DAY, dt.time(9, 0), dt.time(17, 0)),))
    assert times(list(plan_of(ev).placements))["S1"] == "11:00"
    weighed = plan_of(with_rules(ev, weight_early_placement=10))
    assert times(list(weighed.placements))["S1"] == "09:00"
    assert held(weighed) == {("M2", "S1", "moderator")}


def test_soft_costs_match_the_validators_recount() -> None:
    result = plan_of(basic())
    assert result.solver is not None
    assert result.solver.objective == sum(
        result.solver.costs[r] * result.solver.weights[r] for r in result.solver.costs
    )
