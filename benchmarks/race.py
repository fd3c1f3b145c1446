"""The end-to-end race: `python -m benchmarks.race [--runs N] [--size NAME] [--seed N] [--out DIR]`.

`make bench` runs it on E2E.

Whole processes, one after the other in each round so that both see the same load on a shared machine:
`scheduler plan` (every output), `scheduler validate`, and the plain PuLP + CBC planner (`benchmarks/plain.py`,
plan.json only). Prints and writes to `benchmarks/race.md` the median wall time, CPU time and peak memory of each
and the ratios of the medians; below 0.5 the target of the issue is met. Absolute times on a shared machine are
noisy: the ratios, taken in one run, are less so. `--seed` races on another draw of the generator with E2E's
shape (its folder `E2E-s<seed>`): CP-SAT's time differs from draw to draw (see analysis.md). `--size` races on
another of the generator's sizes (L, XL...) with its applicants in a workbook, as E2E's (folder `<NAME>-xlsx`).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import os
import statistics
import sys
import tempfile
from pathlib import Path

from benchmarks.generate import INSTANCES, SIZES, generate
from benchmarks.run import EPOCH, HERE, ROOT, Finished, machine, run_process

NAMES = {
    "plan": "`scheduler plan` (every output)",
    "validate": "`scheduler validate`",
    "plain": "`benchmarks/plain.py` (PuLP + CBC, plan.json only)",
}


def race(
    runs: int, time_limit: float, seed: int | None = None, size_name: str = "E2E"
) -> tuple[str, dict[str, list[Finished]]]:
    """The instance's name, and each contestant's finished processes, round by round."""
    size = SIZES[size_name]
    if not size.xlsx:  # both read the applicants from a workbook, as organisers keep them
        size = dataclasses.replace(size, name=f"{size_name}-xlsx", xlsx=True)
    if seed is not None:
        size = dataclasses.replace(size, name=f"{size.name}-s{seed}", seed=seed)
    folder = generate(size, INSTANCES)
    python = sys.executable
    env = {"SOURCE_DATE_EPOCH": EPOCH, "PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}
    done: dict[str, list[Finished]] = {name: [] for name in NAMES}
    with tempfile.TemporaryDirectory() as tmp:
        for round_ in range(runs):
            out = Path(tmp) / f"out{round_}"
            limit = ["--time-limit", str(time_limit)]
            commands = {
                "plan": [python, "-m", "scheduler", "plan", str(folder), "--out", str(out / "plan"), *limit],
                "validate": [python, "-m", "scheduler", "validate", str(folder)],
                "plain": [python, "-W", "ignore", "-m", "benchmarks.plain", str(folder), str(out / "plain")],
            }
            for name, command in commands.items():
                finished = run_process(command, ROOT, timeout=10 * time_limit, env=env)
                if finished.returncode != 0:
                    raise SystemExit(f"{name} failed ({finished.returncode}): {finished.stderr[-500:]}")
                done[name].append(finished)
                print(
                    f"round {round_ + 1} {name}: {finished.wall:.2f} s, {finished.peak_mb:.0f} MB", flush=True
                )
            # Nothing is deleted before the end: on a file system without a journal, files created soon after
            # others were deleted cost several times the kernel time (see "Writing the outputs for 10,000
            # people" in analysis.md), which would charge the round after a deletion, not the program.
    return folder.name, done


def report(
    instance: str, done: dict[str, list[Finished]], info: dict[str, str], load: tuple[str, str]
) -> str:
    wall = {name: statistics.median(f.wall for f in runs) for name, runs in done.items()}
    cpu = {name: statistics.median(f.user_s + f.system_s for f in runs) for name, runs in done.items()}
    lines = [
        f"# End to end on {instance}: `scheduler plan` against a plain PuLP + CBC script",
        "",
        f"Written by `python -m benchmarks.race` on {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC: "
        f"{len(done['plan'])} rounds, in each the three processes one after the other; code {info['code']}, "
        f"{info['processor']} with {info['cpus']} cores; load average {load[0]} at the start and {load[1]} at the end.",
        "",
        "| process | median wall s | wall s of each round | median CPU s | peak MB |",
        "| --- | ---: | --- | ---: | ---: |",
    ]
    for name, runs in done.items():
        rounds = ", ".join(f"{f.wall:.2f}" for f in runs)
        peak = max(f.peak_mb for f in runs)
        lines.append(f"| {NAMES[name]} | {wall[name]:.2f} | {rounds} | {cpu[name]:.2f} | {peak:.0f} |")
    lines += ["", "Ratios of the medians (target: at most 0.5):", ""]
    for name in ("plan", "validate"):
        lines.append(
            f"- {name} / plain: {wall[name] / wall['plain']:.2f} wall, {cpu[name] / cpu['plain']:.2f} CPU"
        )
    lines += ["", "CPU time counts both processes of `scheduler plan` (it writes its outputs in two).", ""]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--time-limit", type=float, default=60)
    parser.add_argument("--out", type=Path, default=HERE, help="where race.md goes")
    parser.add_argument(
        "--size",
        default="E2E",
        choices=sorted(SIZES),
        help="the generator's size to race on (give --out too)",
    )
    parser.add_argument(
        "--seed",
        type=int,
        help="race on another draw with the size's shape (give --out too, to keep race.md)",
    )
    args = parser.parse_args()
    start = " ".join(f"{x:.2f}" for x in os.getloadavg())
    instance, done = race(args.runs, args.time_limit, args.seed, args.size)
    end = " ".join(f"{x:.2f}" for x in os.getloadavg())
    text = report(instance, done, machine(), (start, end))
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "race.md").write_text(text, encoding="utf-8")
    print("\n" + text)


if __name__ == "__main__":
    main()
