"""Ctrl-C during a solve ends the run like anywhere else, and the next Ctrl-C is still Python's to handle.

CP-SAT catches Ctrl-C to stop its search, and after every solve leaves the signal's default action behind: the
next Ctrl-C (say, while the outputs are written) would then kill the process without a word and without cleaning
up. A search stopped early is what CP-SAT's Ctrl-C handler makes of Ctrl-C; it is stopped here from a solution
callback, the same way, so that the test does not depend on when a signal arrives. The check runs in a process of
its own, so that a failure cannot kill the test run.
"""

from __future__ import annotations

import subprocess
import sys

SCRIPT = """
import os, signal, time
from ortools.sat.python import cp_model
from scheduler.solve.model import solve

model = cp_model.CpModel()  # far from solved in a minute
xs = [model.new_int_var(0, 50, f"x{i}") for i in range(60)]
for i in range(59):
    model.add(xs[i] + xs[i + 1] <= 50 + i % 7)
model.add_all_different(xs[:50])
model.maximize(sum((i % 13 + 1) * x for i, x in enumerate(xs)))
solver = cp_model.CpSolver()
solver.parameters.num_workers = 1
solver.parameters.max_time_in_seconds = 60


class StopAtFirstSolution(cp_model.CpSolverSolutionCallback):
    def on_solution_callback(self):
        self.stop_search()


try:
    solve(solver, model, StopAtFirstSolution())
    print("not interrupted")
except KeyboardInterrupt:
    print("interrupted")
try:
    os.kill(os.getpid(), signal.SIGINT)  # with the default action left behind, this would end the process here
    time.sleep(1)
    print("Ctrl-C ignored")
except KeyboardInterrupt:
    print("Ctrl-C raised KeyboardInterrupt")
"""


def test_a_stopped_search_is_an_interruption_and_ctrl_c_stays_with_python() -> None:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["interrupted", "Ctrl-C raised KeyboardInterrupt"]
