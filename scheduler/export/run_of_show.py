"""`run-of-show.xlsx`: one printable sheet per session for its moderator, in the moderator's language.

Each sheet: the session's facts (date, event time, tech check, co-chairs, moderators, objectives, languages,
speakers' link), then the running order with a status drop-down. Each row gives the language the person speaks
in (the item's `language`, named in the sheet's language) and, in its cue, who is "on deck": the next person
to take the floor, so that the host can alert them while this item runs. Words come from the catalogues, dates and times from CLDR
(`scheduler.i18n`); names, functions, organisations and countries are shown as the applicants wrote them. Printed on A4 landscape: on one page when the whole sheet fits
at a readable scale, otherwise one page wide and as many tall as the rows need, the running order's header
repeated on every page.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from babel.dates import format_date

from scheduler.domain import Applicant, Category
from scheduler.export.cells import LABEL_FONT, Book, Sheet, Style, sheet_name
from scheduler.export.ics import ROLE_NAMES
from scheduler.i18n import N_, Translator, language_name, localized, objective_label, translator
from scheduler.timeline import person_tz
from scheduler.views import ItemView, PlanView, SessionView

HEADER = (
    "#",
    N_("start"),
    N_("end"),
    N_("min"),
    N_("segment"),
    N_("speaker"),
    N_("function and organisation"),
    N_("delegation"),
    N_("role"),
    N_("language"),
    N_("speaker's local time"),
    N_("cue"),
    N_("status"),
)
# The page's width limits the scale: 203 units of width print at MIN_SCALE on A4 landscape, and no more. Every
# row of a speaker takes two lines anyway (function and organisation run to 130 characters: "Ambassador,
# Permanent Observer, Permanent Observer Mission of ... to the United Nations Office at Geneva"), so the narrow
# columns hold their words on two lines ("modérateur·rice", "французский"), and the width goes to the function
# and the cue, which would otherwise take a third line, and to the delegation ("Finland, on behalf of
# Nordic-Baltic Eight"): that is what lets a co-chaired round table of 17 items fit a page.
# The next speaker is a line of the cue rather than a column of their own, for the same reason.
WIDTHS = (3, 6.5, 6.5, 4, 11, 16, 54, 20, 10, 9, 16, 39, 8)
# The facts' labels span "#" to "segment" ("Техническая проверка" on one line), their values the rest.
LABEL_COLUMNS = 5
NEXT = N_("Next: {name}")  # the person on deck, whom the host alerts now
STATUSES = (N_("ready"), N_("on air"), N_("done"), N_("skipped"))
# A sheet is printed on one page when that takes no more shrinking than this (11-point text printed at 7.5
# points); a longer session is printed one page wide, its pages as many as the rows need.
MIN_SCALE = 0.68
TITLE_FONT: Style = {"bold": True, "font_size": 14}
SPEAKER_LINK = N_("Speaker link")
SEGMENTS = {
    "opening": N_("opening"),
    "group_statement": N_("group statement"),
    "intervention": N_("intervention"),
    "discussion": N_("discussion"),
    "report": N_("report"),
    "reply": N_("right of reply"),
    "closing": N_("closing"),
}
ROLES = ROLE_NAMES  # the same words as in the invitations
CATEGORY_LABELS = {
    Category.MEMBER_STATE: N_("Member State"),
    Category.OBSERVER: N_("observer"),
    Category.IGO: N_("IGO"),
    Category.UN_SYSTEM: N_("UN system"),
    Category.STAKEHOLDER: N_("stakeholder"),
}
STAKEHOLDER_GROUPS = {
    "civil_society": N_("civil society"),
    "migrants_diaspora": N_("migrants and diaspora"),
    "private_sector": N_("private sector"),
    "trade_union": N_("trade union"),
    "academia": N_("academia"),
    "local_authority": N_("local authority"),
    "nhri": N_("NHRI"),
    "youth": N_("youth"),
    "faith_based": N_("faith-based organisation"),
}  # "other": the category says more
CUES = {
    "opening": N_("Welcome; housekeeping (interpretation, raise hand, chat); introduce the theme"),
    "discussion": N_("Open the floor; raised hands in order"),
    "report": N_("Invite the rapporteur to summarise"),
    "reply": N_("Give the floor to delegations asking for a right of reply"),
    "closing": N_("Sum up; thank speakers and interpreters"),
}


def write_run_of_show(view: PlanView, path: Path) -> None:
    """One sheet per session, in time order, named after the session, each in its moderator's language."""
    book = Book(path, created=view.plan.generated_at)
    for session in view.sessions:
        _sheet(view, session, book.sheet(sheet_name(session.id, book.names())))
    book.close()


