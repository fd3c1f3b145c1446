"""`agenda.xlsx`: the organisers' workbook.

Sheets: Programme (with each session's co-chairs), Assignments (every role, co-chairs first, with the language
each person speaks in and the group a statement is made for), Coverage (objective x session), Balance, Waiting
list, Changes, Submissions, Solver. Each is a filterable table with a frozen header, wrapped text with fitting row heights, printable on A4
landscape one page wide. Cell values depend only on the event and the plan (no "now").

The workbook is in the event's first language (`PlanView.language`): sheet names, headers, notes, labels and
the words scheduler writes in cells. Codes the organisers write in the input files (session kinds, roles,
categories, genders, levels, stakeholder groups), the names of the soft rules and the texts other modules
produce (waiting-list reasons, change reasons) are shown as they are.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from babel.numbers import format_decimal

from scheduler.domain import Applicant, Category, Role
from scheduler.export.cells import A4, GRID, LABEL_FONT, WRAP, Book, Sheet, Style
from scheduler.i18n import N_, Translator, language_name, localized, objective_label, translator
from scheduler.rulebook import BY_NAME, SOFT
from scheduler.views import PlanView, SessionView

NOT_COVERED = N_("NOT COVERED")
REQUIRED_FILL: Style = {"pattern": 1, "bg_color": "#DDEBF7"}  # the objective belongs to the session
MISSING_FILL: Style = {"pattern": 1, "bg_color": "#F8CBAD"}
NOT_STATED = N_("not stated")
LEFT: Style = {**WRAP, "align": "left"}


CHANGE_KINDS = {
    "added": N_("added"),
    "removed": N_("removed"),
    "moved": N_("moved"),
    "retimed": N_("retimed"),
}


PICTURE_WIDTH = 900  # pixels on screen
ROW_PIXELS, COLUMN_PIXELS = 20, 64  # a default row and column


def write_agenda(view: PlanView, path: Path, pictures: Sequence[Path] = ()) -> None:
    """Write the organisers' workbook to `path`, with the given pictures on a sheet of their own."""
    t = translator(view.language)
    book = Book(path, created=view.plan.generated_at)
    if pictures:
        _pictures(book.sheet(t._("Pictures")), pictures)
    sheets: Sequence[tuple[str, Callable[[PlanView, Sheet, Translator], int]]] = (
        (N_("Programme"), _programme),
        (N_("Assignments"), _assignments),
        (N_("Coverage"), _coverage),
        (N_("Balance"), _balance),
        (N_("Waiting list"), _waiting_list),
        (N_("Changes"), _changes),
        (N_("Submissions"), _submissions),
        (N_("Solver"), _solver),
    )
    title = localized(view.event.title, view.event.title_translations, t.language)
    for name, fill in sheets:
        sheet = book.sheet(t._(name))
        header_row = fill(view, sheet, t)
        sheet.print_setup(header_row, header=title, page=t._("Page {page} of {pages}"))
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


def _times_note(view: PlanView, t: Translator) -> str:
    abbreviations = "/".join(sorted({f"{s.start:%Z}" for s in view.sessions}))
    zone = f"{abbreviations}, {view.event.timezone}" if abbreviations else view.event.timezone
    return t._("Dates and times in the event's time zone ({zone})", zone=zone)


def _header(t: Translator, names: Sequence[str]) -> list[str]:
    return [t._(name) for name in names]


def _names(people: Sequence[Applicant]) -> str:
    return "; ".join(p.name for p in people)


def _programme(view: PlanView, sheet: Sheet, t: Translator) -> int:
    rows: list[list[Any]] = [
        [
            s.start.date(),
            s.start.time(),
            s.end.time(),
            s.id,
            localized(s.session.title, s.session.title_translations, t.language),
            s.session.kind.value,
            ", ".join(map(str, s.session.objectives)),
            _names(s.co_chairs),
            _names(s.moderators),
            len(s.speakers),
            _names(s.speakers),
            _names(s.rapporteurs),
        ]
        for s in view.sessions
    ]
    rows += [
        [b.date, b.start, b.end, "", localized(b.title, b.title_translations, t.language), t._("break")]
        + [""] * 6
        for b in view.event.breaks
    ]
    rows.sort(key=lambda r: (r[0], r[1]))
    header = _header(
        t,
        [
            N_("date"),
            N_("start"),
            N_("end"),
            N_("session"),
            N_("title"),
            N_("kind"),
            N_("objectives"),
            N_("co-chairs"),
            N_("moderators"),
            N_("speakers"),
            N_("speaking order"),
            N_("rapporteurs"),
        ],
    )
    first = _note(sheet, _times_note(view, t))
    widths = [11.5, 7, 7, 9, 40, 12, 14, 22, 22, 9, 50, 22]
    sheet.table(header, rows, widths=widths, first_row=first, name="Programme")
    return first


