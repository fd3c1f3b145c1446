"""Small facts of the domain that several places show."""

from __future__ import annotations

from scheduler.domain import SolverReport


def test_the_gap_is_the_share_of_the_cost_that_the_bound_could_still_save() -> None:
    assert SolverReport("optimal", 9307, 9307, 0.1).gap == 0
    assert SolverReport("feasible", 200, 150, 1.0).gap == 0.25
    assert SolverReport("feasible", 0, 0, 1.0).gap == 0  # a zero cost divides by one