def _facts(view: PlanView, session: SessionView, t: Translator) -> list[tuple[str, str]]:
    """The facts above the running order: (label as in the code, value in the sheet's language)."""
    event, language = view.event, t.language
    tech = (session.start - dt.timedelta(minutes=event.tech_check_minutes)).astimezone(event.tz)
    objectives = "; ".join(
        f"{n} {objective_label(event, n, language)}".strip() for n in session.session.objectives
    )
    rows = [
        (N_("When"), session_when(view, session, t)),  # date and time on one line: a row saved is what lets a round table fit a page
        (
            N_("Tech check"),
            t.n_(
                "{time} {abbreviation}: speakers and moderators join {n} minute early",
                "{time} {abbreviation}: speakers and moderators join {n} minutes early",
                event.tech_check_minutes,
                time=t.time(tech),
                abbreviation=tech.strftime("%Z"),
            ),
        ),
    ]
    if session.co_chairs or session.session.co_chairs:
        rows.append((N_("Co-chairs"), "; ".join(_who(p) for p in session.co_chairs) or "-"))
    rows.append((N_("Moderators"), "; ".join(_who(p) for p in session.moderators) or "-"))
    if session.rapporteurs or session.session.rapporteurs:
        rows.append((N_("Rapporteurs"), "; ".join(_who(p) for p in session.rapporteurs) or "-"))
    rows += [
        (N_("Objectives"), objectives or "-"),
        (
            N_("Languages"),
            ", ".join(language_name(code, language) for code in event.session_languages(session.session)),
        ),
        (SPEAKER_LINK, session.session.speaker_link or event.speaker_link or "-"),
    ]
    return rows


def _sheet(view: PlanView, session: SessionView, sheet: Sheet) -> None:
    t = translator(session.language)
    last_column = len(HEADER)
    title = localized(session.session.title, session.session.title_translations, t.language)
    sheet.merge(1, 1, last_column, title, font=TITLE_FONT)
    for row, (label, value) in enumerate(_facts(view, session, t), start=2):
        sheet.merge(row, 1, LABEL_COLUMNS, t._(label), font=LABEL_FONT)
        link = value if label == SPEAKER_LINK and value.startswith(("https://", "http://")) else None
        sheet.merge(row, LABEL_COLUMNS + 1, last_column, value, link=link)
    first = sheet.max_row + 1  # no blank row above the running order: one more row of it on the page
    on_deck = _on_deck(session)
    # A segment's cue is said once, at its first item: the second co-chair's opening needs no second welcome.
    starts = [i == 0 or item.segment != session.items[i - 1].segment for i, item in enumerate(session.items)]
    rows = [
        _row(view, item, following, first, t)
        for item, following, first in zip(session.items, on_deck, starts, strict=True)
    ]
    last = sheet.table([t._(h) for h in HEADER], rows, widths=WIDTHS, first_row=first)
    status_column = HEADER.index("status")
    ready, on_air, done, skipped = (t._(s) for s in STATUSES)
    sheet.ws.data_validation(
        first,  # the first row below the header, counted from 0
        status_column,
        max(last, first + 1) - 1,
        status_column,
        {
            "validate": "list",
            "source": [ready, on_air, done, skipped],
            "ignore_blank": True,
            "error_title": t._("Status"),
            "error_message": t._(
                "Choose {ready}, {on_air}, {done} or {skipped}.",
                ready=ready,
                on_air=on_air,
                done=done,
                skipped=skipped,
            ),
        },
    )
    print_session(sheet, first, view, session, t)


def _who(person: Applicant) -> str:
    details = ", ".join(x for x in (person.function, person.organisation) if x)
    return f"{person.name} ({details})" if details else person.name


def _on_deck(session: SessionView) -> list[Applicant | None]:
    """For each item, the next person to take the floor after it: the person of the next item that has one (the
    rights of reply have none: who asks is known only on the day); None when that is the item's own person, who
    is on already, or when nobody follows."""
    following: list[Applicant | None] = []
    after: Applicant | None = None
    for item in reversed(session.items):
        following.append(None if after == item.person else after)
        after = item.person or after
    return following[::-1]


