"""Run the benchmark and write `benchmarks/results.md` and `benchmarks/results.csv`.

    python -m benchmarks.run --sizes S M            # make bench-quick
    python -m benchmarks.run --sizes S M L XL       # make bench

For every size the instance is generated (seeded, into `benchmarks/instances/`), then each solver runs on it in
a process of its own, so that the peak memory measured is that solver's alone:

- `scheduler`: the planner as it is (`load_event` + `scheduler.solve.solve`), model building and solving timed apart;
- `proposed`: only when `benchmarks/proposed.diff` exists (a change to the planner put up for measurement): the
  same with the diff applied to a copy of `scheduler/` (skipped, with a note, when it does not apply);
- `cbc`: the same model in PuLP, solved by CBC (`benchmarks/cbc.py`);
- `greedy`: first registered, first served, rank by rank, as organisers do by hand.

With L in the sizes, `scheduler plan` runs end to end on L as a command (load, solve, every output); with L or XL,
`scheduler export` writes every output of a plan with 10,000 assigned people (`benchmarks/outputs.py`).
With L, `scheduler plan` also runs on GCM100K (the default event with 100,000 applicants), and `scheduler --help`
and `scheduler validate` on the default event, as whole processes. With S, `scheduler suggest` runs on the default event for two roles (substitutes, each a checked re-plan).
Speed is never asserted here: the results say what was measured and which targets were met.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import datetime as dt
import json
import logging
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.generate import INSTANCES, SIZES, generate, repeat_default_event

log = logging.getLogger("benchmarks")

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DIFF = HERE / "proposed.diff"
ANALYSIS = HERE / "analysis.md"
SOLVERS = ("scheduler", "proposed", "cbc", "greedy")
EPOCH = "1604188800"  # SOURCE_DATE_EPOCH of the command-line runs: 2020-11-01


@dataclass
class Finished:
    returncode: int
    wall: float
    peak_mb: float
    stdout: str
    stderr: str
    timed_out: bool
    user_s: float  # CPU seconds of it and the children it waited for, in Python and in the kernel
    system_s: float


def run_process(cmd: Sequence[str], cwd: Path, timeout: float, env: dict[str, str] | None = None) -> Finished:
    """Run a command, with its wall time and the peak resident memory of it and the children it waited for."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(list(cmd), cwd=cwd, stdout=out, stderr=err, env=env)
        timed_out = False
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() - started > timeout:
                process.kill()
                pid, status, usage = os.wait4(process.pid, 0)
                timed_out = True
                break
            time.sleep(0.02)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Finished(
            process.returncode,
            wall,
            usage.ru_maxrss / 1024,
            out.read().decode("utf-8", "replace"),
            err.read().decode("utf-8", "replace"),
            timed_out,
            usage.ru_utime,
            usage.ru_stime,
        )


def proposed_tree(workdir: Path) -> tuple[Path | None, str]:
    """A copy of the project with `proposed.diff` applied to `scheduler/`, or None and why not."""
    if not DIFF.exists():
        return None, ""
    tree = workdir / "proposed"
    tree.mkdir()
    shutil.copytree(ROOT / "scheduler", tree / "scheduler", ignore=shutil.ignore_patterns("__pycache__"))
    (tree / "benchmarks").symlink_to(HERE)
    applied = subprocess.run(
        ["git", "apply", "--whitespace=nowarn", str(DIFF)],
        cwd=tree,
        capture_output=True,
        text=True,
        check=False,
    )
    if applied.returncode != 0:
        return (
            None,
            f"proposed.diff does not apply to the current scheduler/ ({applied.stderr.strip()[:200]})",
        )
    return tree, "applied"


def run_solver(solver: str, folder: Path, time_limit: float, cwd: Path) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        result_path = Path(tmp) / "result.json"
        cmd = [
            sys.executable,
            "-m",
            "benchmarks.solvers",
            solver,
            str(folder),
            "--time-limit",
            str(time_limit),
        ]
        finished = run_process([*cmd, "--result", str(result_path)], cwd, timeout=4 * time_limit + 900)
        if result_path.exists():
            result: dict[str, Any] = json.loads(result_path.read_text(encoding="utf-8"))
        else:
            result = {
                "instance": folder.name,
                "solver": solver,
                "status": "timeout" if finished.timed_out else "failed",
            }
            result["note"] = (finished.stderr.strip().splitlines() or [""])[-1][:300]
    result["process_s"] = finished.wall
    result["process_peak_mb"] = finished.peak_mb
    return result


