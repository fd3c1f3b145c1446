"""`list-of-speakers.xlsx`: the list of speakers of each session, as a secretariat prints and publishes it.

`list-of-speakers.xlsx` is in the event's first language, and `list-of-speakers.<lang>.xlsx` the same list in each
other offered language (scheduler.i18n.offered): the same rows in the same order, the words, dates, language names
and the organisers' titles in that language. One sheet per session, in time order: the session's title, date and time,
co-chairs, moderators and interpreted languages, then everyone who takes the floor, numbered in speaking order
(the running order), each once at their first turn: the co-chairs who open, the statements on behalf of groups,
the national and other statements, the moderator who leads the discussion, the rapporteur. Each row gives the
time of that turn (event time), the delegation or organisation, the name, the function, the kind of statement
and the language the person speaks in. Printed on A4 landscape, one session a page when it fits at a readable
scale, the list's header repeated on every page.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from scheduler.domain import Applicant, Role
from scheduler.export.cells import LABEL_FONT, Book, Sheet, Style, sheet_name
from scheduler.export.run_of_show import ROLES, print_session, session_when, table_row
from scheduler.i18n import N_, Translator, language_name, localized, offered, translator
from scheduler.views import ItemView, PlanView, SessionView

HEADER = (
    "#",
    N_("start"),
    N_("delegation or organisation"),
    N_("name"),
    N_("function"),
    N_("statement"),
    N_("language"),
)
# "#" holds two digits; "start" a time; the statement column "on behalf of" and a group's name, wrapped.
WIDTHS = (4, 7, 30, 26, 34, 30, 12)
LABEL_COLUMNS = 3  # the facts' labels span "#" to "delegation or organisation", their values the rest
TITLE_FONT: Style = {"bold": True, "font_size": 14}
NATIONAL = N_("national statement")
OTHER = N_("other statement")


FILE = "list-of-speakers.xlsx"


def file_names(view: PlanView) -> dict[str, str]:
    """The file of the list in each language, by language: the event's first language first, under the name of
    the contract, then `list-of-speakers.<lang>.xlsx` for every other offered language, in the event's order."""
    others = [code for code in offered(view.event) if code != view.language]
    return {view.language: FILE, **{code: f"list-of-speakers.{code}.xlsx" for code in others}}


def write_lists_of_speakers(view: PlanView, folder: Path) -> None:
    """The list of speakers in every offered language, into `folder` (see `file_names`)."""
    for language, name in file_names(view).items():
        write_list_of_speakers(view, folder / name, language)


def write_list_of_speakers(view: PlanView, path: Path, language: str | None = None) -> None:
    """One sheet per session, in time order, named after the session, in `language` (default: the event's
    first)."""
    t = translator(language or view.language)
    book = Book(path, created=view.plan.generated_at)
    for session in view.sessions:
        _sheet(view, session, book.sheet(sheet_name(session.id, book.names())), t)
    book.close()


def turns(session: SessionView) -> list[tuple[Applicant, ItemView]]:
    """Each person who takes the floor, with their first item in the session's running order, in speaking
    order."""
    first: dict[str, tuple[Applicant, ItemView]] = {}
    for item in session.items:
        if item.person is not None:
            first.setdefault(item.person.id, (item.person, item))
    return list(first.values())


def _sheet(view: PlanView, session: SessionView, sheet: Sheet, t: Translator) -> None:
    event = view.event
    last_column = len(HEADER)
    title = localized(session.session.title, session.session.title_translations, t.language)
    sheet.merge(1, 1, last_column, title, font=TITLE_FONT)
    facts = [(N_("When"), session_when(view, session, t))]
    if session.co_chairs or session.session.co_chairs:
        facts.append((N_("Co-chairs"), _names(session.co_chairs)))
    facts.append((N_("Moderators"), _names(session.moderators)))
    languages = event.session_languages(session.session)
    facts.append((N_("Languages"), ", ".join(language_name(code, t.language) for code in languages)))
    for row, (label, value) in enumerate(facts, start=2):
        sheet.merge(row, 1, LABEL_COLUMNS, t._(label), font=LABEL_FONT)
        sheet.merge(row, LABEL_COLUMNS + 1, last_column, value)
    first = sheet.max_row + 2
    rows = [_row(person, item, number, t) for number, (person, item) in enumerate(turns(session), start=1)]
    sheet.table([t._(h) for h in HEADER], rows, widths=WIDTHS, first_row=first)
    print_session(sheet, first, view, session, t)


def _names(people: tuple[Applicant, ...]) -> str:
    return "; ".join(p.name for p in people) or "-"


def _row(person: Applicant, item: ItemView, number: int, t: Translator) -> list[Any]:
    return table_row(
        [
            number,
            item.start.time(),
            person.country
            if person.is_delegate and person.country
            else person.organisation or person.country,
            person.name,
            person.function,
            statement(person, item.role, t),
            language_name(item.language, t.language) if item.language else "",
        ]
    )


def statement(person: Applicant, role: Role | None, t: Translator) -> str:
    """The kind of statement: on behalf of a group, national (a State's delegate), other (organisations and
    stakeholders); for the people who lead the session, their role (co-chair, moderator, rapporteur)."""
    if role is not Role.SPEAKER:
        return t._(ROLES[role]) if role else ""
    if person.on_behalf_of:
        return t._("on behalf of {group}", group=person.on_behalf_of)
    return t._(NATIONAL if person.is_delegate else OTHER)
