"""The planner's model in PuLP, solved by CBC: the same variables, hard rules and weighted soft rules as
`scheduler/solve/variables.py` and `scheduler/solve/rules/`, rule by rule and term by term, so that both solvers
work on one model.

Mirrored: one binary per possible (person, session, role) and one per start a session can use, exactly those of
the planner's variable container (`Variables`, built with its presolve: starts overlapping a session with one
possible start, or breaking an `after`, are left out; `interest_only`, `eligibility`, `interpretation`, `inscription_deadline`, `withdrawn` and impossible
availability hold by absence); one "window" variable per (session, set of starts) that a wish implies; `left_out = 1 - sum(x)` under one role per person.
Where CP-SAT has a global constraint the MILP has only its linear form: `no_overlap` is the clique row per start
minute that the CP-SAT model also carries (beside its interval constraint), and a session's start minute is the
linear expression of its start binaries. Auxiliary variables that are integral at every optimum once the
assignments are integral (the windows, `assigned[p]`, the excess counters of `gender_balance` and the spread
rules) are continuous, as a MILP modeller writes them; their values at the optimum are the same.

The objective's constant part (applicants left out whatever happens, and the weights of `left_out`) is kept out of
the MILP and added back to CBC's objective and bound, so that both compare with the CP-SAT objective.
"""

from __future__ import annotations

import bisect
import contextlib
import datetime as dt
import os
import re
import shutil
import subprocess
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pulp
from ortools.sat.python import cp_model

from benchmarks.common import make_plan
from scheduler.domain import LEVELS, Assignment, Category, Event, Placement, Plan, Role, SolverReport
from scheduler.rulebook import BY_NAME, LEVEL_BASE
from scheduler.solve.variables import Variables
from scheduler.timeline import session_end

Key = tuple[str, str, Role]

# The rules this model mirrors, by their rulebook names. `stability` is not among them: the benchmarks plan from
# scratch, never against a published plan.
HARD_RULES = (
    "session_roles",
    "interest_only",
    "eligibility",
    "interpretation",
    "inscription_deadline",
    "one_role",
    "availability",
    "objective_coverage",
    "stakeholder_voice",
    "co_chairs_differ",
    "time_budget",
    "placement",
    "withdrawn",
)
SOFT_RULES = (
    "interest_rank",
    "unassigned",
    "written_submission",
    "level_of_representation",
    "gender_balance",
    "subregion_spread",
    "stakeholder_group_spread",
    "early_placement",
)
NOT_MIRRORED = ("stability",)


def cbc_path() -> str:
    """The CBC binary: $CBC_PATH, else a `cbc` on the PATH (Debian's coinor-cbc, or `pip install pulp[cbc]`),
    else the one bundled with PuLP (reached without its deprecated PULP_CBC_CMD class)."""
    from pulp.apis import coin_api

    for candidate in (
        os.environ.get("CBC_PATH"),
        shutil.which("cbc"),
        getattr(coin_api, "pulp_cbc_path", None),
    ):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return str(Path(candidate).resolve())
    raise FileNotFoundError("no CBC binary: install coinor-cbc (apt) or pulp[cbc], or set CBC_PATH")


def cbc_version(path: str) -> str:
    """CBC's version line, e.g. 2.10.3."""
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        text = subprocess.run([path, "-quit"], capture_output=True, text=True, timeout=30, check=False).stdout
        for line in text.splitlines():
            if line.startswith("Version"):
                return line.split(":", 1)[1].strip()
    return ""


def _weight(event: Event, rule: str) -> int:
    return BY_NAME[rule].weight_of(event.rules)


def _expr(
    terms: dict[pulp.LpVariable, float] | list[tuple[pulp.LpVariable, float]], constant: float = 0
) -> pulp.LpAffineExpression:
    return pulp.LpAffineExpression(terms, constant=constant)


