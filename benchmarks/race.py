"""The end-to-end race on E2E: `python -m benchmarks.race [--runs N]` (run by `make bench`).

Whole processes, one after the other in each round so that both see the same load on a shared machine:
`scheduler plan` (every output), `scheduler validate`, and the plain PuLP + CBC planner (`benchmarks/plain.py`,
plan.json only). Prints the median wall time and peak memory of each and the ratios of the medians; below 0.5 the
target of the issue is met. Absolute times on a shared machine are noisy: the ratios, taken in one run, are not.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from benchmarks.generate import INSTANCES, generate
from benchmarks.run import EPOCH, ROOT, run_process


def race(runs: int, time_limit: float) -> dict[str, list[tuple[float, float]]]:
    """(wall seconds, peak MB) of each contestant, round by round."""
    folder = generate("E2E", INSTANCES)
    python = sys.executable
    env = {"SOURCE_DATE_EPOCH": EPOCH, "PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}
    times: dict[str, list[tuple[float, float]]] = {"plan": [], "validate": [], "plain": []}
    with tempfile.TemporaryDirectory() as tmp:
        for round_ in range(runs):
            out = Path(tmp) / f"out{round_}"
            limit = ["--time-limit", str(time_limit)]
            commands = {
                "plan": [python, "-m", "scheduler", "plan", str(folder), "--out", str(out / "plan"), *limit],
                "validate": [python, "-m", "scheduler", "validate", str(folder)],
                "plain": [python, "-m", "benchmarks.plain", str(folder), str(out / "plain")],
            }
            for name, command in commands.items():
                done = run_process(command, ROOT, timeout=10 * time_limit, env=env)
                if done.returncode != 0:
                    raise SystemExit(f"{name} failed ({done.returncode}): {done.stderr[-500:]}")
                times[name].append((done.wall, done.peak_mb))
                print(f"round {round_ + 1} {name}: {done.wall:.2f} s, {done.peak_mb:.0f} MB", flush=True)
            shutil.rmtree(out)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--time-limit", type=float, default=60)
    args = parser.parse_args()
    times = race(args.runs, args.time_limit)
    median = {name: statistics.median(w for w, _ in runs) for name, runs in times.items()}
    print("\n| process | median s | runs s | peak MB |\n| --- | ---: | --- | ---: |")
    for name, runs in times.items():
        walls = ", ".join(f"{w:.2f}" for w, _ in runs)
        print(f"| {name} | {median[name]:.2f} | {walls} | {max(m for _, m in runs):.0f} |")
    for name in ("plan", "validate"):
        print(f"\n{name} / plain (ratio of medians, target <= 0.5): {median[name] / median['plain']:.2f}")


if __name__ == "__main__":
    main()
