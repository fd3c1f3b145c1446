"""Each rule alone on a bare model: the variable container of a tiny event, the rule's constraints or terms, and
a few assignments fixed by hand. A hard rule's pair: a plan it allows is feasible, one it forbids is not. A soft
rule's pair: the least units it can cost with the assignments fixed, 0 where it holds and more where it does not.
Rules that hold by absence (no variable) are tested on the explanations' container, which has the variable and
holds it at 0 under the rule."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from ortools.sat.python import cp_model

from scheduler import rulebook
from scheduler.domain import Assignment, Category, Day, Event, Placement, Plan, Role, Segments
from scheduler.load.timeparse import parse_windows
from scheduler.solve.rules import BY_NAME, RULES, Guards
from scheduler.solve.variables import Variables
from tests.factories import DAY, GENERATED, event, person, session, with_rules

MOD, SPK, CO = Role.MODERATOR, Role.SPEAKER, Role.CO_CHAIR


def bare(ev: Event, *names: str, forbidden: bool = False, previous: Plan | None = None) -> Variables:
    """The container of `ev` with only the named rules' constraints (every instance enforced)."""
    model = cp_model.CpModel()
    v = Variables.build(model, ev, forbidden=forbidden, previous=previous)
    guards = Guards(model, enabled=False)
    for name in names:
        BY_NAME[name].constrain(v, guards)
    return v


def feasible(v: Variables) -> bool:
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    return bool(solver.solve(v.model) in (cp_model.OPTIMAL, cp_model.FEASIBLE))


def least(v: Variables, rule: str) -> int:
    """The fewest units of the soft `rule` in any plan of `v`."""
    terms = BY_NAME[rule].terms(v, [])
    v.model.minimize(sum(t.expr for t in terms))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    assert solver.solve(v.model) == cp_model.OPTIMAL
    return round(solver.objective_value)


def fix(v: Variables, *assignments: tuple[str, str, Role, bool]) -> Variables:
    for participant, session_id, role, value in assignments:
        v.fix(participant, session_id, role, value)
    return v


def test_the_registry_holds_the_rulebook_in_its_order() -> None:
    assert [rule.name for rule in RULES] == [rule.name for rule in rulebook.RULES]
    assert all(rule.hard == rulebook.BY_NAME[rule.name].hard for rule in RULES)
    assert all(type(rule).__doc__ for rule in RULES)


# --- hard rules -----------------------------------------------------------------------------------------------


def one_session(*people: object, **kw: object) -> Event:
    return event([session(**kw)], [person("M1", "S1:moderator"), *people])  # type: ignore[list-item]


def test_session_roles_holds() -> None:
    v = bare(one_session(person("P1"), person("P2"), speakers=(1, 2)), "session_roles")
    assert feasible(fix(v, ("P1", "S1", SPK, True), ("P2", "S1", SPK, True)))


def test_session_roles_violated() -> None:
    v = bare(one_session(person("P1"), person("P2"), speakers=(1, 1)), "session_roles")
    assert not feasible(fix(v, ("P1", "S1", SPK, True), ("P2", "S1", SPK, True)))


def test_interest_only_holds() -> None:
    v = bare(one_session(person("P1", fixed=(("S1", SPK),))), "interest_only")
    assert ("P1", "S1", MOD) not in v.x  # nobody is drafted into a role they did not ask for
    assert feasible(fix(v, ("P1", "S1", SPK, True)))


def test_interest_only_violated() -> None:
    v = bare(one_session(person("P1", fixed=(("S1", SPK),))), "interest_only")
    assert not feasible(fix(v, ("P1", "S1", SPK, False)))


def test_eligibility_holds() -> None:
    v = bare(one_session(person("P1"), eligible=(Category.STAKEHOLDER,)), "eligibility", forbidden=True)
    assert feasible(fix(v, ("P1", "S1", SPK, True)))


def test_eligibility_violated() -> None:
    ev = one_session(person("G1", category=Category.IGO), eligible=(Category.STAKEHOLDER,))
    assert ("G1", "S1", SPK) not in bare(ev).x
    assert not feasible(fix(bare(ev, "eligibility", forbidden=True), ("G1", "S1", SPK, True)))


def test_eligibility_violated_by_level() -> None:
    delegate = person("D1", category=Category.MEMBER_STATE, level="official")
    ev = one_session(delegate, eligible=(Category.MEMBER_STATE,), min_level="minister")
    assert not feasible(fix(bare(ev, "eligibility", forbidden=True), ("D1", "S1", SPK, True)))


def test_one_role_holds() -> None:
    ev = event(
        [session("S1"), session("S2", start=dt.time(14, 0))], [person("M1", "S1:moderator; S2:moderator")]
    )
    assert feasible(fix(bare(ev, "one_role"), ("M1", "S1", MOD, True)))


