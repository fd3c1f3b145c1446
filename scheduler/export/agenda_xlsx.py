"""`agenda.xlsx`: the organisers' workbook.

Sheets: Programme, Assignments, Coverage (objective x session), Balance, Waiting list, Changes, Submissions,
Solver. Each is a filterable table with a frozen header, wrapped text with fitting row heights, printable on A4
landscape one page wide. Cell values depend only on the event and the plan (no "now").
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from scheduler.domain import Applicant, Category, Role
from scheduler.export.cells import A4, GRID, LABEL_FONT, WRAP, Book, Sheet, Style
from scheduler.rulebook import BY_NAME, SOFT
from scheduler.views import PlanView, SessionView

NOT_COVERED = "NOT COVERED"
REQUIRED_FILL: Style = {"pattern": 1, "bg_color": "#DDEBF7"}  # the objective belongs to the session
MISSING_FILL: Style = {"pattern": 1, "bg_color": "#F8CBAD"}
NOT_STATED = "not stated"
LEFT: Style = {**WRAP, "align": "left"}


PICTURE_WIDTH = 900  # pixels on screen
ROW_PIXELS, COLUMN_PIXELS = 20, 64  # a default row and column


def write_agenda(view: PlanView, path: Path, pictures: Sequence[Path] = ()) -> None:
    """Write the organisers' workbook to `path`, with the given pictures on a sheet of their own."""
    book = Book(path, created=view.plan.generated_at)
    if pictures:
        _pictures(book.sheet("Pictures"), pictures)
    sheets: Sequence[tuple[str, Callable[[PlanView, Sheet], int]]] = (
        ("Programme", _programme),
        ("Assignments", _assignments),
        ("Coverage", _coverage),
        ("Balance", _balance),
        ("Waiting list", _waiting_list),
        ("Changes", _changes),
        ("Submissions", _submissions),
        ("Solver", _solver),
    )
    for title, fill in sheets:
        sheet = book.sheet(title)
        header_row = fill(view, sheet)
        sheet.print_setup(header_row, header=view.event.title)
    book.close()


