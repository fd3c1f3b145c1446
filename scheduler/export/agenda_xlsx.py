"""`agenda.xlsx`: the organisers' workbook."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from scheduler.domain import Category, Role
from scheduler.export.cells import put, write_table
from scheduler.rulebook import BY_NAME, SOFT
from scheduler.views import PlanView


def write_agenda(view: PlanView, path: Path) -> None:
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    _programme(view, book)
    _assignments(view, book)
    _coverage(view, book)
    _balance(view, book)
    _waiting_list(view, book)
    _changes(view, book)
    _submissions(view, book)
    _solver(view, book)
    book.save(path)


def _zone(view: PlanView) -> str:
    return view.event.timezone


def _programme(view: PlanView, book: Workbook) -> None:
    ws = book.create_sheet("Programme")
    rows: list[list[Any]] = []
    for s in view.sessions:
        rows.append(
            [
                s.start.date(),
                s.start.strftime("%H:%M"),
                s.end.strftime("%H:%M"),
                s.id,
                s.session.title,
                s.session.kind.value,
                ", ".join(map(str, s.session.objectives)),
                "; ".join(p.name for p in s.moderators),
                len(s.speakers),
                "; ".join(p.name for p in s.rapporteurs),
            ]
        )
    for b in view.event.breaks:
        rows.append(
            [b.date, b.start.strftime("%H:%M"), b.end.strftime("%H:%M"), "", b.title, "break", "", "", "", ""]
        )
    rows.sort(key=lambda r: (r[0], r[1]))
    header = [
        "date",
        f"start ({_zone(view)})",
        "end",
        "session",
        "title",
        "kind",
        "objectives",
        "moderators",
        "speakers",
        "rapporteurs",
    ]
    write_table(ws, header, rows, widths=[12, 10, 8, 10, 60, 13, 18, 28, 9, 28], name="Programme")
    for row in range(2, len(rows) + 2):
        ws.cell(row=row, column=1).number_format = "yyyy-mm-dd"


def _assignments(view: PlanView, book: Workbook) -> None:
    ws = book.create_sheet("Assignments")
    rows = []
    for s in view.sessions:
        people = [(Role.MODERATOR, p) for p in s.moderators] + [(Role.SPEAKER, p) for p in s.speakers]
        people += [(Role.RAPPORTEUR, p) for p in s.rapporteurs]
        for role, p in people:
            slot = next((i for i in s.items if i.person is p and i.segment == "intervention"), None)
            rank = p.interest_rank(s.id, role)
            rows.append(
                [
                    s.id,
                    s.start.strftime("%d %b %H:%M"),
                    role.value,
                    p.id,
                    p.name,
                    p.category.value,
                    p.country,
                    p.organisation,
                    p.function,
                    p.gender,
                    p.level,
                    slot.start.strftime("%H:%M") if slot else "",
                    rank or "fixed",
                    p.email,
                ]
            )
    header = [
        "session",
        "session start",
        "role",
        "id",
        "name",
        "category",
        "country",
        "organisation",
        "function",
        "gender",
        "level",
        "speaks at",
        "choice",
        "email",
    ]
    write_table(
        ws, header, rows, widths=[10, 14, 11, 8, 26, 13, 16, 32, 28, 7, 15, 9, 7, 30], name="Assignments"
    )


def _coverage(view: PlanView, book: Workbook) -> None:
    ws = book.create_sheet("Coverage")
    sessions = [s for s in view.sessions if s.session.objectives]
    header = ["objective", "label"] + [s.id for s in sessions]
    rows = []
    numbers = sorted(set(view.event.objective_titles) | {o for s in sessions for o in s.session.objectives})
    for number in numbers:
        row: list[Any] = [number, view.event.objective_titles.get(number, "")]
        for s in sessions:
            speakers = view.coverage(s.id, number)
            if number in s.session.objectives:
                row.append("; ".join(p.name for p in speakers) or "NOT COVERED")
            else:
                row.append("; ".join(p.name for p in speakers))
        rows.append(row)
    write_table(ws, header, rows, widths=[10, 30] + [34] * len(sessions), name="Coverage")


def _balance(view: PlanView, book: Workbook) -> None:
    ws = book.create_sheet("Balance")
    rows = []
    for s in view.sessions:
        panel = list(s.moderators) + list(s.speakers)
        for dimension, values in (
            ("category", [p.category.value for p in panel]),
            ("gender", [p.gender or "not stated" for p in panel]),
            ("subregion", [p.subregion or "-" for p in s.speakers]),
            (
                "stakeholder group",
                [p.stakeholder_group for p in s.speakers if p.category is Category.STAKEHOLDER],
            ),
        ):
            for value, count in sorted(Counter(values).items()):
                rows.append([s.id, dimension, value, count])
    write_table(ws, ["session", "dimension", "value", "people"], rows, widths=[10, 18, 36, 8], name="Balance")


def _waiting_list(view: PlanView, book: Workbook) -> None:
    ws = book.create_sheet("Waiting list")
    rows = [
        [
            p.id,
            p.name,
            p.category.value,
            p.organisation,
            "; ".join(f"{i.session}:{i.role}" for i in p.interests),
            reason,
            p.email,
        ]
        for p, reason in view.unassigned
    ]
    header = ["id", "name", "category", "organisation", "interests", "reason", "email"]
    write_table(ws, header, rows, widths=[8, 26, 13, 30, 30, 90, 30], name="Waiting")


def _changes(view: PlanView, book: Workbook) -> None:
    ws = book.create_sheet("Changes")
    rows = [
        [c.kind, c.session, c.participant or "", c.role.value if c.role else "", c.before, c.after, c.reason]
        for c in view.plan.changes
    ]
    header = ["change", "session", "participant", "role", "before", "after", "reason"]
    write_table(ws, header, rows, widths=[10, 10, 12, 11, 30, 30, 60])
    put(ws, len(rows) + 3, 1, f"Version {view.plan.version}" + ("" if rows else ": no changes"))


def _submissions(view: PlanView, book: Workbook) -> None:
    ws = book.create_sheet("Submissions")
    event = view.event
    rows = []
    for p in event.applicants:
        if p.submission_date is None and p.submission_words is None:
            continue
        late = bool(
            event.submission_deadline and p.submission_date and p.submission_date > event.submission_deadline
        )
        long = bool(p.submission_words and p.submission_words > event.submission_word_limit)
        rows.append(
            [
                p.id,
                p.name,
                p.category.value,
                p.country or p.organisation,
                p.submission_date,
                p.submission_words,
                "late" if late else "",
                "over the word limit" if long else "",
                "; ".join(map(str, p.objectives)),
            ]
        )
    header = [
        "id",
        "name",
        "category",
        "delegation or organisation",
        "received",
        "words",
        "deadline",
        "length",
        "objectives addressed",
    ]
    write_table(ws, header, rows, widths=[8, 26, 13, 32, 12, 8, 9, 20, 24], name="Submissions")
    for row in range(2, len(rows) + 2):
        ws.cell(row=row, column=5).number_format = "yyyy-mm-dd"


def _solver(view: PlanView, book: Workbook) -> None:
    ws = book.create_sheet("Solver")
    solver = view.plan.solver
    if solver is None:
        return
    gap = abs(solver.objective - solver.bound) / max(1, abs(solver.objective))
    facts: list[list[Any]] = [
        ["status", solver.status],
        ["objective", solver.objective],
        ["best bound", solver.bound],
        ["gap", f"{gap:.2%}"],
        ["solver time (deterministic s)", solver.seconds],
        ["version", view.plan.version],
    ]
    last = write_table(ws, ["fact", "value"], facts, widths=[30, 16, 12, 12, 70])
    rows = [
        [
            name,
            solver.costs.get(name, 0),
            solver.weights.get(name, 0),
            solver.costs.get(name, 0) * solver.weights.get(name, 0),
            BY_NAME[name].summary,
        ]
        for name in SOFT
    ]
    write_table(
        ws,
        ["soft rule", "units", "weight", "cost", "one unit is"],
        rows,
        first_row=last + 2,
        widths=[30, 16, 12, 12, 70],
    )
    ws.freeze_panes = "A2"