def print_session(sheet: Sheet, title_row: int, view: PlanView, session: SessionView, t: Translator) -> None:
    """A session's sheet printed as a secretariat hands it out: on one A4 page when it fits at MIN_SCALE or larger
    (else one page wide), the table's title row on every page, the event's title at the top left and the session
    and its date at the right, in the sheet's language."""
    event = view.event
    sheet.print_setup(
        title_row,
        header=localized(event.title, event.title_translations, t.language),
        right=f"{session.id}, {format_date(session.start, 'medium', locale=t.locale)}",
        pages_tall=1 if sheet.one_page_scale() >= MIN_SCALE else 0,
        page=t._("Page {page} of {pages}"),
    )


def session_when(view: PlanView, session: SessionView, t: Translator) -> str:
    """The session's date, time in the event's zone and length, on one line, in the sheet's language."""
    return t._(
        "{date}, {start}-{end} {abbreviation} ({zone}), {duration}",
        date=t.date(session.start),
        start=t.time(session.start),
        end=t.time(session.end),
        abbreviation=session.start.strftime("%Z"),
        zone=view.event.timezone,
        duration=t.minutes(session.session.minutes),
    )


def table_row(values: list[Any]) -> list[Any]:
    """A row for `Sheet.table`, its empty texts as None: the same blank cell, which the table writes on its
    quick path instead of looking up the cell's format again (a quarter of the cells of a big event's lists)."""
    return [None if value == "" else value for value in values]


def _row(view: PlanView, item: ItemView, on_deck: Applicant | None, first: bool, t: Translator) -> list[Any]:
    person = item.person
    return table_row([
        item.number,
        item.start.time(),
        item.end.time(),
        item.minutes,
        t._(SEGMENTS.get(item.segment, item.segment)),
        person.name if person else "",
        ", ".join(x for x in (person.function, person.organisation) if x) if person else "",
        delegation(person, t) if person else "",
        t._(ROLES[item.role]) if item.role else "",
        language_name(item.language, t.language) if item.language else "",
        _local_time(view, item, t),
        _cue(view, item, on_deck, first, t),
        "",
    ])


def _delegation(person: Applicant, t: Translator) -> str:
    """Whom the person speaks for: a State's name for its delegates; otherwise the stakeholder group or the
    category, with the country a stakeholder or organisation gave in brackets, so that it does not read as a
    State's delegation. The column is narrow: "civil society (Serbia)" rather than "stakeholder: civil society"."""
    if person.country and person.is_delegate:
        return person.country
    group = STAKEHOLDER_GROUPS.get(person.stakeholder_group) if person.category is Category.STAKEHOLDER else None
    label = t._(group or CATEGORY_LABELS[person.category])
    return f"{label} ({person.country})" if person.country else label


def delegation(person: Applicant, t: Translator) -> str:
    """Whom the person speaks for, and the group when they speak on its behalf: "Utopia, on behalf of the
    Group of Friends of Migration"."""
    speaks_for = _delegation(person, t)
    if person.on_behalf_of:
        return t._("{delegation}, on behalf of {group}", delegation=speaks_for, group=person.on_behalf_of)
    return speaks_for


def _local_time(view: PlanView, item: ItemView, t: Translator) -> str:
    """The item in the person's own time zone, with their date when it differs from the event's."""
    if item.person is None:
        return ""
    tz = person_tz(view.event, item.person)
    start, end = item.start.astimezone(tz), item.end.astimezone(tz)
    day = f" ({t.day(start)})" if start.date() != item.start.date() else ""
    return f"{t.time(start)}-{t.time(end)} {start:%Z}{day}"


def _cue(view: PlanView, item: ItemView, on_deck: Applicant | None, first: bool, t: Translator) -> str:
    """What the moderator or host does during the item (said at the first item of its segment), and then who is
    on deck."""
    cue = CUES.get(item.segment) if first else None
    lines = [t._(cue)] if cue else []
    if item.segment in ("intervention", "group_statement") and item.minutes > 1:
        warning = (item.end - dt.timedelta(minutes=1)).astimezone(view.event.tz)
        lines.append(t._("1-minute warning at {time}", time=t.time(warning)))
    if on_deck is not None:
        lines.append(t._(NEXT, name=on_deck.name))
    return "\n".join(lines)