def _pictures(sheet: Sheet, pictures: Sequence[Path]) -> None:
    """The timeline and coverage pictures, first in the workbook, each on a printed page of its own."""
    row, breaks = 1, []
    for picture in pictures:
        row += sheet.picture(row, picture, PICTURE_WIDTH) // ROW_PIXELS + 2
        breaks.append(row - 1)  # a page break below that row
    ws = sheet.ws
    ws.set_h_pagebreaks(breaks)
    # Pictures do not count as content when printing: the print area covers them, fitted one page wide.
    ws.print_area(0, 0, row - 1, PICTURE_WIDTH // COLUMN_PIXELS)
    ws.set_portrait()
    ws.set_paper(A4)
    ws.fit_to_pages(1, 0)


def _note(sheet: Sheet, text: str, columns: int = 6) -> int:
    """A bold line above a table, spanning `columns` columns; returns the row where the table starts."""
    sheet.merge(1, 1, columns, text, font=LABEL_FONT)
    return 3


def _times_note(view: PlanView) -> str:
    abbreviations = "/".join(sorted({f"{s.start:%Z}" for s in view.sessions}))
    zone = f"{abbreviations}, {view.event.timezone}" if abbreviations else view.event.timezone
    return f"Dates and times in the event's time zone ({zone})"


def _names(people: Sequence[Applicant]) -> str:
    return "; ".join(p.name for p in people)


def _programme(view: PlanView, sheet: Sheet) -> int:
    rows: list[list[Any]] = [
        [
            s.start.date(),
            s.start.time(),
            s.end.time(),
            s.id,
            s.session.title,
            s.session.kind.value,
            ", ".join(map(str, s.session.objectives)),
            _names(s.moderators),
            len(s.speakers),
            _names(s.speakers),
            _names(s.rapporteurs),
        ]
        for s in view.sessions
    ]
    rows += [[b.date, b.start, b.end, "", b.title, "break", "", "", "", "", ""] for b in view.event.breaks]
    rows.sort(key=lambda r: (r[0], r[1]))
    header = [
        "date",
        "start",
        "end",
        "session",
        "title",
        "kind",
        "objectives",
        "moderators",
        "speakers",
        "speaking order",
        "rapporteurs",
    ]
    first = _note(sheet, _times_note(view))
    widths = [11.5, 7, 7, 9, 40, 12, 14, 22, 9, 50, 22]
    sheet.table(header, rows, widths=widths, first_row=first, name="Programme")
    return first


def _assignments(view: PlanView, sheet: Sheet) -> int:
    rows = []
    for s in view.sessions:
        for role, p in _roles(s):
            slot = next((i for i in s.items if i.person and i.person.id == p.id and i.role is role), None)
            rows.append(
                [
                    s.id,
                    s.start.date(),
                    role.value,
                    slot.start.time() if slot else None,
                    p.id,
                    p.name,
                    p.category.value,
                    p.country,
                    p.organisation,
                    p.function,
                    p.gender,
                    p.level,
                    p.interest_rank(s.id, role) or "fixed",
                    p.email,
                ]
            )
    header = [
        "session",
        "date",
        "role",
        "first item",
        "id",
        "name",
        "category",
        "country",
        "organisation",
        "function",
        "gender",
        "level",
        "choice",
        "email",
    ]
    first = _note(sheet, _times_note(view))
    widths = [9, 11.5, 11, 7, 8, 22, 13, 14, 30, 24, 7, 15, 7, 32]
    sheet.table(header, rows, widths=widths, first_row=first, name="Assignments")
    return first


def _coverage(view: PlanView, sheet: Sheet) -> int:
    """One row per objective, one column per session with objectives: the assigned speakers who declared it.
    Shaded cells are the session's own objectives; an own objective nobody declared says NOT COVERED."""
    sessions = [s for s in view.sessions if s.session.objectives]
    numbers = sorted(set(view.event.objective_titles) | {o for s in sessions for o in s.session.objectives})
    rows: list[list[Any]] = []
    for number in numbers:
        owners = [s.id for s in sessions if number in s.session.objectives]
        row: list[Any] = [number, view.event.objective_titles.get(number, ""), ", ".join(owners)]
        for s in sessions:
            names = _names(view.coverage(s.id, number))
            row.append(names or (NOT_COVERED if s.id in owners else ""))
        rows.append(row)
    header = ["objective", "label", "session"] + [s.id for s in sessions]
    sheet.table(header, rows, widths=[10, 26, 9] + [26] * len(sessions), name="Coverage")
    for r, (number, row) in enumerate(zip(numbers, rows, strict=True), start=2):
        for c, s in enumerate(sessions, start=4):
            if number in s.session.objectives:
                value = row[c - 1]
                sheet.put(
                    r, c, value, border=GRID, fill=MISSING_FILL if value == NOT_COVERED else REQUIRED_FILL
                )
    return 1


def _balance(view: PlanView, sheet: Sheet) -> int:
    """Per session: the panel (moderators and speakers) by category and gender; the speakers by subregion;
    the stakeholder speakers by stakeholder group. Each count with its share of the people counted."""
    rows: list[list[Any]] = []
    for s in view.sessions:
        panel = list(s.moderators) + list(s.speakers)
        stakeholders = [p for p in s.speakers if p.category is Category.STAKEHOLDER]
        dimensions: list[tuple[str, str, list[str]]] = [
            ("category", "moderators and speakers", [p.category.value for p in panel]),
            ("gender", "moderators and speakers", [p.gender or NOT_STATED for p in panel]),
            ("subregion", "speakers", [p.subregion or NOT_STATED for p in s.speakers]),
            (
                "stakeholder group",
                "stakeholder speakers",
                [p.stakeholder_group or NOT_STATED for p in stakeholders],
            ),
        ]
        for dimension, among, values in dimensions:
            for value, count in sorted(Counter(values).items()):
                rows.append([s.id, dimension, value, count, among, len(values), count / len(values)])
    header = ["session", "dimension", "value", "people", "counted among", "of", "share"]
    sheet.table(header, rows, widths=[9, 17, 30, 8, 24, 6, 8], name="Balance")
    for r, row in enumerate(rows, start=2):
        sheet.put(r, 7, row[6], border=GRID, number_format="0%")
    return 1


def _waiting_list(view: PlanView, sheet: Sheet) -> int:
    rows = [
        [
            p.id,
            p.name,
            p.category.value,
            p.country,
            p.organisation,
            "; ".join(f"{i.session}:{i.role}" for i in sorted(p.interests, key=lambda i: i.rank)),
            reason,
            p.email,
        ]
        for p, reason in sorted(view.unassigned, key=lambda u: u[0].id)
    ]
    header = ["id", "name", "category", "country", "organisation", "interests (ranked)", "reason", "email"]
    sheet.table(header, rows, widths=[8, 22, 13, 14, 28, 24, 70, 26], name="WaitingList")
    return 1


def _changes(view: PlanView, sheet: Sheet) -> int:
    plan, people = view.plan, view.event.applicant_by_id
    count = len(plan.changes)
    note = f"Version {plan.version}: " + (
        "the first version"
        if plan.version == 1
        else f"{count or 'no'} change{'' if count == 1 else 's'} versus version {plan.version - 1}"
    )
    first = _note(sheet, note)
    rows = [
        [
            c.kind,
            c.session,
            c.participant or "",
            people[c.participant].name if c.participant in people else "",
            c.role.value if c.role else "",
            c.before,
            c.after,
            c.reason,
        ]
        for c in plan.changes
    ]
    header = ["change", "session", "participant", "name", "role", "before", "after", "reason"]
    sheet.table(header, rows, widths=[10, 9, 11, 22, 11, 26, 26, 60], first_row=first, name="Changes")
    return first


def _submissions(view: PlanView, sheet: Sheet) -> int:
    """Everyone who sent a written submission, flagged when late or over the word limit."""
    event = view.event
    deadline, limit = event.submission_deadline, event.submission_word_limit
    roles = {p.id: f"{s.id} {role.value}" for s in view.sessions for role, p in _roles(s)}
    waiting = {p.id for p, _ in view.unassigned}
    rows = []
    for p in sorted(event.applicants, key=lambda a: a.id):
        if p.submission_date is None and p.submission_words is None:
            continue
        late = deadline is not None and p.submission_date is not None and p.submission_date > deadline
        long = p.submission_words is not None and p.submission_words > limit
        rows.append(
            [
                p.id,
                p.name,
                p.category.value,
                p.country or p.organisation,
                p.submission_date,
                p.submission_words,
                "yes" if late else "",
                "yes" if long else "",
                ", ".join(map(str, p.objectives)),
                roles.get(p.id) or ("waiting list" if p.id in waiting else ""),
            ]
        )
    header = [
        "id",
        "name",
        "category",
        "delegation or organisation",
        "received",
        "words",
        f"after the deadline ({deadline:%Y-%m-%d})" if deadline else "after the deadline (none set)",
        f"over {limit:,} words",
        "objectives addressed",
        "in the plan",
    ]
    widths = [8, 22, 13, 28, 11, 8, 14, 11, 18, 18]
    sheet.table(header, rows, widths=widths, name="Submissions")
    return 1


def _roles(session: SessionView) -> list[tuple[Role, Applicant]]:
    return (
        [(Role.MODERATOR, p) for p in session.moderators]
        + [(Role.SPEAKER, p) for p in session.speakers]
        + [(Role.RAPPORTEUR, p) for p in session.rapporteurs]
    )


def _solver(view: PlanView, sheet: Sheet) -> int:
    """The solver's facts, then each soft rule's units, weight and cost (the objective is their sum)."""
    plan, solver = view.plan, view.plan.solver
    generated = plan.generated_at
    if generated.tzinfo is not None:
        generated = generated.astimezone(dt.UTC)
    facts: list[tuple[str, Any]] = [("plan version", plan.version), ("generated at (UTC)", generated)]
    if solver is not None:
        facts += [
            ("status", solver.status),
            ("objective (total cost)", solver.objective),
            ("best bound", solver.bound),
            ("gap", solver.gap),
            ("solver time (deterministic s)", solver.seconds),
        ]
    else:
        facts.append(("status", "no solver report in this plan"))
    for row, (label, value) in enumerate(facts, start=1):
        sheet.put(row, 1, label, font=LABEL_FONT)
        number_format = "0.00%" if label == "gap" else None
        sheet.merge(
            row, 2, 4, value, alignment=LEFT, number_format=number_format
        )  # one column of mixed facts
    costs = solver.costs if solver else {}
    weights = solver.weights if solver else {}
    rows = [
        [name, units, weights.get(name, 0), units * weights.get(name, 0), BY_NAME[name].summary]
        for name, units in ((name, costs.get(name, 0)) for name in SOFT)
    ]
    first = len(facts) + 2
    header = ["soft rule", "units", "weight", "cost", "one unit is"]
    sheet.table(header, rows, widths=[28, 8, 8, 8, 70], first_row=first, name="SoftRules")
    return first