def test_one_role_violated() -> None:
    ev = event(
        [session("S1"), session("S2", start=dt.time(14, 0))], [person("M1", "S1:moderator; S2:moderator")]
    )
    assert not feasible(fix(bare(ev, "one_role"), ("M1", "S1", MOD, True), ("M1", "S2", MOD, True)))


def test_one_role_violated_twice_in_one_session() -> None:
    ev = with_rules(event([session()], [person("M1", "S1:moderator; S1:speaker")]), max_roles_per_person=2)
    assert not feasible(fix(bare(ev, "one_role"), ("M1", "S1", MOD, True), ("M1", "S1", SPK, True)))


TOKYO = {
    "timezone": "Asia/Tokyo",
    "available": parse_windows("08:00-17:00"),
}  # 10:00 in Geneva is 18:00 there


def test_availability_holds() -> None:
    v = bare(one_session(person("NY", timezone="America/New_York", available=parse_windows("03:00-06:00"))),
             "availability", forbidden=True)  # fmt: skip
    assert feasible(fix(v, ("NY", "S1", SPK, True)))


def test_availability_violated() -> None:
    ev = one_session(person("T1", **TOKYO))
    assert ("T1", "S1", SPK) not in bare(ev).x
    assert not feasible(fix(bare(ev, "availability", forbidden=True), ("T1", "S1", SPK, True)))


def test_availability_violated_by_the_start_taken() -> None:
    # S1 may start at 09:00 or 10:00 (Geneva); Tokyo's 17:00 closes the window over a 09:00-10:00 session only.
    ev = event(
        [session(date=None, start=None)],
        [
            person("M1", "S1:moderator"),
            person("T1", timezone="Asia/Tokyo", available=parse_windows("08:00-18:00")),
        ],
        days=(Day(DAY, dt.time(9, 0), dt.time(11, 0)),),
        rules=with_rules(event([], []), slot_minutes=60).rules,
    )
    v = fix(bare(ev, "availability"), ("T1", "S1", SPK, True))
    assert [s.strftime("%H:%M") for s in v.starts["S1"]] == ["09:00", "10:00"]
    assert feasible(v)
    v.model.add(v.placed["S1"][1] == 1)
    assert not feasible(v)


def test_objective_coverage_holds() -> None:
    v = bare(one_session(person("P1"), person("P5", objectives=(5,)), objectives=(5,)), "objective_coverage")
    assert feasible(fix(v, ("P5", "S1", SPK, True)))


def test_objective_coverage_violated() -> None:
    v = bare(one_session(person("P1"), person("P5", objectives=(5,)), objectives=(5,)), "objective_coverage")
    assert not feasible(fix(v, ("P5", "S1", SPK, False)))


def voices() -> Event:
    return one_session(person("D1", category=Category.MEMBER_STATE), person("P9"), min_stakeholder_speakers=1)


def test_stakeholder_voice_holds() -> None:
    assert feasible(fix(bare(voices(), "stakeholder_voice"), ("P9", "S1", SPK, True)))


def test_stakeholder_voice_violated() -> None:
    assert not feasible(fix(bare(voices(), "stakeholder_voice"), ("P9", "S1", SPK, False)))


def budget() -> Event:
    # 30 fixed minutes of 60 leave room for 3 interventions of 10 minutes.
    segments = Segments(opening=5, intervention=10, discussion=20, closing=5)
    return one_session(*[person(f"P{i}") for i in range(1, 5)], speakers=(1, 5), segments=segments)


def test_time_budget_holds() -> None:
    assert feasible(fix(bare(budget(), "time_budget"), *[(f"P{i}", "S1", SPK, True) for i in range(1, 4)]))


def test_time_budget_violated() -> None:
    assert not feasible(
        fix(bare(budget(), "time_budget"), *[(f"P{i}", "S1", SPK, True) for i in range(1, 5)])
    )


def ordered() -> Variables:
    ev = event(
        [session("S1", date=None, start=None), session("S2", date=None, start=None, after=("S1",))],
        [person("M1", "S1:moderator")],
        days=(Day(DAY, dt.time(9, 0), dt.time(11, 0)),),
    )
    return bare(ev, "placement")


def test_placement_holds() -> None:
    v = ordered()
    v.model.add(v.placed["S1"][0] == 1)  # 09:00, then S2 at 10:00
    assert feasible(v)


def test_placement_violated() -> None:
    v = ordered()
    v.model.add(v.placed["S2"][0] == 1)  # S2 at 09:00, before S1
    assert not feasible(v)


def test_withdrawn_holds() -> None:
    assert feasible(
        fix(bare(one_session(person("P1")), "withdrawn", forbidden=True), ("P1", "S1", SPK, True))
    )