def _assignments(view: PlanView, sheet: Sheet, t: Translator) -> int:
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
                    language_name(slot.language, t.language) if slot and slot.language else "",
                    p.on_behalf_of if role is Role.SPEAKER else "",
                    p.interest_rank(s.id, role) or t._("fixed"),
                    p.email,
                ]
            )
    header = _header(
        t,
        [
            N_("session"),
            N_("date"),
            N_("role"),
            N_("first item"),
            N_("id"),
            N_("name"),
            N_("category"),
            N_("country"),
            N_("organisation"),
            N_("function"),
            N_("gender"),
            N_("level"),
            N_("language"),
            N_("on behalf of"),
            N_("choice"),
            N_("email"),
        ],
    )
    first = _note(sheet, _times_note(view, t))
    widths = [9, 11.5, 11, 7, 8, 22, 13, 14, 30, 24, 7, 15, 11, 24, 7, 32]
    sheet.table(header, rows, widths=widths, first_row=first, name="Assignments")
    return first


def _coverage(view: PlanView, sheet: Sheet, t: Translator) -> int:
    """One row per objective, one column per session with objectives: the assigned speakers who declared it.
    Shaded cells are the session's own objectives; an own objective nobody declared says NOT COVERED."""
    sessions = [s for s in view.sessions if s.session.objectives]
    numbers = sorted(set(view.event.objective_titles) | {o for s in sessions for o in s.session.objectives})
    not_covered = t._(NOT_COVERED)
    rows: list[list[Any]] = []
    for number in numbers:
        owners = [s.id for s in sessions if number in s.session.objectives]
        row: list[Any] = [number, objective_label(view.event, number, t.language), ", ".join(owners)]
        for s in sessions:
            names = _names(view.coverage(s.id, number))
            row.append(names or (not_covered if s.id in owners else ""))
        rows.append(row)
    header = _header(t, [N_("objective"), N_("label"), N_("session")]) + [s.id for s in sessions]
    sheet.table(header, rows, widths=[10, 26, 9] + [26] * len(sessions), name="Coverage")
    for r, (number, row) in enumerate(zip(numbers, rows, strict=True), start=2):
        for c, s in enumerate(sessions, start=4):
            if number in s.session.objectives:
                value = row[c - 1]
                sheet.put(
                    r, c, value, border=GRID, fill=MISSING_FILL if value == not_covered else REQUIRED_FILL
                )
    return 1


def _balance(view: PlanView, sheet: Sheet, t: Translator) -> int:
    """Per session: the panel (moderators and speakers, without the co-chairs: what gender_balance counts) by
    category and gender; the speakers by subregion; the stakeholder speakers by stakeholder group (what the
    spread rules count). Each count with its share of the people counted."""
    not_stated = t._(NOT_STATED)
    rows: list[list[Any]] = []
    for s in view.sessions:
        panel = list(s.moderators) + list(s.speakers)
        stakeholders = [p for p in s.speakers if p.category is Category.STAKEHOLDER]
        dimensions: list[tuple[str, str, list[str]]] = [
            (N_("category"), N_("moderators and speakers"), [p.category.value for p in panel]),
            (N_("gender"), N_("moderators and speakers"), [p.gender or not_stated for p in panel]),
            (N_("subregion"), N_("speakers"), [p.subregion or not_stated for p in s.speakers]),
            (
                N_("stakeholder group"),
                N_("stakeholder speakers"),
                [p.stakeholder_group or not_stated for p in stakeholders],
            ),
        ]
        for dimension, among, values in dimensions:
            for value, count in sorted(Counter(values).items()):
                rows.append(
                    [s.id, t._(dimension), value, count, t._(among), len(values), count / len(values)]
                )
    header = _header(
        t,
        [
            N_("session"),
            N_("dimension"),
            N_("value"),
            N_("people"),
            N_("counted among"),
            N_("of"),
            N_("share"),
        ],
    )
    sheet.table(header, rows, widths=[9, 17, 30, 8, 24, 6, 8], name="Balance")
    for r, row in enumerate(rows, start=2):
        sheet.put(r, 7, row[6], border=GRID, number_format="0%")
    return 1


