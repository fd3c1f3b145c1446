"""The benchmark code works: the generator writes a feasible event folder, and the planner, the CBC model and the
greedy baseline all plan it. Speed is never asserted here (see `make bench`)."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from benchmarks import run
from benchmarks.cbc import CbcModel
from benchmarks.common import judge
from benchmarks.generate import SIZES, generate
from benchmarks.greedy import greedy
from scheduler import release
from scheduler.domain import Event
from scheduler.load import load_event
from scheduler.solve import NoPlan
from scheduler.validate import check
from tests.solve.test_property import events

GENERATED = dt.datetime(2020, 11, 1, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate("TINY", tmp_path_factory.mktemp("instances"))


def test_generator_writes_the_input_contract(tiny: Path) -> None:
    assert {p.name for p in tiny.iterdir()} >= {"event.toml", "applicants.csv", "objectives.csv"}
    event = load_event(tiny)
    assert len(event.applicants) == SIZES["TINY"].applicants
    assert len(event.sessions) == SIZES["TINY"].sessions
    assert any(not s.is_fixed for s in event.sessions)  # one placed by the solver
    assert any(a.withdrawn for a in event.applicants) or SIZES["TINY"].applicants < 40
    assert all(a.email.endswith("@example.org") for a in event.applicants)
    assert all(1 <= len(a.objectives) <= 5 for a in event.applicants)


def test_generator_is_seeded(tiny: Path, tmp_path: Path) -> None:
    again = generate("TINY", tmp_path)
    for name in ("event.toml", "applicants.csv"):
        assert (again / name).read_bytes() == (tiny / name).read_bytes()


def test_scheduler_cbc_and_greedy_plan_the_tiny_instance(tiny: Path) -> None:
    event = load_event(tiny)

    planned = release.plan(event, time_limit=20, generated_at=GENERATED)
    assert check(event, planned) == []
    assert planned.solver is not None and planned.solver.status == "optimal"

    outcome = CbcModel(event).build().solve(20)
    assert outcome.status == "optimal"
    assert outcome.plan is not None
    assert check(event, outcome.plan) == []
    assert outcome.objective == planned.solver.objective
    assert judge(event, outcome.plan).objective == planned.solver.objective

    hand_made = greedy(event)
    verdict = judge(event, hand_made)
    assert {v.split(":", 1)[0] for v in verdict.violations} <= {
        "session_roles",
        "objective_coverage",
        "stakeholder_voice",
        "placement",
    }
    assert verdict.objective >= planned.solver.objective or verdict.violations


def test_run_writes_results(tmp_path: Path) -> None:
    solvers = ["--solvers", "scheduler", "cbc", "greedy"]
    folders = ["--out", str(tmp_path), "--instances", str(tmp_path / "instances")]
    run.main(["--sizes", "TINY", *solvers, "--time-limit", "20", *folders, "--no-cli", "--no-outputs"])
    with (tmp_path / "results.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["solver"] for r in rows] == ["scheduler", "cbc", "greedy"]
    assert rows[0]["status"] == rows[1]["status"] == "optimal"
    assert rows[0]["objective"] == rows[1]["objective"]
    assert rows[0]["violations"] == rows[1]["violations"] == "0"
    text = (tmp_path / "results.md").read_text(encoding="utf-8")
    assert "| TINY (30 / 3) | scheduler | optimal |" in text
    assert "ortools" in text


@pytest.mark.slow
@settings(max_examples=25, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(events())
def test_cbc_finds_the_cp_sat_optimum_on_random_events(event: Event) -> None:
    outcome = CbcModel(event).build().solve(20)
    try:
        planned = release.plan(event, time_limit=20, generated_at=GENERATED)
    except NoPlan:
        assert outcome.status == "infeasible"
        return
    assert planned.solver is not None and planned.solver.status == "optimal"
    assert (outcome.status, outcome.objective) == ("optimal", planned.solver.objective)
    assert outcome.plan is not None and check(event, outcome.plan) == []
