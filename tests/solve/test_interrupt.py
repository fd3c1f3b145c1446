"""Ctrl-C during a solve ends the run like anywhere else, and the next Ctrl-C is still Python's to handle.

CP-SAT catches Ctrl-C to stop its search and leaves the signal's default action behind: the next Ctrl-C (say,
while the outputs are written) would then kill the process without a word and without cleaning up. The check
runs in a process of its own, so that a failure cannot kill the test run.
"""

from __future__ import annotations

import subprocess
import sys

SCRIPT = """
import os, signal, threading, time
from ortools.sat.python import cp_model
from scheduler.solve.model import solve

model = cp_model.CpModel()  # far from solved in a minute: the search is still running when Ctrl-C comes
xs = [model.new_int_var(0, 50, f"x{i}") for i in range(60)]
for i in range(59):
    model.add(xs[i] + xs[i + 1] <= 50 + i % 7)
model.add_all_different(xs[:50])
model.maximize(sum((i % 13 + 1) * x for i, x in enumerate(xs)))
solver = cp_model.CpSolver()
solver.parameters.num_workers = 1
solver.parameters.max_time_in_seconds = 60
threading.Timer(0.5, lambda: os.kill(os.getpid(), signal.SIGINT)).start()
try:
    solve(solver, model)
    print("not interrupted")
except KeyboardInterrupt:
    print("interrupted early" if solver.wall_time < 30 else "interrupted late")
try:
    os.kill(os.getpid(), signal.SIGINT)  # with the default action back, this would end the process here
    time.sleep(1)
    print("second Ctrl-C ignored")
except KeyboardInterrupt:
    print("second Ctrl-C raised KeyboardInterrupt")
"""


def test_ctrl_c_during_a_solve_raises_keyboard_interrupt_and_python_keeps_the_signal() -> None:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["interrupted early", "second Ctrl-C raised KeyboardInterrupt"]
