"""The command line: parse arguments, call the package, print with rich. Exit codes: 0 success, 2 invalid input
(nothing written), 3 no plan exists (explanation printed), 1 anything else."""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from rich.console import Console
from rich.progress import Progress as Bar
from rich.progress import SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from scheduler import solve
from scheduler.domain import Event, Plan, Role
from scheduler.export import publish, write_outputs
from scheduler.export.plan_json import PlanFileError, read_plan
from scheduler.load import InputError, load_event
from scheduler.rulebook import BY_NAME
from scheduler.solve.explain import Explanation
from scheduler.views import build_view

OK, FAILED, INVALID, NO_PLAN = 0, 1, 2, 3
MAX_PROBLEMS = 50  # a file with thousands of errors is summarised, not dumped
DOCS = "docs/input.md"

out = Console(highlight=False)
err = Console(stderr=True, highlight=False)

EXAMPLES = """examples:
  scheduler validate data/gcm2020-unece
  scheduler plan data/gcm2020-unece --out out
  scheduler explain data/gcm2020-unece
  scheduler export out/plan.json --event data/gcm2020-unece --out out
"""


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.WARNING if not args.verbose else logging.INFO, format="%(name)s: %(message)s"
    )
    command: Callable[[argparse.Namespace], int] = args.command
    try:
        return command(args)
    except InputError as error:
        _print_problems(error)
        return INVALID
    except KeyboardInterrupt:
        err.print("[red]Interrupted.[/] Nothing was written; the previous output is unchanged.")
        return FAILED


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="scheduler",
        description="Plan a virtual multi-stakeholder meeting: speakers, moderators and times, with calendar "
        "invitations, run-of-show sheets and an agenda workbook.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log what the solver does")
    commands = parser.add_subparsers(title="commands", required=True, metavar="COMMAND")

    def command(
        name: str, help_text: str, example: str, run: Callable[[argparse.Namespace], int]
    ) -> argparse.ArgumentParser:
        sub = commands.add_parser(
            name,
            help=help_text,
            description=help_text,
            epilog=f"example:\n  {example}",
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        sub.set_defaults(command=run)
        sub.add_argument("-v", "--verbose", action="store_true", help="log what the solver does")
        return sub

    sub = command(
        "validate",
        "check an event folder and list every problem",
        "scheduler validate data/gcm2020-unece",
        _validate,
    )
    sub.add_argument("event", type=Path, metavar="EVENT_DIR")

    sub = command(
        "plan",
        "plan the event (re-planning against the plan already in OUT) and write every output",
        "scheduler plan data/gcm2020-unece --out out",
        _plan,
    )
    sub.add_argument("event", type=Path, metavar="EVENT_DIR")
    sub.add_argument("--out", type=Path, default=Path("out"), help="output folder (default: out)")
    sub.add_argument(
        "--previous",
        type=Path,
        metavar="PLAN_JSON",
        help="re-plan against this published plan (default: OUT/plan.json when it exists)",
    )
    sub.add_argument("--fresh", action="store_true", help="ignore any published plan: plan from scratch")
    sub.add_argument(
        "--time-limit", type=float, default=60.0, metavar="S", help="seconds for the solver (default 60)"
    )

    sub = command(
        "explain",
        "say why no plan exists, or what the chosen plan's soft-rule costs are",
        "scheduler explain data/gcm2020-unece",
        _explain,
    )
    sub.add_argument("event", type=Path, metavar="EVENT_DIR")
    sub.add_argument(
        "--time-limit", type=float, default=60.0, metavar="S", help="seconds for the solver (default 60)"
    )

    sub = command(
        "export",
        "re-create every output from a saved plan, without solving",
        "scheduler export out/plan.json --event data/gcm2020-unece --out out",
        _export,
    )
    sub.add_argument("plan", type=Path, metavar="PLAN_JSON")
    sub.add_argument("--event", type=Path, required=True, metavar="EVENT_DIR")
    sub.add_argument("--out", type=Path, default=Path("out"), help="output folder (default: out)")
    return parser


# --- commands ------------------------------------------------------------------------------------------------


def _validate(args: argparse.Namespace) -> int:
    event = load_event(args.event)
    active = sum(not a.withdrawn for a in event.applicants)
    out.print(
        f"[green]OK[/] {args.event}: {len(event.sessions)} sessions on {len(event.days)} days, "
        f"{len(event.applicants)} applicants ({active} active)."
    )
    return OK


def _plan(args: argparse.Namespace) -> int:
    event = load_event(args.event)
    previous = None
    if not args.fresh:
        try:
            previous = _previous(args, event)
        except PlanFileError as error:
            err.print(
                f"[red]{error}[/] (hint: choose another --out folder, or give --fresh to plan from scratch)"
            )
            return INVALID
    try:
        result = _solve_with_progress(event, previous, args.time_limit)
    except solve.NoPlan as no_plan:
        _print_no_plan(no_plan.explanation)
        return NO_PLAN
    except solve.PlanRefused as refused:
        err.print("[red]The solver's plan failed the independent check; nothing was written.[/]")
        for violation in refused.violations:
            err.print(f"  {violation}")
        return FAILED
    _write(event, result, args.out)
    _summary(event, result, args.out)
    return OK


def _previous(args: argparse.Namespace, event: Event) -> Plan | None:
    """The published plan to re-plan against: --previous, or the one already in OUT; PlanFileError if unusable."""
    path = args.previous or args.out / "plan.json"
    if args.previous is None and not path.exists():
        return None
    previous = read_plan(path)
    if previous.event != event.id:
        raise PlanFileError(f"{path} is a plan of event {previous.event!r}, not {event.id!r}")
    return previous


def _solve_with_progress(event: Event, previous: Plan | None, time_limit: float) -> Plan:
    columns = (SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn())
    with Bar(*columns, console=err, transient=True) as bar:
        task = bar.add_task("Solving: looking for a first plan", total=None)

        def progress(p: solve.Progress) -> None:
            bar.update(
                task,
                description=f"Solving: best plan so far costs {p.objective:,.0f} "
                f"(lower bound {p.bound:,.0f})",
            )

        return solve.plan(
            event, previous=previous, time_limit=time_limit, progress=progress, generated_at=generated_at()
        )


def generated_at() -> dt.datetime:
    """Now, or SOURCE_DATE_EPOCH when set, so that the same input gives byte-identical files."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
    return dt.datetime.now(tz=dt.UTC).replace(microsecond=0)


def _write(event: Event, result: Plan, folder: Path) -> None:
    view = build_view(event, result)
    with Bar(SpinnerColumn(), TextColumn("{task.description}"), console=err, transient=True) as bar:
        task = bar.add_task("Writing", total=None)
        publish(
            folder,
            lambda staging: write_outputs(
                view, staging, lambda name: bar.update(task, description=f"Writing {name}")
            ),
        )


def _summary(event: Event, result: Plan, folder: Path) -> None:
    solver = result.solver
    assert solver is not None
    people = {a.participant for a in result.assignments}
    objectives = sorted({o for s in event.sessions for o in s.objectives})
    covered = sorted(
        {
            o
            for s in event.sessions
            for o in s.objectives
            if any(o in event.applicant_by_id[p].objectives for p in result.assigned(s.id, Role.SPEAKER))
        }
    )
    gap = abs(solver.objective - solver.bound) / max(1, abs(solver.objective))
    table = Table(
        title=f"{event.title} - plan version {result.version}", show_header=False, title_justify="left"
    )
    table.add_row("sessions", f"{len(result.placements)} placed")
    table.add_row(
        "people",
        f"{len(people)} assigned to {len(result.assignments)} roles, "
        f"{len(result.unassigned)} on the waiting list",
    )
    table.add_row("objectives", f"{len(covered)} of {len(objectives)} covered by assigned speakers")
    status = solver.status + (
        ""
        if solver.status == "optimal"
        else f" (gap {gap:.1%}: the time limit stopped the search; give a longer --time-limit)"
    )
    table.add_row("solver", f"{status}, cost {solver.objective:,} in {solver.wall_seconds:.1f} s")
    if result.changes:
        table.add_row(
            "changes", f"{len(result.changes)} versus version {result.version - 1} (see agenda.xlsx, Changes)"
        )
    table.add_row("written", f"{folder}/: plan.json, agenda.xlsx, run-of-show.xlsx, calendar/")
    out.print(table)


def _explain(args: argparse.Namespace) -> int:
    event = load_event(args.event)
    try:
        result = solve.plan(event, time_limit=args.time_limit, generated_at=generated_at())
    except solve.NoPlan as no_plan:
        _print_no_plan(no_plan.explanation)
        return NO_PLAN
    assert result.solver is not None
    table = Table(title="Soft-rule costs of the chosen plan", title_justify="left")
    for column in ("rule", "units", "weight", "cost", "one unit is"):
        table.add_column(column)
    for name, units in result.solver.costs.items():
        weight = result.solver.weights.get(name, 0)
        table.add_row(name, str(units), str(weight), f"{units * weight:,}", BY_NAME[name].summary)
    out.print(table)
    out.print(
        f"Total cost {result.solver.objective:,} ({result.solver.status}); "
        f"{len(result.unassigned)} applicants on the waiting list, each with a reason in plan.json."
    )
    return OK


def _export(args: argparse.Namespace) -> int:
    event = load_event(args.event)
    try:
        saved = read_plan(args.plan)
    except PlanFileError as error:
        err.print(f"[red]{error}[/]")
        return INVALID
    view = build_view(event, saved)
    publish(args.out, lambda staging: write_outputs(view, staging))
    out.print(f"[green]Exported[/] plan version {saved.version} to {args.out}/ without solving.")
    return OK


# --- printing ------------------------------------------------------------------------------------------------


def _print_problems(error: InputError) -> None:
    problems = error.problems
    err.print(
        f"[red]The input has {len(problems)} problem{'s' if len(problems) != 1 else ''}; nothing was written.[/]"
    )
    for problem in problems[:MAX_PROBLEMS]:
        err.print(f"  {problem}", markup=False)
    if len(problems) > MAX_PROBLEMS:
        err.print(
            f"  ... and {len(problems) - MAX_PROBLEMS} more problems (the first {MAX_PROBLEMS} are shown)."
        )
    err.print(f"The input format is described in {DOCS}.")


def _print_no_plan(explanation: Explanation) -> None:
    if not explanation.proven:
        err.print(
            "[red]No plan was found within the time limit[/], and none was proven impossible: "
            "give a longer --time-limit."
        )
        return
    err.print("[red]No plan exists that satisfies every hard rule.[/] Nothing was written.")
    err.print(str(explanation), markup=False)


if __name__ == "__main__":
    sys.exit(main())