def test_withdrawn_violated() -> None:
    ev = one_session(person("P1", withdrawn=True))
    assert ("P1", "S1", SPK) not in bare(ev).x
    assert not feasible(fix(bare(ev, "withdrawn", forbidden=True), ("P1", "S1", SPK, True)))


def test_interpretation_holds() -> None:
    ev = one_session(person("P1", languages=("de", "ru")), languages=("en", "ru"))
    assert ev.language_in(ev.applicant_by_id["P1"], ev.sessions[0]) == "ru"
    assert feasible(fix(bare(ev, "interpretation", forbidden=True), ("P1", "S1", SPK, True)))


def test_interpretation_holds_for_a_blank_language_in_the_events_first() -> None:
    ev = event([session()], [person("M1", "S1:moderator"), person("P1")], languages=("fr", "en"))
    assert ("P1", "S1", SPK) in bare(ev).x
    assert ev.language_in(ev.applicant_by_id["P1"], ev.sessions[0]) == "fr"


def test_interpretation_violated() -> None:
    ev = event([session(languages=("en", "ru"))], [person("M1", "S1:moderator"), person("P1", languages=("fr",))],
               languages=("en", "fr", "ru"))  # fmt: skip
    v = bare(ev)
    assert ("P1", "S1", SPK) not in v.x
    assert v.excluded["P1", "S1", SPK].detail == "S1 is interpreted in en and ru; P1 speaks only fr"
    assert not feasible(fix(bare(ev, "interpretation", forbidden=True), ("P1", "S1", SPK, True)))


def late_event(**kw: object) -> Event:
    return one_session(person("P1", registered_at=dt.datetime(2020, 11, 10, 9), **kw))


def test_inscription_deadline_holds() -> None:
    ev = replace(late_event(), inscription_closes=dt.datetime(2020, 11, 10, 12))
    assert feasible(fix(bare(ev, "inscription_deadline", forbidden=True), ("P1", "S1", SPK, True)))
    # A fixed assignment holds whenever it was registered.
    fixed = replace(late_event(fixed=(("S1", SPK),)), inscription_closes=dt.datetime(2020, 11, 1))
    assert ("P1", "S1", SPK) in bare(fixed).x


def test_inscription_deadline_violated() -> None:
    ev = replace(late_event(), inscription_closes=dt.datetime(2020, 11, 10, 8, 59))
    v = bare(ev)
    assert v.excluded["P1", "S1", SPK].rule == "inscription_deadline"
    assert not feasible(fix(bare(ev, "inscription_deadline", forbidden=True), ("P1", "S1", SPK, True)))


def co_chaired(*people: object) -> Event:
    return event([session(co_chairs=2, co_chairs_differ_in="category")],
                 [person("M1", "S1:moderator"), *people])  # type: ignore[list-item]  # fmt: skip


def test_co_chairs_differ_holds() -> None:
    ev = co_chaired(person("K1", "S1:co_chair", category=Category.MEMBER_STATE, country="Utopia"),
                    person("K2", "S1:co_chair"))  # fmt: skip
    assert feasible(fix(bare(ev, "co_chairs_differ"), ("K1", "S1", CO, True), ("K2", "S1", CO, True)))


def test_co_chairs_differ_violated() -> None:
    ev = co_chaired(person("K1", "S1:co_chair"), person("K2", "S1:co_chair"), person("K3", "S1:co_chair"))
    v = bare(ev, "co_chairs_differ")
    assert not feasible(fix(v, ("K1", "S1", CO, True), ("K2", "S1", CO, True)))
    # Three stakeholders cannot give two co-chairs who differ in category.
    v = bare(ev, "co_chairs_differ")
    v.model.add(v.x["K1", "S1", CO] + v.x["K2", "S1", CO] + v.x["K3", "S1", CO] == 2)
    assert not feasible(v)


# --- soft rules ---------------------------------------------------------------------------------------------


def ranked() -> Variables:
    ev = event([session("S1"), session("S2", start=dt.time(14, 0))], [person("A", "S1:speaker; S2:speaker")])
    return bare(ev, "one_role")


def test_interest_rank_holds() -> None:
    assert least(fix(ranked(), ("A", "S1", SPK, True)), "interest_rank") == 0


def test_interest_rank_violated() -> None:
    assert least(fix(ranked(), ("A", "S2", SPK, True)), "interest_rank") == 1


def test_unassigned_holds() -> None:
    assert least(fix(bare(one_session(person("P1")), "one_role"), ("P1", "S1", SPK, True)), "unassigned") == 0


def test_unassigned_violated() -> None:
    v = fix(
        bare(one_session(person("P1"), person("W1", withdrawn=True)), "one_role"), ("P1", "S1", SPK, False)
    )
    assert least(v, "unassigned") == 1  # P1; the withdrawn W1 counts for nothing