def _waiting_list(view: PlanView, sheet: Sheet, t: Translator) -> int:
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
    header = _header(
        t,
        [
            N_("id"),
            N_("name"),
            N_("category"),
            N_("country"),
            N_("organisation"),
            N_("interests (ranked)"),
            N_("reason"),
            N_("email"),
        ],
    )
    sheet.table(header, rows, widths=[8, 22, 13, 14, 28, 24, 70, 26], name="WaitingList")
    return 1


def _changes(view: PlanView, sheet: Sheet, t: Translator) -> int:
    plan, people = view.plan, view.event.applicant_by_id
    count, version, previous = len(plan.changes), plan.version, plan.version - 1
    if version == 1:
        note = t._("Version {version}: the first version", version=version)
    elif count == 0:
        note = t._(
            "Version {version}: no changes versus version {previous}", version=version, previous=previous
        )
    else:
        note = t.n_(
            "Version {version}: {n} change versus version {previous}",
            "Version {version}: {n} changes versus version {previous}",
            count,
            version=version,
            previous=previous,
        )
    first = _note(sheet, note)
    rows = [
        [
            t._(CHANGE_KINDS.get(c.kind, c.kind)),
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
    header = _header(
        t,
        [
            N_("change"),
            N_("session"),
            N_("participant"),
            N_("name"),
            N_("role"),
            N_("before"),
            N_("after"),
            N_("reason"),
        ],
    )
    sheet.table(header, rows, widths=[10, 9, 11, 22, 11, 26, 26, 60], first_row=first, name="Changes")
    return first


def _submissions(view: PlanView, sheet: Sheet, t: Translator) -> int:
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
                t._("yes") if late else "",
                t._("yes") if long else "",
                ", ".join(map(str, p.objectives)),
                roles.get(p.id) or (t._("waiting list") if p.id in waiting else ""),
            ]
        )
    header = [
        t._("id"),
        t._("name"),
        t._("category"),
        t._("delegation or organisation"),
        t._("received"),
        t._("words"),
        t._("after the deadline ({date})", date=deadline.isoformat())
        if deadline
        else t._("after the deadline (none set)"),
        t.n_("over {words} word", "over {words} words", limit, words=_number(limit, t)),
        t._("objectives addressed"),
        t._("in the plan"),
    ]
    widths = [8, 22, 13, 28, 11, 8, 14, 11, 18, 18]
    sheet.table(header, rows, widths=widths, name="Submissions")
    return 1


def _number(n: int, t: Translator) -> str:
    """`5,000`, `5 000`: CLDR groups French digits with a narrow no-break space, which not every spreadsheet
    font has; a no-break space reads the same."""
    return format_decimal(n, locale=t.locale).replace("\u202f", "\u00a0")


def _roles(session: SessionView) -> list[tuple[Role, Applicant]]:
    return (
        [(Role.CO_CHAIR, p) for p in session.co_chairs]
        + [(Role.MODERATOR, p) for p in session.moderators]
        + [(Role.SPEAKER, p) for p in session.speakers]
        + [(Role.RAPPORTEUR, p) for p in session.rapporteurs]
    )


def _solver(view: PlanView, sheet: Sheet, t: Translator) -> int:
    """The solver's facts, then each soft rule's units, weight and cost (the objective is their sum)."""
    plan, solver = view.plan, view.plan.solver
    generated = plan.generated_at
    if generated.tzinfo is not None:
        generated = generated.astimezone(dt.UTC)
    facts: list[tuple[str, Any]] = [(N_("plan version"), plan.version), (N_("generated at (UTC)"), generated)]
    if solver is not None:
        facts += [
            (N_("status"), solver.status),
            (N_("objective (total cost)"), solver.objective),
            (N_("best bound"), solver.bound),
            (N_("gap"), solver.gap),
            (N_("solver time (deterministic s)"), solver.seconds),
        ]
    else:
        facts.append((N_("status"), t._("no solver report in this plan")))
    for row, (label, value) in enumerate(facts, start=1):
        sheet.put(row, 1, t._(label), font=LABEL_FONT)
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
    header = _header(t, [N_("soft rule"), N_("units"), N_("weight"), N_("cost"), N_("one unit is")])
    sheet.table(header, rows, widths=[28, 8, 8, 8, 70], first_row=first, name="SoftRules")
    return first
