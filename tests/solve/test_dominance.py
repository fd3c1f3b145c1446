"""The dominance presolve (`scheduler.solve.variables._Seats`): applicants identical in everything the rules read
are interchangeable, so only as many of them as there are places for their wishes get variables. It must never
change the optimum, and those it leaves out are on the waiting list with a true reason."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ortools.sat.python import cp_model

from scheduler import release, solve
from scheduler.domain import Applicant, Category, Event, Role
from scheduler.solve.model import parameters
from scheduler.solve.rules import RULES, Guards, Term
from scheduler.solve.variables import Variables
from scheduler.validate import check
from tests.factories import GENERATED, event, person, session
from tests.solve.test_property import events

REGISTERED = dt.datetime(2020, 10, 1)


def optimum(ev: Event, *, dominance: bool) -> tuple[int, float | None, frozenset[str]]:
    """The status and optimum of the event's model (as `scheduler.solve.model.build` states it), with or without
    the dominance presolve, and the people it left out."""
    model = cp_model.CpModel()
    variables = Variables.build(model, ev, presolve=True, dominance=dominance)
    guards = Guards(model, enabled=False)
    for rule in RULES:
        rule.constrain(variables, guards)
    terms: list[Term] = []
    for rule in RULES:
        terms += rule.terms(variables, terms)
    model.minimize(sum(term.weight * term.expr for term in terms))
    solver = parameters(10)
    status = solver.solve(model)
    value = solver.objective_value if status == cp_model.OPTIMAL else None
    return status, value, variables.dominated


def copies(applicant: Applicant, count: int, first: int) -> list[Applicant]:
    """`count` copies of the applicant with new ids, names and e-mail addresses; nothing else differs."""
    return [
        replace(applicant, id=f"D{n}", name=f"Double {n}", email=f"d{n}@example.org")
        for n in range(first, first + count)
    ]


def panel(doubles: int) -> Event:
    """One session with a moderator and 1-2 speakers; `doubles` identical people ask to speak."""
    ev = event(
        [session(speakers=(1, 2))],
        [person("M1", "S1:moderator"), person("P1", registered_at=REGISTERED)],
    )
    return replace(ev, applicants=ev.applicants + tuple(copies(ev.applicants[1], doubles, 1)))


def test_only_as_many_identical_people_as_places_get_variables() -> None:
    ev = panel(8)
    status, with_presolve, dropped = optimum(ev, dominance=True)
    assert status == cp_model.OPTIMAL
    assert dropped == {f"D{n}" for n in range(2, 9)}  # P1 and D1 fill the two places
    assert optimum(ev, dominance=False)[1] == with_presolve


def test_the_people_left_out_are_on_the_waiting_list_with_the_reason() -> None:
    ev = panel(8)
    plan = release.plan(ev, generated_at=GENERATED)
    assert check(ev, plan) == []
    assert len([a for a in plan.assignments if a.role is Role.SPEAKER]) == 2
    reasons = {u.participant: u.reason for u in plan.unassigned}
    assert set(reasons) == {"P1", *(f"D{n}" for n in range(1, 9))} - {a.participant for a in plan.assignments}
    for reason in reasons.values():
        assert reason == (
            "S1 speaker: all 2 speaker places taken by applicants who ranked it higher, balance the panel better or "
            "equal them in everything the rules weigh"
        )


def test_people_with_a_fixed_role_or_withdrawn_stay_out_of_classes() -> None:
    ev = panel(0)
    chosen = replace(ev.applicants[1], fixed=(("S1", Role.SPEAKER),))
    gone = replace(ev.applicants[1], withdrawn=True)
    ev = replace(ev, applicants=(*ev.applicants[:1], *copies(chosen, 3, 1), *copies(gone, 3, 4)))
    assert optimum(ev, dominance=True)[2] == frozenset()


def test_a_conflict_names_every_candidate() -> None:
    """The pre-checks run on the variables of everyone when they find a conflict: its words stay the same."""
    chair = person("C1", "S1:co_chair", registered_at=REGISTERED, gender="f")
    ev = event(
        [session(moderators=0, co_chairs=2, co_chairs_differ_in="gender")],
        [chair, *copies(chair, 4, 1), person("P1")],
    )
    with pytest.raises(solve.NoPlan) as no_plan:
        solve.solve(ev)
    assert "C1, D1, D2, D3, D4: f" in str(no_plan.value)


def anchors(ev: Event) -> list[Applicant]:
    """People who can fill each session's required places, so that most random events have a plan."""
    found = []
    for s in ev.sessions:
        for role in Role:
            for n in range(s.role_count(role)[0]):
                found.append(person(
                    f"A{s.id}{role.value}{n}", f"{s.id}:{role.value}", registered_at=REGISTERED,
                    gender="fmx"[n % 3], subregion="AB"[n % 2], objectives=s.objectives,
                    category=Category.STAKEHOLDER if Category.STAKEHOLDER in s.eligible else s.eligible[0],
                    level="minister", languages=s.languages,
                ))  # fmt: skip
    return found


@st.composite
def doubled(draw: st.DrawFn) -> Event:
    """A random small event (tests/solve/test_property.py, without fixed assignments, which conflict often) in
    which some applicants come several times over."""
    ev = draw(events())
    people = [replace(a, fixed=()) for a in ev.applicants] + anchors(ev)
    for index, applicant in enumerate(list(people)):
        count = draw(st.sampled_from([0, 0, 1, 3, 6]))
        people += copies(applicant, count, 10 * index)
    return replace(ev, applicants=tuple(draw(st.permutations(people))))


@pytest.mark.slow
@settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(doubled())
def test_the_presolve_keeps_the_optimum(ev: Event) -> None:
    status, with_presolve, _ = optimum(ev, dominance=True)
    assert (status, with_presolve) == optimum(ev, dominance=False)[:2]
    if status != cp_model.OPTIMAL:
        return
    plan = release.plan(ev, generated_at=GENERATED, time_limit=10)
    assert check(ev, plan) == []
    assert plan.solver is not None and plan.solver.objective == with_presolve
    wishing = {a.id for a in ev.applicants if a.wishes_a_role}
    held = {a.participant for a in plan.assignments}
    reasons = {u.participant: u.reason for u in plan.unassigned}
    assert set(reasons) >= wishing - held
    assert all(reasons[p] for p in wishing - held)


def test_identical_people_are_each_refused_in_their_own_words() -> None:
    # Which rules forbid a wish is worked out once per class; the words, which may name the person, for each.
    ev = event(
        [session(speakers=(1, 2), languages=("en",))],
        [person("M1", "S1:moderator"), person("P1", "S1:speaker", languages=("fr",))],
    )
    ev = replace(ev, applicants=ev.applicants + tuple(copies(ev.applicants[1], 3, 1)))
    v = Variables.build(cp_model.CpModel(), ev, presolve=True)
    for applicant in ev.applicants[1:]:
        key = (applicant.id, "S1", Role.SPEAKER)
        assert v.excluded[key] == v.exclusions(applicant, ev.sessions[0], Role.SPEAKER)[0]
        assert v.excluded[key].rule == "interpretation"
        assert f"; {applicant.id} speaks only fr" in v.excluded[key].detail
    assert v.available_slots[("D3", "S1")] == v.available_slots[("P1", "S1")]