@dataclass
class CbcResult:
    status: str  # optimal | feasible | infeasible | unknown
    objective: float | None
    bound: float | None
    seconds: float  # CBC's own wall-clock time
    cpu_seconds: float | None = None
    plan: Plan | None = None


@dataclass
class CbcModel:
    """The MILP of an event; `build()` then `solve()`."""

    event: Event
    problem: pulp.LpProblem = field(init=False)
    starts: dict[str, list[dt.datetime]] = field(default_factory=dict)
    start_index: dict[str, list[int]] = field(default_factory=dict)  # each start's place in candidate_starts
    minutes: dict[str, list[int]] = field(default_factory=dict)
    placed: dict[str, list[pulp.LpVariable]] = field(default_factory=dict)
    x: dict[Key, pulp.LpVariable] = field(default_factory=dict)
    slots: dict[tuple[str, str], list[int]] = field(default_factory=dict)
    by_session_role: dict[tuple[str, Role], list[Key]] = field(default_factory=lambda: defaultdict(list))
    by_person: dict[str, list[Key]] = field(default_factory=lambda: defaultdict(list))
    constant: float = 0.0  # the objective's constant part
    infeasible: list[str] = field(default_factory=list)  # fixed assignments that have no variable

    def build(self) -> CbcModel:
        self.problem = pulp.LpProblem(f"plan_{self.event.id.replace('-', '_')}", pulp.LpMinimize)
        self._variables()
        self._hard_rules()
        self._objective()
        return self

    # --- variables (mirrors scheduler/solve/variables.py) -----------------------------------------------------

    def _variables(self) -> None:
        """The planner's own variable container decides which starts and wishes get a variable (candidate
        starts, the presolve, eligibility, withdrawn, availability): each becomes a binary here."""
        event = self.event
        shared = Variables.build(cp_model.CpModel(), event, presolve=True)
        for s_index, session in enumerate(event.sessions):
            self.starts[session.id] = shared.starts[session.id]
            self.start_index[session.id] = shared.start_index[session.id]
            self.minutes[session.id] = shared.start_minutes[session.id]
            self.placed[session.id] = [
                self.problem.add_variable(f"p_{s_index}_{i}", 0, 1, cat=pulp.LpBinary)
                for i in range(len(shared.starts[session.id]))
            ]
        number = {applicant.id: i for i, applicant in enumerate(event.applicants)}
        for key in shared.x:
            person, session_id, role = key
            self.x[key] = self.problem.add_variable(
                f"x_{number[person]}_{session_id}_{role.value[0]}", 0, 1, cat=pulp.LpBinary
            )
            self.slots[person, session_id] = shared.available_slots[person, session_id]
            self.by_session_role[session_id, role].append(key)
            self.by_person[person].append(key)

    def _sum(self, keys: list[Key]) -> pulp.LpAffineExpression:
        return _expr([(self.x[k], 1) for k in keys])

    # --- hard rules (mirrors scheduler/solve/rules/) --------------------------------------------------------

    def _hard_rules(self) -> None:
        event, problem = self.event, self.problem
        people = event.applicant_by_id
        # session_roles
        for session in event.sessions:
            for role in Role:
                low, high = session.role_count(role)
                if high == 0:
                    continue
                total = self._sum(self.by_session_role.get((session.id, role), []))
                if low == high:
                    problem += total == low, f"session_roles_{session.id}_{role}"
                else:
                    problem += total >= low, f"session_roles_{session.id}_{role}_min"
                    problem += total <= high, f"session_roles_{session.id}_{role}_max"
        # interest_only: the fixed assignments hold
        for applicant in event.applicants:
            for session_id, role in applicant.fixed:
                var = self.x.get((applicant.id, session_id, role))
                if var is None:
                    self.infeasible.append(f"interest_only:{applicant.id}:{session_id}:{role}")
                else:
                    var.lowBound = 1
        # one_role
        limit = event.rules.max_roles_per_person
        for person, keys in self.by_person.items():
            if len(keys) > limit:
                problem += self._sum(keys) <= limit, f"one_role_{person}"
            if limit > 1:
                by_session: dict[str, list[Key]] = defaultdict(list)
                for key in keys:
                    by_session[key[1]].append(key)
                for session_id, same in by_session.items():
                    if len(same) > 1:
                        problem += self._sum(same) <= 1, f"one_role_{person}_{session_id}"
        self._availability()
        # objective_coverage
        for session in event.sessions:
            speakers = self.by_session_role.get((session.id, Role.SPEAKER), [])
            for objective in session.objectives:
                declaring = [k for k in speakers if objective in people[k[0]].objectives]
                problem += self._sum(declaring) >= 1, f"objective_coverage_{session.id}_{objective}"
        # stakeholder_voice
        for session in event.sessions:
            if session.min_stakeholder_speakers == 0:
                continue
            keys = [
                k
                for k in self.by_session_role.get((session.id, Role.SPEAKER), [])
                if people[k[0]].category is Category.STAKEHOLDER
            ]
            problem += self._sum(keys) >= session.min_stakeholder_speakers, f"stakeholder_voice_{session.id}"
        # co_chairs_differ
        for session in event.sessions:
            column = session.co_chairs_differ_in
            if not column:
                continue
            by_value: dict[str, list[Key]] = defaultdict(list)
            for key in self.by_session_role.get((session.id, Role.CO_CHAIR), []):
                by_value[str(getattr(people[key[0]], column))].append(key)
            for n, (_, keys) in enumerate(sorted(by_value.items())):
                if len(keys) > 1:
                    problem += self._sum(keys) <= 1, f"co_chairs_differ_{session.id}_{n}"
        # time_budget
        for session in event.sessions:
            if session.segments is None:
                continue
            segments = session.segments
            if segments.group_minutes != segments.intervention:
                keys = self.by_session_role.get((session.id, Role.SPEAKER), [])
                used = _expr([(self.x[k], segments.statement_minutes(people[k[0]])) for k in keys])
                problem += used <= session.minutes - segments.fixed_minutes(), f"time_budget_{session.id}"
                continue
            fit = (session.minutes - session.segments.fixed_minutes()) // session.segments.intervention
            if fit >= session.speakers[1]:
                continue
            keys = self.by_session_role.get((session.id, Role.SPEAKER), [])
            problem += self._sum(keys) <= fit, f"time_budget_{session.id}"
        self._placement()

    def _availability(self) -> None:
        """One variable per (session, set of slots), "the session starts in one of these slots", defined over the
        slots or their complement (the shorter), and each wish at most it."""
        groups: dict[tuple[str, tuple[int, ...]], list[pulp.LpVariable]] = defaultdict(list)
        for key, var in self.x.items():
            person, session_id, _ = key
            slots = self.slots[person, session_id]
            if len(slots) < len(self.placed[session_id]):
                groups[session_id, tuple(slots)].append(var)
        for number, ((session_id, starts), variables) in enumerate(groups.items()):
            placed = self.placed[session_id]
            window = self.problem.add_variable(f"window_{number}", 0, 1)
            inside = set(starts)
            outside = [lit for i, lit in enumerate(placed) if i not in inside]
            if len(starts) <= len(outside):
                self.problem += window <= _expr([(placed[i], 1) for i in starts]), f"window_{number}"
            else:
                self.problem += _expr([(window, 1)] + [(lit, 1) for lit in outside]) <= 1, f"window_{number}"
            for var in variables:
                self.problem += var <= window, f"availability_{number}_{var.name}"

    def _placement(self) -> None:
        event, problem = self.event, self.problem
        length = {s.id: s.minutes for s in event.sessions}
        for session in event.sessions:
            problem += _expr([(v, 1) for v in self.placed[session.id]]) == 1, f"placement_{session.id}"
        # no_overlap: at every candidate start minute, at most one session is running
        points = sorted({m for minutes in self.minutes.values() for m in minutes})
        covering: dict[int, list[pulp.LpVariable]] = defaultdict(list)
        for session in event.sessions:
            for minute, var in zip(self.minutes[session.id], self.placed[session.id], strict=True):
                first = bisect.bisect_left(points, minute)
                last = bisect.bisect_left(points, minute + length[session.id])
                for point in points[first:last]:
                    covering[point].append(var)
        for point, variables in covering.items():
            if len(variables) > 1:
                problem += _expr([(v, 1) for v in variables]) <= 1, f"no_overlap_{point}"
        for session in event.sessions:
            for other in session.after:
                start = _expr(list(zip(self.placed[session.id], self.minutes[session.id], strict=True)))
                before = _expr(list(zip(self.placed[other], self.minutes[other], strict=True)), length[other])
                problem += start >= before, f"placement_{session.id}_after_{other}"

    # --- soft rules (mirrors scheduler/solve/rules/) --------------------------------------------------------

    def _objective(self) -> None:
        event, problem = self.event, self.problem
        people = event.applicant_by_id
        terms: dict[pulp.LpVariable, float] = defaultdict(float)
        constant = 0.0

        def add(var: pulp.LpVariable, coefficient: float) -> None:
            terms[var] += coefficient

        # interest_rank
        weight = _weight(event, "interest_rank")
        for key, var in self.x.items():
            rank = people[key[0]].interest_rank(key[1], key[2])
            if rank is not None and rank > 1:
                add(var, weight * (rank - 1))
        # unassigned, written_submission, level_of_representation: each a cost of leaving a person out, so one
        # "left out" expression per person (as rules.left_out) carries their weights together
        left_out_cost: dict[str, float] = defaultdict(float)
        base = LEVELS.index(LEVEL_BASE)
        for applicant in event.applicants:
            if applicant.withdrawn or not (applicant.interests or applicant.fixed):
                continue
            left_out_cost[applicant.id] += _weight(event, "unassigned")
            if applicant.category is Category.MEMBER_STATE and applicant.submission_date is not None:
                left_out_cost[applicant.id] += _weight(event, "written_submission")
            if (
                applicant.is_delegate
                and applicant.level_rank < base
            ):
                left_out_cost[applicant.id] += _weight(event, "level_of_representation") * (
                    base - applicant.level_rank
                )
        for person, cost in left_out_cost.items():
            keys = self.by_person.get(person, [])
            constant += cost  # left_out = 1 - (x, or the sum of x, or assigned)
            if len(keys) == 1:
                add(self.x[keys[0]], -cost)
            elif keys and event.rules.max_roles_per_person == 1:
                for key in keys:  # one_role keeps the sum at most 1: it is "assigned" itself
                    add(self.x[key], -cost)
            elif keys:
                assigned = problem.add_variable(f"assigned_{person}", 0, 1)
                problem += assigned <= self._sum(keys), f"assigned_{person}"
                add(assigned, -cost)
        # gender_balance
        weight = _weight(event, "gender_balance")
        for session in event.sessions:
            panel = self.by_session_role.get((session.id, Role.MODERATOR), []) + self.by_session_role.get(
                (session.id, Role.SPEAKER), []
            )
            women = [k for k in panel if people[k[0]].gender == "f"]
            men = [k for k in panel if people[k[0]].gender == "m"]
            size = session.moderators + session.speakers[1]
            excess = problem.add_variable(f"gender_excess_{session.id}", 0, size)
            balance = _expr([(self.x[k], 1) for k in women] + [(self.x[k], -1) for k in men])
            problem += excess >= balance - 1, f"gender_balance_{session.id}_f"
            problem += excess >= -balance - 1, f"gender_balance_{session.id}_m"
            add(excess, weight)
        # subregion_spread and stakeholder_group_spread
        for rule, limit in (
            ("subregion_spread", event.rules.max_same_subregion),
            ("stakeholder_group_spread", event.rules.max_same_stakeholder_group),
        ):
            weight = _weight(event, rule)
            for session in event.sessions:
                groups: dict[str, list[Key]] = defaultdict(list)
                for key in self.by_session_role.get((session.id, Role.SPEAKER), []):
                    applicant = people[key[0]]
                    if rule == "subregion_spread":
                        label = applicant.subregion
                    else:
                        label = (
                            applicant.stakeholder_group if applicant.category is Category.STAKEHOLDER else ""
                        )
                    if label:
                        groups[label].append(key)
                for number, (_, keys) in enumerate(sorted(groups.items())):
                    if len(keys) <= limit:
                        continue
                    excess = problem.add_variable(f"{rule}_{session.id}_{number}", 0, len(keys) - limit)
                    problem += excess >= self._sum(keys) - limit, f"{rule}_{session.id}_{number}"
                    add(excess, weight)
        # early_placement
        weight = _weight(event, "early_placement")
        for session in event.sessions:
            for index, var in zip(self.start_index[session.id], self.placed[session.id], strict=True):
                if index > 0:
                    add(var, weight * index)
        self.constant = constant
        problem.setObjective(_expr(dict(terms)))

    # --- solving ----------------------------------------------------------------------------------------------

    def solve(self, time_limit: float, workdir: Path | None = None) -> CbcResult:
        """Run CBC (one thread, as the planner runs CP-SAT with one worker) and read its log for the bound."""
        if self.infeasible:
            return CbcResult("infeasible", None, None, 0.0)
        with tempfile.TemporaryDirectory(dir=workdir) as tmp:
            log_path = Path(tmp) / "cbc.log"
            solver = pulp.COIN_CMD(
                path=cbc_path(),
                msg=False,
                timeLimit=time_limit,
                threads=1,
                logPath=str(log_path),
                timeMode="elapsed",
            )
            started = time.perf_counter()
            self.problem.solve(solver)
            wall = time.perf_counter() - started
            text = log_path.read_text(encoding="utf-8", errors="replace")
        return self._result(text, wall)

    def _result(self, log: str, wall: float) -> CbcResult:
        def number(label: str) -> float | None:
            found = re.findall(rf"^{label}:\s*(-?[0-9.eE+-]+)", log, re.MULTILINE)
            return float(found[-1]) if found else None

        reported = number(r"Time \(Wallclock seconds\)")
        seconds = wall if reported is None else reported
        cpu = number(r"Time \(CPU seconds\)")
        objective = number("Objective value")
        if "Result - Optimal solution found" in log:
            status, bound = "optimal", objective
        elif objective is None and (
            # "Problem is infeasible": CBC's presolve proved it before any search (e.g. a role nobody asked for)
            "Problem is infeasible" in log or ("infeasible" in log.lower() and "Result - " in log)
        ):
            status, bound = "infeasible", None
        elif objective is not None and pulp.LpStatus[self.problem.status] != "Infeasible":
            status, bound = "feasible", number("Lower bound")
        else:
            status, bound = "unknown", number("Lower bound")
        if objective is not None:
            objective += self.constant
        if bound is not None:
            bound += self.constant
        plan = self.plan(status, objective, bound, seconds) if status in ("optimal", "feasible") else None
        return CbcResult(status, objective, bound, seconds, cpu, plan)

    def plan(self, status: str, objective: float | None, bound: float | None, seconds: float) -> Plan:
        placements = []
        for session in self.event.sessions:
            index = max(
                range(len(self.placed[session.id])), key=lambda i: self.placed[session.id][i].varValue or 0
            )
            start = self.starts[session.id][index]
            placements.append(Placement(session.id, start, session_end(start, session)))
        assignments = [Assignment(*key) for key, var in self.x.items() if (var.varValue or 0) > 0.5]
        report = SolverReport(status, round(objective or 0), round(bound or 0), round(seconds, 3), seconds)
        return make_plan(self.event, placements, assignments, report)
