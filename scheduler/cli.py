"""The command line: parse arguments, call the package, print with rich. Exit codes: 0 success, 2 invalid input
(nothing written), 3 no plan exists (explanation printed), 1 anything else."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import getpass
import importlib
import json
import logging
import os
import shlex
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console, ConsoleDimensions
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.progress import Progress as Bar
from rich.table import Table

from scheduler import interrupt
from scheduler.domain import Event, Plan
from scheduler.i18n import event_language, missing_translations
from scheduler.load import InputError, load_event
from scheduler.load.ahead import LoadAhead
from scheduler.publish import Busy, PublishRefused, check_target, publish, writing
from scheduler.rulebook import BY_NAME, SOFT
from scheduler.store import (
    PlanFileError,
    check_plan_matches,
    check_plan_of,
    input_digest,
    read_plan,
    to_json,
    unchanged_since,
)
from scheduler.views import PlanView, build_view

# The solver, the exporters, the mailer and the template load large libraries (OR-Tools, XlsxWriter, openpyxl):
# they are imported by the commands that use them, so that `validate` and `--help` answer at once.
if TYPE_CHECKING:
    from scheduler import send, solve, suggest
    from scheduler.solve.explain import Explanation

OK, FAILED, INVALID, NO_PLAN = 0, 1, 2, 3
MAX_PROBLEMS = 50  # a file with thousands of errors is summarised, not dumped
EXAMPLES_PER_RULE = 6
# Where the documentation says more, named in error messages.
DOCS_INPUT = "docs/input.md"
DOCS_NO_PLAN = "docs/rules.md, section 'When no plan exists'"
DOCS_CALENDARS = "docs/calendars.md, section 'Troubleshooting'"
DOCS_TROUBLE = "docs/troubleshooting.md"
PASSWORD_VARIABLE = "SCHEDULER_SMTP_PASSWORD"  # noqa: S105 - the name of the variable, not a password
# How long `plan` and `export` wait for another run writing the same OUT: longer than a plan of a large event takes.
WAIT_SECONDS = 600.0

UNCUT_WIDTH = 10_000  # columns: wider than any table row, so that nothing in one is cut or wrapped


class _Console(Console):
    """A rich console that cuts nothing written to a file or a pipe: there a table takes the width its values need
    (rich would fit it into 80 columns, cutting e-mail addresses and rule names), while on a terminal it still fits
    the window."""

    @property
    def size(self) -> ConsoleDimensions:
        size = super().size
        return size if self.is_terminal else ConsoleDimensions(UNCUT_WIDTH, size.height)

    @size.setter
    def size(self, new_size: tuple[int, int]) -> None:
        Console.size.fset(self, new_size)  # type: ignore[attr-defined]


out = _Console(highlight=False, soft_wrap=True)
err = _Console(stderr=True, highlight=False, soft_wrap=True)

EXAMPLES = """examples:
  scheduler validate data/gcm2020-unece
  scheduler plan data/gcm2020-unece --out out
  scheduler explain data/gcm2020-unece
  scheduler export out/plan.json --event data/gcm2020-unece --out out
  scheduler send out --smtp smtp.example.org:25
  scheduler init my-event
  scheduler import registrations.csv data/gcm2020-unece --mapping mapping.toml --dry-run
  scheduler suggest data/gcm2020-unece --out out --replace P017
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
    except PublishRefused as error:
        err.print(f"[red]Nothing was written:[/] {escape(str(error))}")
        return INVALID
    except Busy as error:
        err.print(
            f"[red]Nothing was written: {escape(str(error))}.[/] (hint: let that run finish, then run again; "
            f"--wait S waits longer; see {DOCS_TROUBLE})"
        )
        return FAILED
    except KeyboardInterrupt:
        err.print("[red]Interrupted.[/] Nothing was written; the previous output is unchanged.")
        return FAILED
    except OSError as error:  # the machine, not the input: a folder that cannot be written, a full disk
        where = f": {error.filename}" if error.filename else ""
        err.print(
            f"[red]Cannot go on: {escape(error.strerror or str(error))}{escape(str(where))}.[/] Nothing was "
            "written; the previous output is unchanged (hint: check that the folder exists, that you may write "
            "there and that the disk is not full)."
        )
        return FAILED
    except Exception as error:  # a defect: say so plainly; -v shows the traceback for the report
        if args.verbose:
            raise
        err.print(f"[red]Unexpected error:[/] {escape(f'{type(error).__name__}: {error}')}")
        err.print(
            "Nothing was written; the previous output is unchanged. Run again with -v for the details "
            f"(see {DOCS_TROUBLE})."
        )
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
        sub.add_argument(
            "-v", "--verbose", action="store_true", default=argparse.SUPPRESS, help="log what the solver does"
        )
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
    sub.add_argument(
        "--fresh",
        action="store_true",
        help="plan from scratch instead of keeping the published assignments; the version, calendar SEQUENCE "
        "numbers and cancellations still follow the published plan",
    )
    sub.add_argument(
        "--time-limit", type=_seconds, default=60.0, metavar="S", help="seconds for the solver (default 60)"
    )
    _wait_option(sub)

    sub = command(
        "explain",
        "say why no plan exists, or what the chosen plan's soft-rule costs are",
        "scheduler explain data/gcm2020-unece",
        _explain,
    )
    sub.add_argument("event", type=Path, metavar="EVENT_DIR")
    sub.add_argument(
        "--time-limit", type=_seconds, default=60.0, metavar="S", help="seconds for the solver (default 60)"
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
    _wait_option(sub)

    sub = command(
        "init",
        "write a template event folder to fill in: a commented event.toml and an applicants workbook",
        "scheduler init my-event",
        _init,
    )
    sub.add_argument("event", type=Path, metavar="NEW_EVENT_DIR")

    sub = command(
        "import",
        "turn a registration export (.xlsx or .csv) into the event's applicants sheet",
        "scheduler import registrations.csv data/gcm2020-unece --mapping mapping.toml",
        _import,
    )
    sub.add_argument("source", type=Path, metavar="SOURCE")
    sub.add_argument("event", type=Path, nargs="?", metavar="EVENT_DIR")
    sub.add_argument(
        "--mapping", type=Path, metavar="MAPPING_TOML", help="what the export's columns and answers mean"
    )
    sub.add_argument("--dry-run", action="store_true", help="report what the import would do; write nothing")
    sub.add_argument(
        "--suggest-mapping",
        action="store_true",
        help="print a commented mapping to start from (with EVENT_DIR, its sessions help map the interests)",
    )

    sub = command(
        "suggest",
        "rank substitutes for a person who drops out of the published plan, each a checked re-plan",
        "scheduler suggest data/gcm2020-unece --out out --replace P017",
        _suggest,
    )
    sub.add_argument("event", type=Path, metavar="EVENT_DIR")
    sub.add_argument(
        "--out", type=Path, default=Path("out"), help="where the published plan is (default: out)"
    )
    sub.add_argument(
        "--replace", required=True, metavar="PARTICIPANT", help="the id of the person who drops out"
    )
    sub.add_argument(
        "--top", type=_count, default=5, metavar="N", help="substitutes shown per role (default 5)"
    )
    sub.add_argument("--json", action="store_true", help="print the suggestions as JSON")
    sub.add_argument(
        "--time-limit",
        type=_seconds,
        default=10.0,
        metavar="S",
        help="seconds for each re-plan (default 10)",
    )

    sub = command(
        "send",
        "send the mail-ready invitations in OUT/mail, each version once (a dry run unless --really)",
        "scheduler send out --smtp smtp.example.org:25 --really",
        _send,
    )
    sub.add_argument("out", type=Path, metavar="OUT")
    sub.add_argument("--smtp", required=True, type=_smtp_server, metavar="HOST:PORT", help="the SMTP server")
    sub.add_argument("--really", action="store_true", help="send; without it, only list what would be sent")
    sub.add_argument(
        "--starttls", action="store_true", help="upgrade the connection to TLS (port 587 relays)"
    )
    sub.add_argument(
        "--user",
        metavar="NAME",
        help=f"log in to the server as NAME; the password is read from {PASSWORD_VARIABLE}, or asked for",
    )
    sub.add_argument(
        "--from",
        dest="sender",
        metavar="ADDRESS",
        help="envelope sender, for a relay that lets an account send only as itself (From stays the organiser)",
    )
    sub.add_argument(
        "--timeout",
        type=_seconds,
        metavar="S",
        help="give up when connecting (greeting, TLS, login) or sending one message takes longer than S seconds "
        "(default: 60 to connect, 120 per message)",
    )
    return parser


def _wait_option(sub: argparse.ArgumentParser) -> None:
    sub.add_argument(
        "--wait",
        type=_wait_seconds,
        default=WAIT_SECONDS,
        metavar="S",
        help=f"seconds to wait while another run writes OUT (default {WAIT_SECONDS:g}; 0: do not wait)",
    )


def _smtp_server(text: str) -> tuple[str, int]:
    with interrupt.loading():  # a Ctrl-C while its libraries load ends the run cleanly
        from scheduler import send  # noqa: PLC0415

    try:
        return send.parse_server(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


# --- commands ------------------------------------------------------------------------------------------------


def _validate(args: argparse.Namespace) -> int:
    event = load_event(args.event)
    active = sum(not a.withdrawn for a in event.applicants)
    out.print(
        f"[green]OK[/] {escape(str(args.event))}: {len(event.sessions)} sessions on {len(event.days)} days, "
        f"{len(event.applicants)} applicants ({active} active)."
    )
    _note_event_time(event)
    for note in missing_translations(event):
        out.print(f"note: not translated, shown in {escape(event_language(event))} instead: {escape(note)}")
    return OK


def _plan(args: argparse.Namespace) -> int:
    loaded = LoadAhead(args.event)  # read in a second process while this one imports the solver
    with interrupt.loading():  # a Ctrl-C while its libraries load ends the run cleanly
        from scheduler import release, solve  # noqa: PLC0415

    event = loaded()
    _note_event_time(event)
    check_target(args.out.resolve())  # before solving: the answer would be the same after
    # Locked from before reading the published plan until the next one is published: a run that read version N
    # must not publish its N+1 over another run's.
    with writing(args.out, args.wait, _waiting(args.out)) as folder:
        check_target(folder)  # again: what a killed run left has just been put back
        try:
            previous = _previous(args, event)
        except PlanFileError as error:
            err.print(f"[red]{escape(str(error))}[/] (hint: choose another --out folder)")
            return INVALID
        try:
            solution = _solve_with_progress(event, previous, not args.fresh, args.time_limit)
            # The independent check runs in a second process meanwhile (once the progress display, a thread,
            # has ended): nothing is written before it has passed.
            check = solve.Check(event, solution, None if args.fresh else previous)
            result = release.release(event, solution, previous, generated_at())
            view = build_view(event, result)
            check()
        except solve.NoPlan as no_plan:
            return _print_no_plan(no_plan.explanation)
        except solve.PlanRefused as refused:
            err.print("[red]The solver's plan failed the independent check; nothing was written.[/]")
            for violation in refused.violations:
                err.print(f"  {violation}", markup=False)
            return FAILED
        published = folder / "plan.json"
        since = unchanged_since(to_json(view), published) if published.is_file() else None
        if since is not None:
            out.print(f"Nothing changed since version {since}: {escape(str(args.out))}/ is as it was.")
            return OK
        _write(view, folder)
    _summary(view, args.out)
    return OK


def _previous(args: argparse.Namespace, event: Event) -> Plan | None:
    """The published plan to re-plan against: --previous, or the one already in OUT; PlanFileError if unusable."""
    path = args.previous or args.out / "plan.json"
    if args.previous is None and not path.exists():
        return None
    previous = read_plan(path)
    check_plan_of(path, previous, event)
    return previous


def _solve_with_progress(
    event: Event, previous: Plan | None, keep_published: bool, time_limit: float
) -> solve.Solution:
    with interrupt.loading():  # a Ctrl-C while its libraries load ends the run cleanly
        from scheduler import solve  # noqa: PLC0415

    columns = (SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn())
    with Bar(*columns, console=err, transient=True) as bar:
        task = bar.add_task("Solving: looking for a first plan", total=None)

        def progress(p: solve.Progress) -> None:
            bar.update(
                task,
                description=f"Solving: best plan so far costs {p.objective:,.0f} "
                f"(lower bound {p.bound:,.0f})",
            )

        return solve.solve(
            event,
            previous=previous,
            keep_published=keep_published,
            time_limit=time_limit,
            progress=progress,
            meanwhile=lambda: _prepare_outputs(event),
            checked=False,
        )


DIGEST_WHILE_SOLVING = 20_000  # applicants: under a second of digest, less than the search of such an event


def _prepare_outputs(event: Event) -> None:
    """What writing the outputs needs and the solution does not change, done while the solver searches: import
    the exporters and their libraries (XlsxWriter, icalendar, Jinja2, Babel), make the invitations' shared parts
    (`ics.prepare`), and the digest of the input that plan.json carries. The run waits for this work after the
    search, so the digest of a very large event, which would outlast the search, is left to the writing of
    plan.json instead, beside the agenda workbook. An error is left for the main thread to meet and report."""
    with contextlib.suppress(Exception):
        importlib.import_module("scheduler.export.outputs")
        importlib.import_module("scheduler.export.ics").prepare(event)
        if len(event.applicants) <= DIGEST_WHILE_SOLVING:
            input_digest(event)


def generated_at() -> dt.datetime:
    """Now, or SOURCE_DATE_EPOCH when set, so that the same input gives byte-identical files."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
    return dt.datetime.now(tz=dt.UTC).replace(microsecond=0)


def _waiting(folder: Path) -> Callable[[], None]:
    def say() -> None:
        err.print(f"Waiting for another run writing {escape(str(folder))}/ ...")

    return say


def _write(view: PlanView, folder: Path) -> None:
    """Publish every output of the plan into `folder`, showing what is being written; the caller holds its lock."""
    with interrupt.loading():  # a Ctrl-C while its libraries load ends the run cleanly
        from scheduler.export.outputs import write_outputs  # noqa: PLC0415

    with Bar(SpinnerColumn(), TextColumn("{task.description}"), console=err, transient=True) as bar:
        task = bar.add_task("Writing", total=None)
        publish(
            folder,
            lambda staging: write_outputs(
                view, staging, lambda name: bar.update(task, description=f"Writing {name}")
            ),
        )


def _summary(view: PlanView, folder: Path) -> None:
    event, result, solver = view.event, view.plan, view.plan.solver
    if solver is None:
        raise ValueError("a plan just solved has a solver report")
    people = {a.participant for a in result.assignments}
    objectives = {o for s in event.sessions for o in s.objectives}
    covered = {o for s in view.sessions for o in s.session.objectives if view.coverage(s.id, o)}
    table = Table(
        title=f"{escape(event.title)} - plan version {result.version}",
        show_header=False,
        title_justify="left",
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
        else f" (gap {solver.gap:.1%}: the time limit stopped the search; give a longer --time-limit)"
    )
    table.add_row("solver", f"{status}, cost {solver.objective:,} in {solver.wall_seconds:.1f} s")
    if result.changes:
        table.add_row(
            "changes", f"{len(result.changes)} versus version {result.version - 1} (see agenda.xlsx, Changes)"
        )
    from scheduler.export.list_of_speakers import file_names  # noqa: PLC0415 (loaded by the writing above)

    lists = ", ".join(file_names(view).values())
    table.add_row(
        "written",
        f"{escape(str(folder))}/: plan.json, agenda.xlsx, run-of-show.xlsx, {lists}, agenda.png, "
        "coverage.png, calendar/, mail/, rosters/, site/",
    )
    out.print(table)


def _explain(args: argparse.Namespace) -> int:
    with interrupt.loading():  # a Ctrl-C while its libraries load ends the run cleanly
        from scheduler import solve  # noqa: PLC0415
        from scheduler.validate import penalty_items  # noqa: PLC0415

    event = load_event(args.event)
    try:
        result = solve.solve(event, time_limit=args.time_limit).as_plan(event)
    except solve.NoPlan as no_plan:
        return _print_no_plan(no_plan.explanation)
    if result.solver is None:
        raise ValueError("a plan just solved has a solver report")
    table = Table(title="Soft-rule costs of the chosen plan", title_justify="left")
    for column in ("rule", "units", "weight", "cost", "one unit is"):
        table.add_column(column)
    for name, units in result.solver.costs.items():
        weight = result.solver.weights.get(name, 0)
        table.add_row(name, str(units), str(weight), f"{units * weight:,}", BY_NAME[name].summary)
    out.print(table)
    items = penalty_items(event, result)
    for name in SOFT:
        mine = [i.detail for i in items if i.rule == name]
        if mine:
            out.print(
                f"[bold]{name}[/]: "
                + escape("; ".join(mine[:EXAMPLES_PER_RULE]))
                + (f"; ... and {len(mine) - EXAMPLES_PER_RULE} more" if len(mine) > EXAMPLES_PER_RULE else "")
            )
    out.print(
        f"Total cost {result.solver.objective:,} ({result.solver.status}); "
        f"{len(result.unassigned)} applicants on the waiting list, each with a reason in plan.json."
    )
    return OK


def _export(args: argparse.Namespace) -> int:
    with interrupt.loading():  # a Ctrl-C while its libraries load ends the run cleanly
        from scheduler.export.outputs import write_outputs  # noqa: PLC0415

    event = load_event(args.event)
    check_target(args.out.resolve())
    with writing(args.out, args.wait, _waiting(args.out)) as folder:
        check_target(folder)
        try:
            saved = read_plan(args.plan)
            check_plan_matches(args.plan, saved, event)
        except PlanFileError as error:
            err.print(f"[red]{escape(str(error))}[/]")
            return INVALID
        view = build_view(event, saved)
        # The same plan.json, input digest included, means the same outputs: they are there already.
        current = folder / "plan.json"
        if current.is_file() and current.read_bytes() == to_json(view).encode("utf-8"):
            out.print(
                f"Nothing changed since version {saved.version}: {escape(str(args.out))}/ is as it was."
            )
            return OK
        publish(folder, lambda staging: write_outputs(view, staging))
    out.print(f"[green]Exported[/] plan version {saved.version} to {escape(str(args.out))}/ without solving.")
    return OK


def _init(args: argparse.Namespace) -> int:
    with interrupt.loading():  # a Ctrl-C while its libraries load ends the run cleanly
        from scheduler.template import FolderNotEmpty, write_template  # noqa: PLC0415 - openpyxl: for `init` only

    try:
        written = write_template(args.event)
    except FolderNotEmpty as error:
        err.print(
            f"[red]{escape(str(error))}:[/] init never overwrites an event (hint: give a new folder name)"
        )
        return INVALID
    for path in written:
        out.print(f"[green]wrote[/] {escape(str(path))}")
    folder = escape(str(args.event))
    quoted = escape(shlex.quote(str(args.event)))
    out.print(
        f"Next: fill in {folder}/event.toml (the lines marked TODO) and one row per person in "
        f"{folder}/applicants.xlsx (its Instructions sheet explains each column), then run:\n"
        f"  scheduler validate {quoted}\n  scheduler plan {quoted} --out {escape(shlex.quote(str(args.event / 'out')))}"
    )
    return OK


def _import(args: argparse.Namespace) -> int:
    with interrupt.loading():  # a Ctrl-C while its libraries load ends the run cleanly
        from scheduler import intake  # noqa: PLC0415

    if args.suggest_mapping:
        sys.stdout.write(intake.suggest_mapping(args.source, args.event))
        return OK
    if args.event is None or args.mapping is None:
        err.print(
            "[red]import needs SOURCE, EVENT_DIR and --mapping MAPPING_TOML.[/] (hint: "
            f"`scheduler import {escape(shlex.quote(str(args.source)))} --suggest-mapping > mapping.toml` "
            "writes a mapping to start from; see docs/import.md)"
        )
        return INVALID
    report = intake.import_registrations(args.source, args.event, args.mapping, dry_run=args.dry_run)
    table = Table(
        title=("Dry run: nothing written. " if args.dry_run else "")
        + f"{escape(report.source)} into {escape(str(report.target))}",
        show_header=False,
        title_justify="left",
    )
    table.add_row(
        "rows", f"{report.rows} in the export, {report.merged} merged into an earlier row of the same person"
    )
    table.add_row("people", str(report.people))
    table.add_row("new", f"{len(report.new)}" + (f" ({escape(_id_range(report.new))})" if report.new else ""))
    table.add_row(
        "updated",
        f"{len(report.updated)}" + (f" ({escape(', '.join(report.updated))})" if report.updated else ""),
    )
    table.add_row("unchanged", str(report.unchanged))
    table.add_row("withdrawn", f"{report.withdrawn} of the export's people")
    table.add_row("kept", f"{report.kept} people of the sheet who are not in the export, kept as they were")
    out.print(table)
    if report.written:
        out.print(
            f"[green]Wrote[/] {escape(str(report.target))}. Next: scheduler validate {escape(shlex.quote(str(args.event)))}"
        )
    return OK


def _suggest(args: argparse.Namespace) -> int:
    with interrupt.loading():  # a Ctrl-C while its libraries load ends the run cleanly
        from scheduler import solve  # noqa: PLC0415
        from scheduler import suggest as substitutes  # noqa: PLC0415

    event = load_event(args.event)
    path = args.out / "plan.json"
    try:
        published = read_plan(path)
        check_plan_of(path, published, event)
    except PlanFileError as error:
        hint = f"run `scheduler plan {shlex.quote(str(args.event))} --out {shlex.quote(str(args.out))}` first"
        err.print(
            f"[red]{escape(str(error))}[/] (hint: suggest works from the published plan; {escape(hint)})"
        )
        return INVALID
    try:
        substitutes.roles_of(event, published, args.replace)
    except substitutes.CannotSuggest as error:
        err.print(f"[red]{escape(str(error))}[/] (hint: {escape(error.hint)})")
        return INVALID
    columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn())  # fmt: skip
    try:
        with Bar(*columns, console=err, transient=True) as bar:
            task = bar.add_task(f"Re-planning without {escape(args.replace)}", total=None)

            def progress(done: int, total: int, doing: str) -> None:
                bar.update(task, completed=done, total=total, description=f"Suggest: {escape(doing)}")

            found = substitutes.suggest(
                event, published, args.replace, top=args.top, time_limit=args.time_limit, progress=progress
            )
    except solve.NoPlan as no_plan:
        err.print(f"Without {escape(args.replace)}, no plan is possible:")
        return _print_no_plan(no_plan.explanation)
    except solve.PlanRefused as refused:
        err.print("[red]A re-plan failed the independent check; no suggestion is given.[/]")
        for violation in refused.violations:
            err.print(f"  {violation}", markup=False)
        return FAILED
    if args.json:
        sys.stdout.write(json.dumps(substitutes.as_json(event, found), indent=2, ensure_ascii=False) + "\n")
        return OK
    _print_suggestions(event, found)
    return OK


def _print_suggestions(event: Event, found: suggest.Suggestions) -> None:
    with interrupt.loading():  # a Ctrl-C while its libraries load ends the run cleanly
        from scheduler import suggest  # noqa: PLC0415

    leaver = event.applicant_by_id[found.participant]
    replan = found.replan.report
    out.print(
        f"{escape(leaver.id)} {escape(leaver.name)} drops out of plan version {found.version}. "
        f"The re-plan without them (what `scheduler plan` would publish) costs {replan.objective:,} and makes "
        f"{len(found.replan_changes)} change{'s' if len(found.replan_changes) != 1 else ''}:"
    )
    for change in found.replan_changes:
        out.print(f"  {escape(suggest.change_words(change))}")
    people = event.applicant_by_id
    for role in found.roles:
        table = Table(
            title=f"Substitutes for {role.role} of {escape(role.session)}: the best {len(role.suggestions)} of "
            f"{role.tried} who asked for it",
            title_justify="left",
        )
        for column in ("#", "substitute", "organisation", "cost_delta", "changes", "reason"):
            table.add_column(column)
        for number, s in enumerate(role.suggestions, start=1):
            person = people[s.participant]
            mark = " (the re-plan's choice)" if s.replan_choice else ""
            table.add_row(str(number), f"{escape(s.participant)} {escape(person.name)}{mark}",
                          escape(person.organisation), f"{s.cost_delta:+,}", str(len(s.changes)),
                          escape(s.reason))  # fmt: skip
        out.print(table)
        if not role.tried:
            out.print(
                "  Nobody else asked for this role and may take it: the re-plan fills it otherwise "
                "(see the changes above)."
            )
        if role.impossible:
            out.print(
                f"  No plan holds with {escape(', '.join(role.impossible))} in this role (another hard rule "
                "would break)."
            )
    out.print(
        "cost_delta: the re-plan's cost with that substitute minus the cost above (0: as good); changes: other "
        "changes to the published plan. Nothing was written; to publish one, see docs/rules.md, section "
        "'Replacing someone who drops out'."
    )


def _id_range(ids: list[str]) -> str:
    return ", ".join(ids) if len(ids) <= 6 else f"{ids[0]} ... {ids[-1]}"


def _send(args: argparse.Namespace) -> int:
    """List what would be sent (dry run), or send it with --really; the sent log keeps anything from going twice."""
    with interrupt.loading():  # a Ctrl-C while its libraries load ends the run cleanly
        from scheduler import send  # noqa: PLC0415

    try:
        messages = send.outgoing(args.out)
    except send.NoMail as error:
        err.print(
            f"[red]{escape(str(error))}.[/] (hint: run `scheduler plan EVENT_DIR --out {escape(str(args.out))}` first)"
        )
        return INVALID
    log_file = send.log_path(args.out)
    if not args.really:
        return _send_listed(args, messages, log_file)

    def waiting(lock: Path) -> None:
        err.print(
            f"Another send from {escape(str(args.out))} is running ({escape(str(lock))} is held): waiting for it "
            "to finish, then sending only what it did not send."
        )

    with send.exclusive(log_file, waiting):
        return _send_listed(args, messages, log_file)


def _send_listed(args: argparse.Namespace, messages: list[send.Outgoing], log_file: Path) -> int:
    """What `send` does once it may: read the log, then list or send what it does not hold."""
    with interrupt.loading():  # a Ctrl-C while its libraries load ends the run cleanly
        from scheduler import send  # noqa: PLC0415

    try:
        sent = send.read_log(log_file)
    except send.BadLog as error:
        err.print(f"[red]{escape(str(error))}[/] (hint: move it aside only if nothing was sent with it)")
        return FAILED
    host, port = args.smtp
    triaged = send.triage(messages, sent)
    todo = [m for m, status in triaged if status is send.Status.NEW]
    for entry in send.forgotten(messages, sent):
        err.print(
            f"[yellow]{escape(entry.participant)} {escape(entry.session)}: invited (SEQUENCE {entry.sequence}) but "
            "neither invited nor cancelled in this plan: it is still in their calendar.[/]"
        )
    for message, status in triaged:
        if status is send.Status.SUPERSEDED:
            err.print(
                f"[yellow]{escape(message.path.name)}: not sent, a later version of this invitation was sent "
                "already (calendars would ignore it).[/]"
            )
    if not args.really:
        table = Table(title=f"Dry run: {len(todo)} of {len(triaged)} messages would be sent to {host}:{port}")
        for column in ("file", "to", "method", "sequence", "status"):
            table.add_column(column)
        for message, status in triaged:
            table.add_row(
                escape(message.path.name),
                escape(message.to),
                message.method,
                str(message.sequence),
                status.value,
            )
        out.print(table)
        out.print(f"Sent log: {escape(str(log_file))}. Give --really to send.")
        return OK
    delivered = 0
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Bar(*columns, console=err, transient=True) as bar:
        task = bar.add_task(f"Sending to {host}:{port}", total=len(todo))

        def done(message: send.Outgoing, problem: str | None) -> None:
            nonlocal delivered
            delivered += problem is None
            bar.update(task, advance=1, description=f"Sent {escape(message.path.name)}")
            if problem:
                err.print(
                    f"[red]{escape(message.path.name)} to {escape(message.to)} not sent:[/] {escape(problem)}"
                )

        try:
            refused = send.deliver(
                todo,
                (host, port),
                log_file,
                sender=args.sender,
                on_done=done,
                starttls=args.starttls,
                login=_login(args.user),
                connect_seconds=args.timeout or send.CONNECT_SECONDS,
                message_seconds=args.timeout or send.MESSAGE_SECONDS,
            )
        except send.CannotSend as error:
            err.print(
                f"[red]{escape(str(error))}[/] (hint: check --smtp {host}:{port}, that the server runs and that "
                f"this machine may reach it; see {DOCS_CALENDARS})"
            )
            err.print(
                f"Sent {delivered} of {len(todo)} messages before stopping; {len(todo) - delivered} not sent. What "
                f"was sent is in {escape(str(log_file))}: run send again for the rest."
            )
            return FAILED
    out.print(
        f"[green]Sent[/] {len(todo) - len(refused)} of {len(todo)} messages to {host}:{port} "
        f"({len(triaged) - len(todo)} sent before or superseded); log: {escape(str(log_file))}"
    )
    return FAILED if refused else OK


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
            f"  ... and {len(problems) - MAX_PROBLEMS} more (the first {MAX_PROBLEMS} problems are shown)."
        )
    err.print(f"The input format is described in {DOCS_INPUT}.")


def _note_event_time(event: Event) -> None:
    """Say how many people give no time zone: they are planned and invited at event time, which is right for
    someone in the event's city (a Permanent Mission in Geneva) and wrong for anyone who forgot to give theirs."""
    blank = sum(not a.timezone for a in event.applicants)
    if not blank:
        return
    who = "1 applicant gives" if blank == 1 else f"{blank} applicants give"
    out.print(
        f"note: {who} no time zone and {'is' if blank == 1 else 'are'} taken to connect at event time "
        f"({escape(event.timezone)}); fill in the timezone of anyone who connects from elsewhere."
    )


def _wait_seconds(text: str) -> float:
    """A --wait: a number of seconds, 0 for not waiting at all."""
    seconds = _number(text)
    if not 0 <= seconds < float("inf"):
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds, e.g. 60 (0: do not wait)")
    return seconds


def _seconds(text: str) -> float:
    """A --time-limit or --timeout: a positive number of seconds."""
    seconds = _number(text)
    if not 0 < seconds < float("inf"):
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive number of seconds, e.g. 120")
    return seconds


def _number(text: str) -> float:
    """The number written, or NaN (which every range check refuses) when it is not one."""
    try:
        return float(text)
    except ValueError:
        return float("nan")


def _count(text: str) -> int:
    """A --top: a whole number of at least 1."""
    try:
        number = int(text)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of at least 1, e.g. 5")
    return number


def _login(user: str | None) -> tuple[str, str] | None:
    """The SMTP login: never a password on the command line, where other users and the history would see it."""
    if user is None:
        return None
    password = os.environ.get(PASSWORD_VARIABLE)
    if password is None:
        password = getpass.getpass(f"SMTP password for {user}: ")
    return user, password


def _print_no_plan(explanation: Explanation) -> int:
    """Print why there is no plan; the exit code: 3 when none exists, 1 when the time limit stopped the search."""
    if not explanation.proven:
        err.print(
            "[red]No plan was found within the time limit[/], and none was proven impossible: "
            f"give a longer --time-limit (see {DOCS_TROUBLE})."
        )
        return FAILED
    err.print("[red]No plan exists that satisfies every hard rule.[/] Nothing was written.")
    err.print(str(explanation), markup=False)
    err.print(f"More in {DOCS_NO_PLAN}.")
    return NO_PLAN


if __name__ == "__main__":
    sys.exit(main())