def run_cli(folder: Path, cwd: Path, time_limit: float) -> dict[str, Any]:
    """`scheduler plan EVENT --out OUT --fresh` as organisers run it, with its wall time and peak memory."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out"
        env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "COLUMNS": "200"}
        cmd = [sys.executable, "-m", "scheduler", "plan", str(folder), "--out", str(out), "--fresh"]
        finished = run_process(
            [*cmd, "--time-limit", str(time_limit)], cwd, timeout=4 * time_limit + 900, env=env
        )
        files = sum(1 for _ in out.rglob("*") if _.is_file()) if out.exists() else 0
    return {
        "returncode": finished.returncode,
        "wall_s": finished.wall,
        "peak_mb": finished.peak_mb,
        "files": files,
        "summary": _summary_line(finished.stdout, "solver"),
        "error": finished.stderr.strip()[-300:] if finished.returncode else "",
    }


def _summary_line(text: str, label: str) -> str:
    """The row of the command's summary table that starts with `label`, without the table's borders."""
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip("│┃| ").split("│")]
        if cells and cells[0] == label:
            return " ".join(c for c in cells if c)
    return ""


DEFAULT_EVENT = ROOT / "data" / "gcm2020-unece"


def run_suggest(cwd: Path) -> dict[str, Any]:
    """`scheduler suggest --json` on the default event, as organisers run it in the last week: the plan is made,
    then substitutes are asked for the moderator of RT1 and for the first speaker of MSC1 (the role most people
    asked for). Each run's wall time covers the whole command: loading, the re-plan without the person, one
    checked re-plan per candidate."""
    runs: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out"
        env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
        cmd = [sys.executable, "-m", "scheduler"]
        planned = run_process([*cmd, "plan", str(DEFAULT_EVENT), "--out", str(out)], cwd, 600, env=env)
        if planned.returncode:
            return {"error": planned.stderr.strip()[-300:]}
        sessions = {
            s["id"]: s for s in json.loads((out / "plan.json").read_text(encoding="utf-8"))["sessions"]
        }
        for label, person in (
            ("RT1 moderator", sessions["RT1"]["moderators"][0]),
            ("MSC1 speaker", sessions["MSC1"]["speakers"][0]),
        ):
            args = ["suggest", str(DEFAULT_EVENT), "--out", str(out), "--replace", person, "--json"]
            finished = run_process([*cmd, *args], cwd, 600, env=env)
            shown = json.loads(finished.stdout) if finished.returncode == 0 else []
            runs[label] = {
                "participant": person,
                "returncode": finished.returncode,
                "wall_s": finished.wall,
                "peak_mb": finished.peak_mb,
                "suggestions": len(shown),
                "cheapest": shown[0]["participant"] if shown else "",
                "error": finished.stderr.strip()[-300:] if finished.returncode else "",
            }
    return runs


OUTPUT_RUNS = 3


def run_outputs(cwd: Path, instances: Path) -> dict[str, Any]:
    """`scheduler export` of a plan with 10,000 assigned people, OUTPUT_RUNS times; the median run counts.

    Each run writes a new folder and none is deleted until all have run: on ext4, creating files soon after
    many were deleted nearby costs several times as much kernel time (benchmarks/analysis.md), which would
    make each run pay for the one before.
    """
    from benchmarks.outputs import prepare

    folder, assigned = prepare(instances)
    runs: list[Finished] = []
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
        cmd = [sys.executable, "-m", "scheduler", "export", str(folder / "plan.json"), "--event", str(folder)]
        for run in range(OUTPUT_RUNS):
            out = Path(tmp) / f"out{run}"
            runs.append(run_process([*cmd, "--out", str(out)], cwd, timeout=1800, env=env))
        invites = len(list((out / "calendar" / "invites").glob("*.ics"))) if out.exists() else 0
    finished = sorted(runs, key=lambda r: r.wall)[len(runs) // 2]
    load = run_process(
        [sys.executable, "-c", f"from scheduler.load import load_event; load_event({str(folder)!r})"],
        cwd,
        600,
    )
    return {
        "assigned": assigned,
        "returncode": next((r.returncode for r in runs if r.returncode), 0),
        "wall_s": finished.wall,
        "runs_s": [r.wall for r in runs],
        "user_s": finished.user_s,
        "system_s": finished.system_s,
        "load_s": load.wall,
        "peak_mb": finished.peak_mb,
        "invites": invites,
        "error": next((r.stderr.strip()[-300:] for r in runs if r.returncode), ""),
    }


def run_scale(cwd: Path, instances: Path, time_limit: float) -> dict[str, Any]:
    """`scheduler plan` end to end on GCM100K (the default event with 100,000 applicants), and the start-up a user
    feels: `scheduler --help` and `scheduler validate` on the default event, each as a whole process."""
    folder = repeat_default_event("GCM100K", instances)
    found: dict[str, Any] = {"GCM100K plan": run_cli(folder, cwd, time_limit)}
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    for label, args in (("--help", ["--help"]), ("validate", ["validate", str(DEFAULT_EVENT)])):
        finished = run_process([sys.executable, "-m", "scheduler", *args], cwd, 600, env=env)
        found[label] = {"returncode": finished.returncode, "wall_s": finished.wall, "peak_mb": finished.peak_mb}
    return found


def digest(result: dict[str, Any]) -> str:
    return str(result.get("plan_digest", ""))


# --- machine and report ----------------------------------------------------------------------------------------


def machine() -> dict[str, str]:
    from importlib.metadata import version

    import psutil

    from benchmarks.cbc import cbc_path, cbc_version

    path = cbc_path()
    memory = psutil.virtual_memory().total / 2**30
    return {
        "code": _code_version(),
        "python": platform.python_version(),
        "ortools": version("ortools"),
        "pulp": version("pulp"),
        "cbc": f"{cbc_version(path)} ({'the binary bundled with PuLP' if 'solverdir' in path else path})",
        "cpus": f"{os.cpu_count()} logical ({psutil.cpu_count(logical=False)} physical)",
        "ram": f"{memory:.1f} GiB",
        "platform": f"{platform.system()} {platform.release()} {platform.machine()}",
        "processor": platform.processor() or _cpu_model(),
    }


def _code_version() -> str:
    """The commit measured, and whether the planner's files differed from it."""

    def git(*args: str) -> str:
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            done = subprocess.run(
                ["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=30, check=False
            )
            return done.stdout.rstrip() if done.returncode == 0 else ""
        return ""

    commit = git("log", "-1", "--format=%h %s").strip()
    commit = commit if len(commit) <= 70 else commit[:69] + "…"
    changed = [line[3:] for line in git("status", "--porcelain", "scheduler").splitlines() if len(line) > 3]
    return (commit or "unknown") + (f" (uncommitted changes in {', '.join(changed)})" if changed else "")


def _cpu_model() -> str:
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return ""


def _num(value: Any, digits: int = 2) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _gap(value: Any) -> str:
    return "–" if value is None else f"{100 * value:.3f} %"


CSV_COLUMNS = (
    "instance",
    "applicants",
    "sessions",
    "solver",
    "status",
    "objective",
    "bound",
    "gap",
    "load_s",
    "build_s",
    "solve_s",
    "solve_cpu_s",
    "total_s",
    "violations",
    "violations_by_rule",
    "validator_objective",
    "assigned",
    "peak_mb",
    "process_peak_mb",
    "plan_digest",
    "note",
)


def write_csv(results: list[dict[str, Any]], path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(CSV_COLUMNS)
        for r in results:
            row = []
            for column in CSV_COLUMNS:
                value = r.get(column, "")
                if isinstance(value, dict):
                    value = "; ".join(f"{k}={v}" for k, v in sorted(value.items()))
                elif isinstance(value, float):
                    value = f"{value:.4f}"
                row.append(value)
            writer.writerow(row)


def _by(results: list[dict[str, Any]], instance: str, solver: str) -> dict[str, Any] | None:
    return next((r for r in results if r["instance"] == instance and r["solver"] == solver), None)


def _ratio(a: dict[str, Any] | None, b: dict[str, Any] | None, key: str) -> str:
    if not a or not b or not a.get(key) or not b.get(key):
        return "–"
    both = a.get("status") == b.get("status") == "optimal"
    return f"{a[key] / b[key]:.2f}" + ("" if both else " (not both optimal)")


@dataclass(frozen=True)
class Target:
    text: str
    met: bool | None
    measured: str


def targets(
    results: list[dict[str, Any]],
    cli: dict[str, Any] | None,
    outputs: dict[str, Any] | None,
    suggest: dict[str, Any] | None = None,
    scale: dict[str, Any] | None = None,
) -> list[tuple[str, list[Target]]]:
    """Each target of the benchmark, for the planner as it is and as proposed."""
    rows: list[tuple[str, list[Target]]] = []
    for solver, peer in (("scheduler", "cbc"), ("proposed", "cbc")):
        found: list[Target] = []
        for size in ("S", "M", "L"):
            r = _by(results, size, solver)
            if r:
                found.append(
                    Target(
                        f"proven optimal on {size}",
                        r.get("status") == "optimal",
                        f"{r.get('status')}, {_gap(r.get('gap'))} gap",
                    )
                )
        for size, limit in (("M", 1.0), ("L", 5.0)):
            r = _by(results, size, solver)
            if r and r.get("solve_s") is not None:
                ok = r.get("status") == "optimal" and r["solve_s"] <= limit
                found.append(
                    Target(
                        f"{size} solve ≤ {limit:g} s",
                        ok,
                        f"{r['solve_s']:.2f} s wall, {r.get('solve_cpu_s', 0):.2f} s CPU ({r.get('status')})",
                    )
                )
        r = _by(results, "XL", solver)
        if r:
            gap = r.get("gap")
            found.append(
                Target(
                    "XL within 0.5 % of the bound in 60 s",
                    gap is not None and gap <= 0.005,
                    f"gap {_gap(gap)}, solve {_num(r.get('solve_s'))} s",
                )
            )
        for size in ("M", "L"):
            ours, theirs = _by(results, size, solver), _by(results, size, peer)
            if ours and theirs and ours.get("solve_s") and theirs.get("solve_s"):
                both = ours.get("status") == "optimal" and theirs.get("status") == "optimal"
                ratio = ours["solve_s"] / theirs["solve_s"]
                # CBC not proving optimality in the same time limit counts as slower
                faster = (ours.get("status") == "optimal" and theirs.get("status") != "optimal") or (
                    both and ratio <= 0.5
                )
                cpu = ""
                if ours.get("solve_cpu_s") and theirs.get("solve_cpu_s"):
                    cpu = f", CPU {ours['solve_cpu_s'] / theirs['solve_cpu_s']:.2f}"
                found.append(
                    Target(
                        f"{size} time to proven optimum ≤ 0.5 × CBC's ({peer})",
                        faster,
                        f"{ratio:.2f} wall{cpu} ({ours.get('status')} vs {theirs.get('status')})",
                    )
                )
        rows.append((solver, found))
    common: list[Target] = []
    if cli:
        for label, run in cli.items():
            if label.endswith(" on XL"):
                continue
            ok = run["returncode"] == 0 and run["wall_s"] <= 20 and run["peak_mb"] <= 1536
            common.append(
                Target(
                    "`scheduler plan` on L end to end ≤ 20 s, ≤ 1.5 GB"
                    + ("" if label == "scheduler" else f" ({label})"),
                    ok,
                    f"{run['wall_s']:.1f} s, {run['peak_mb']:,.0f} MB, exit {run['returncode']}",
                )
            )
    if outputs:
        ok = outputs["returncode"] == 0 and outputs["wall_s"] <= 10
        common.append(
            Target(
                f"writing outputs for {outputs['assigned']:,} assigned people ≤ 10 s",
                ok,
                f"{outputs['wall_s']:.1f} s for `scheduler export` (of which loading the event {outputs['load_s']:.1f} s){_output_runs(outputs)}, {outputs['peak_mb']:,.0f} MB, {outputs['invites']:,} invitations",
            )
        )
    for label, run in (scale or {}).items():
        if label == "GCM100K plan":
            common.append(Target(
                "`scheduler plan` on the default event with 100,000 applicants ≤ 30 s, ≤ 1 GB",
                run["returncode"] == 0 and run["wall_s"] <= 30 and run["peak_mb"] <= 1024,
                f"{run['wall_s']:.1f} s, {run['peak_mb']:,.0f} MB, exit {run['returncode']}; {run['summary'] or '–'}",
            ))  # fmt: skip
        else:
            common.append(Target(
                f"`scheduler {label}`{'' if label == '--help' else ' on the default event'} (measured)", None,
                f"{run['wall_s']:.2f} s, {run['peak_mb']:,.0f} MB, exit {run['returncode']}",
            ))  # fmt: skip
    for label, run in (suggest or {}).items():
        if label == "error":
            continue
        common.append(
            Target(
                f"`scheduler suggest` top 5 on the default event ({label}) ≤ 10 s",
                run["returncode"] == 0 and run["wall_s"] <= 10,
                f"{run['wall_s']:.1f} s, {run['peak_mb']:,.0f} MB, exit {run['returncode']}, "
                f"{run['suggestions']} suggestions for {run['participant']}",
            )
        )
    if common:
        rows.append(("scheduler", common))
    return rows


def _output_runs(outputs: dict[str, Any]) -> str:
    """`, the median of 3 runs (...); CPU ...`: what a measurement of several runs adds to the median's time."""
    runs = outputs.get("runs_s") or []
    if len(runs) < 2:
        return ""
    each = ", ".join(f"{r:.1f}" for r in runs)
    return (
        f", the median of {len(runs)} runs ({each} s); CPU {outputs['user_s']:.1f} s in Python and "
        f"{outputs['system_s']:.1f} s in the kernel, both processes"
    )


def _mark(met: bool | None) -> str:
    return "met" if met else ("–" if met is None else "**missed**")


def report(
    results: list[dict[str, Any]],
    info: dict[str, str],
    cli: dict[str, Any] | None,
    outputs: dict[str, Any] | None,
    notes: list[str],
    reruns: dict[str, bool],
    suggest: dict[str, Any] | None = None,
    scale: dict[str, Any] | None = None,
) -> str:
    lines = [
        "# Benchmark results",
        "",
        f"Written by `python -m benchmarks.run` on {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC; every time limit "
        f"{results[0]['time_limit']:g} s. "
        if results
        else "",
        "",
        "## Machine",
        "",
        "| | |",
        "| --- | --- |",
    ]
    lines += [f"| {k} | {v} |" for k, v in info.items()]
    lines += [
        "",
        "Solvers: *scheduler* is the planner (`load_event` + `scheduler.solve.solve`), *cbc* the same model in PuLP "
        "solved by CBC (`benchmarks/cbc.py`), *greedy* first registered, first served (`benchmarks/greedy.py`); "
        "*proposed*, when present, the planner with `benchmarks/proposed.diff` applied. "
        "Times are wall-clock seconds unless marked CPU. *build* is model building in Python (for CBC also writing the "
        "model file and reading the solution), *solve* the solve step (the planner's `run`: CP-SAT including the "
        "hand-over of the model; CBC's reported wall-clock), *total* loading + building + solving + extracting and "
        "checking the plan as the planner does. CP-SAT runs with one worker and a fixed seed, CBC with one thread. *violations* are hard-rule violations found by "
        "`scheduler.validate.check`; the objective of greedy is the validator's recount. *peak MB* is the peak "
        "resident memory of the process that ran the solver (CBC's own process included).",
        "",
        "## Results",
        "",
        "| instance | solver | status | objective | best bound | gap | build s | solve s | solve CPU s | total s | violations | peak MB |",
        "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |",
    ]
    for r in results:
        violations = r.get("violations")
        if violations:
            detail = ", ".join(f"{k} {v}" for k, v in sorted(r.get("violations_by_rule", {}).items()))
            violations = f"{violations} ({detail})"
        status = r.get("status", "")
        if r.get("note"):
            status = f"{status}: {r['note'][:80]}"
        lines.append(
            f"| {r['instance']} ({_num(r.get('applicants'))} / {_num(r.get('sessions'))}) | {r['solver']} | {status} | "
            f"{_num(r.get('objective'))} | {_num(r.get('bound'), 1)} | {_gap(r.get('gap'))} | {_num(r.get('build_s'))} | "
            f"{_num(r.get('solve_s'))} | {_num(r.get('solve_cpu_s'))} | {_num(r.get('total_s'))} | {_num(violations)} | "
            f"{_num(r.get('peak_mb'), 0)} |"
        )
    instances = list(dict.fromkeys(r["instance"] for r in results))
    lines += [
        "",
        "Instance: size (applicants / sessions). Ratios below 1 mean CP-SAT is faster.",
        "",
        "| instance | scheduler / CBC solve | scheduler / CBC solve CPU | scheduler / CBC total | proposed / CBC solve |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for name in instances:
        ours, proposed, cbc = (_by(results, name, s) for s in ("scheduler", "proposed", "cbc"))
        lines.append(
            f"| {name} | {_ratio(ours, cbc, 'solve_s')} | {_ratio(ours, cbc, 'solve_cpu_s')} | "
            f"{_ratio(ours, cbc, 'total_s')} | {_ratio(proposed, cbc, 'solve_s')} |"
        )
    lines += ["", "## Targets", "", "| planner | target | measured | |", "| --- | --- | --- | --- |"]
    for solver, found in targets(results, cli, outputs, suggest, scale):
        lines += [f"| {solver} | {t.text} | {t.measured} | {_mark(t.met)} |" for t in found]
    if reruns:
        same = ", ".join(f"{k}: {'same plan' if v else '**different plan**'}" for k, v in reruns.items())
        lines += ["", f"Reproducibility (the same instance planned twice, plans compared): {same}."]
    if cli:
        lines += ["", "`scheduler plan` on L (and on XL), as a command:", ""]
        for label, run in cli.items():
            lines.append(
                f"- {label}: exit {run['returncode']}, {run['wall_s']:.1f} s, {run['peak_mb']:,.0f} MB, {run['files']:,} files written; summary: {run['summary'] or '–'}. {run['error']}"
            )
    if suggest:
        lines += ["", "`scheduler suggest` on the default event (data/gcm2020-unece), as a command:", ""]
        for label, run in suggest.items():
            if label == "error":
                lines.append(f"- the plan to suggest from failed: {run}")
                continue
            lines.append(
                f"- {label} ({run['participant']}): exit {run['returncode']}, {run['wall_s']:.1f} s, {run['peak_mb']:,.0f} MB, {run['suggestions']} suggestions, the cheapest {run['cheapest'] or '–'}. {run['error']}"
            )
    if notes:
        lines += ["", "Notes:", ""] + [f"- {n}" for n in notes]
    if ANALYSIS.exists():
        lines += ["", ANALYSIS.read_text(encoding="utf-8").strip()]
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Benchmark the planner against a greedy and a CBC baseline.")
    parser.add_argument("--sizes", nargs="+", default=["S", "M"], choices=[s for s in SIZES if s != "W10K"])
    parser.add_argument("--solvers", nargs="+", default=list(SOLVERS), choices=SOLVERS)
    parser.add_argument("--time-limit", type=float, default=60.0, help="seconds per solve (default 60)")
    parser.add_argument(
        "--cli",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="time `scheduler plan` on L (default: when L is run)",
    )
    parser.add_argument(
        "--outputs",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="time writing 10,000 people's outputs (default: with L or XL)",
    )
    parser.add_argument(
        "--suggest",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="time `scheduler suggest` on the default event (default: when S is run)",
    )
    parser.add_argument(
        "--scale",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="time `scheduler plan` on GCM100K, --help and validate (default: when L is run)",
    )
    parser.add_argument("--out", type=Path, default=HERE, help="where results.md and results.csv go")
    parser.add_argument("--instances", type=Path, default=INSTANCES, help="where the instances are generated")
    parser.add_argument(
        "--report-only",
        action="store_true",
        help="rewrite results.md from the last run's measurements (e.g. after editing analysis.md)",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", datefmt="%H:%M:%S")
    raw = args.instances / "last-run.json"  # every measurement of the last run, beside the instances
    if args.report_only:
        saved = json.loads(raw.read_text(encoding="utf-8"))
        text = report(
            saved["results"], saved["info"], saved["cli"], saved["outputs"], saved["notes"], saved["reruns"],
            saved.get("suggest"), saved.get("scale"),
        )  # fmt: skip
        (args.out / "results.md").write_text(text, encoding="utf-8")
        return
    info = machine()
    info["load average at start"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    notes: list[str] = []
    results: list[dict[str, Any]] = []
    reruns: dict[str, bool] = {}
    cli: dict[str, Any] = {}
    outputs = None
    with tempfile.TemporaryDirectory() as tmp:
        tree, why = proposed_tree(Path(tmp)) if "proposed" in args.solvers else (None, "")
        if "proposed" in args.solvers and tree is None and why:
            notes.append(f"`proposed` skipped: {why}.")
        for size in args.sizes:
            folder = generate(size, args.instances)
            for solver in args.solvers:
                if solver == "proposed" and tree is None:
                    continue
                cwd = tree if solver == "proposed" and tree is not None else ROOT
                log.info("%s on %s", solver, size)
                result = run_solver(solver, folder, args.time_limit, cwd)
                results.append(result)
                log.info(
                    "  %s: %s, objective %s, bound %s, solve %.2f s, total %.2f s",
                    solver, result.get("status"), result.get("objective"), result.get("bound"),
                    result.get("solve_s") or 0, result.get("total_s") or 0,
                )  # fmt: skip
                if (
                    size in ("S", "M", "L")
                    and solver in ("scheduler", "proposed")
                    and result.get("plan_digest")
                ):
                    again = run_solver(solver, folder, args.time_limit, cwd)
                    reruns[f"{solver} {size}"] = digest(again) == digest(result)
        if args.cli or (args.cli is None and "L" in args.sizes):
            folder = args.instances / "L"
            if not folder.exists():
                folder = generate("L", args.instances)
            cli["scheduler"] = run_cli(folder, ROOT, args.time_limit)
            if tree is not None:
                cli["proposed"] = run_cli(folder, tree, args.time_limit)
            if "XL" in args.sizes:  # measured and reported, with no target
                cli["scheduler on XL"] = run_cli(args.instances / "XL", ROOT, args.time_limit)
        if args.outputs or (args.outputs is None and {"L", "XL"} & set(args.sizes)):
            outputs = run_outputs(ROOT, args.instances)
    scale = None
    if args.scale or (args.scale is None and "L" in args.sizes):
        log.info("scheduler plan on GCM100K, --help and validate")
        scale = run_scale(ROOT, args.instances, args.time_limit)
    suggest = None
    if args.suggest or (args.suggest is None and "S" in args.sizes):
        log.info("scheduler suggest on the default event")
        suggest = run_suggest(ROOT)
    info["load average at end"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    args.out.mkdir(parents=True, exist_ok=True)
    write_csv(results, args.out / "results.csv")
    saved = {
        "results": results,
        "info": info,
        "cli": cli or None,
        "outputs": outputs,
        "notes": notes,
        "reruns": reruns,
        "suggest": suggest,
        "scale": scale,
    }
    raw.parent.mkdir(parents=True, exist_ok=True)
    raw.write_text(json.dumps(saved, indent=1), encoding="utf-8")
    text = report(results, info, cli or None, outputs, notes, reruns, suggest, scale)
    (args.out / "results.md").write_text(text, encoding="utf-8")
    sys.stdout.write(text[: text.find("## Targets")] if "## Targets" in text else text)
    log.info("wrote %s and %s", args.out / "results.md", args.out / "results.csv")


if __name__ == "__main__":
    main()