def delegates() -> Variables:
    return bare(one_session(
        person("D1", category=Category.MEMBER_STATE, level="minister", submission_date=DAY),
        person("D2", category=Category.OBSERVER, level="official"),
    ), "one_role")  # fmt: skip


def test_written_submission_holds() -> None:
    assert least(fix(delegates(), ("D1", "S1", SPK, True)), "written_submission") == 0


def test_written_submission_violated() -> None:
    assert least(fix(delegates(), ("D1", "S1", SPK, False)), "written_submission") == 1


def test_level_of_representation_holds() -> None:
    # The official left out costs nothing: official is the base.
    assert (
        least(fix(delegates(), ("D1", "S1", SPK, True), ("D2", "S1", SPK, False)), "level_of_representation")
        == 0
    )


def test_level_of_representation_violated() -> None:
    # A minister is four protocol steps above official (deputy_minister, ambassador, senior_official, official).
    assert least(fix(delegates(), ("D1", "S1", SPK, False)), "level_of_representation") == 4


def panel() -> Variables:
    return bare(one_session(person("W1", gender="f"), person("W2", gender="f"), person("X1", gender="m"),
                            speakers=(2, 2)))  # fmt: skip


def test_gender_balance_holds() -> None:
    v = fix(panel(), ("M1", "S1", MOD, True), ("W1", "S1", SPK, True), ("X1", "S1", SPK, True))
    assert least(v, "gender_balance") == 0


def test_gender_balance_violated() -> None:
    # M1 is a person of no given gender: two women and no man is one beyond the allowed difference of one.
    v = fix(panel(), ("W1", "S1", SPK, True), ("W2", "S1", SPK, True), ("X1", "S1", SPK, False))
    assert least(v, "gender_balance") == 1


def spread(**labels: dict[str, str]) -> Variables:
    people = [person(pid, **kw) for pid, kw in labels.items()]
    return bare(with_rules(one_session(*people), max_same_subregion=1, max_same_stakeholder_group=1))


def test_subregion_spread_holds() -> None:
    v = spread(A1={"subregion": "EU"}, A2={"subregion": "EU"}, E1={"subregion": "CA"})
    assert least(fix(v, ("A1", "S1", SPK, True), ("E1", "S1", SPK, True), ("A2", "S1", SPK, False)),
                 "subregion_spread") == 0  # fmt: skip


def test_subregion_spread_violated() -> None:
    v = spread(A1={"subregion": "EU"}, A2={"subregion": "EU"}, E1={"subregion": "CA"})
    assert least(fix(v, ("A1", "S1", SPK, True), ("A2", "S1", SPK, True)), "subregion_spread") == 1


def test_stakeholder_group_spread_holds() -> None:
    v = spread(Y1={"stakeholder_group": "youth"}, Y2={"stakeholder_group": "youth"},
               A1={"stakeholder_group": "academia"})  # fmt: skip
    assert least(fix(v, ("Y1", "S1", SPK, True), ("A1", "S1", SPK, True), ("Y2", "S1", SPK, False)),
                 "stakeholder_group_spread") == 0  # fmt: skip


def test_stakeholder_group_spread_violated() -> None:
    v = spread(Y1={"stakeholder_group": "youth"}, Y2={"stakeholder_group": "youth"})
    assert least(fix(v, ("Y1", "S1", SPK, True), ("Y2", "S1", SPK, True)), "stakeholder_group_spread") == 1


def movable() -> Variables:
    ev = event([session(date=None, start=None)], [person("M1", "S1:moderator")],
               days=(Day(DAY, dt.time(9, 0), dt.time(11, 0)),))  # fmt: skip
    return bare(ev, "placement")


def test_early_placement_holds() -> None:
    v = movable()
    v.model.add(v.placed["S1"][0] == 1)
    assert least(v, "early_placement") == 0


def test_early_placement_violated() -> None:
    v = movable()
    v.model.add(v.placed["S1"][2] == 1)  # 09:30: two earlier starts on the 15-minute grid
    assert least(v, "early_placement") == 2


def republished() -> Variables:
    ev = one_session(person("P1"), person("P2"))
    start = ev.localize(DAY, dt.time(10, 0))
    published = Plan(ev.id, 1, GENERATED, (Placement("S1", start, start + dt.timedelta(hours=1)),),
                     (Assignment("M1", "S1", MOD), Assignment("P1", "S1", SPK)))  # fmt: skip
    return bare(ev, previous=published)


def test_stability_holds() -> None:
    assert least(fix(republished(), ("M1", "S1", MOD, True), ("P1", "S1", SPK, True)), "stability") == 0


def test_stability_violated() -> None:
    assert least(fix(republished(), ("M1", "S1", MOD, True), ("P1", "S1", SPK, False)), "stability") == 1
