"""The independent check of a solution, in this process and in a second one beside it (`solve.Check`): a sound
plan passes, a plan with a role left empty or costs that do not add up is refused with the same violations both
ways, and a check that cannot fork (another thread running) is made here."""

from __future__ import annotations

import dataclasses
import threading
from pathlib import Path

import pytest

from scheduler import solve
from scheduler.domain import Assignment, Event, Role
from scheduler.load import load_event

DEFAULT_EVENT = Path(__file__).resolve().parents[2] / "data" / "gcm2020-unece"


@pytest.fixture(scope="module")
def planned() -> tuple[Event, solve.Solution]:
    event = load_event(DEFAULT_EVENT)
    return event, solve.solve(event, time_limit=20)


def without_a_moderator(solution: solve.Solution) -> tuple[solve.Solution, Assignment]:
    moderator = next(a for a in solution.assignments if a.role is Role.MODERATOR)
    kept = tuple(a for a in solution.assignments if a != moderator)
    return dataclasses.replace(solution, assignments=kept), moderator


def started(event: Event, solution: solve.Solution, *, beside: bool) -> solve.Check:
    check = solve.Check(event, solution, None, beside=beside)
    # No other thread runs here, so a check asked to run beside does run in a second process.
    assert (check._beside is not None) == beside
    return check


def refusal(event: Event, solution: solve.Solution, *, beside: bool) -> list[str]:
    check = started(event, solution, beside=beside)
    with pytest.raises(solve.PlanRefused) as refused:
        check()
    return [str(v) for v in refused.value.violations]


@pytest.mark.parametrize("beside", [True, False])
def test_a_sound_plan_passes(planned: tuple[Event, solve.Solution], beside: bool) -> None:
    event, solution = planned
    started(event, solution, beside=beside)()  # no PlanRefused


def test_a_plan_without_its_moderator_is_refused_the_same_both_ways(
    planned: tuple[Event, solve.Solution],
) -> None:
    event, solution = planned
    broken, moderator = without_a_moderator(solution)
    here, beside = refusal(event, broken, beside=False), refusal(event, broken, beside=True)
    assert here == beside
    assert any(v.startswith("session_roles") and moderator.session in v for v in here)
    # One person fewer holds a role: the recount of the waiting list's costs differs from the solver's.
    assert any(v.startswith("objective") for v in here)


def test_costs_that_do_not_add_up_are_refused(planned: tuple[Event, solve.Solution]) -> None:
    event, solution = planned
    report = dataclasses.replace(solution.report, objective=solution.report.objective + 1)
    assert refusal(event, dataclasses.replace(solution, report=report), beside=True) == [
        f"objective: solver costs {solution.report.costs} differ from recount {solution.report.costs}"
    ]


def test_with_another_thread_running_the_check_is_made_here(planned: tuple[Event, solve.Solution]) -> None:
    event, solution = planned
    broken, _ = without_a_moderator(solution)
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        check = solve.Check(event, broken, None)
        assert check._beside is None  # a fork now would copy the other thread's locks held
        with pytest.raises(solve.PlanRefused):
            check()
    finally:
        release.set()
        other.join()
