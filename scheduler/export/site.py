"""The public programme page, `site/<lang>/index.html` per offered language and `site/index.html` in the first.

One Jinja2 template (scheduler/templates/site/index.html.j2, autoescaped) formats the same view as the other
outputs. Each page is self-contained: inline CSS and a small inline script, no external request. Without scripts it
shows every session in the event's time zone; the script adds the times in the viewer's (or a picked) zone.
Speakers' names appear only when the event sets `publish_speakers`; e-mails and the speakers' link never do.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined

from scheduler.i18n import (
    BABEL_LOCALES,
    N_,
    SOURCE,
    Translator,
    language_name,
    localized,
    objective_label,
    offered,
    translator,
)
from scheduler.views import PlanView, SessionView

# Zones offered in the picker besides the event's, its participants' and the viewer's own; browsers that know
# every zone (Intl.supportedValuesOf) add the rest.
COMMON_ZONES = (
    "UTC",
    "America/New_York",
    "America/Los_Angeles",
    "America/Sao_Paulo",
    "Europe/London",
    "Europe/Paris",
    "Europe/Moscow",
    "Africa/Nairobi",
    "Asia/Dubai",
    "Asia/Almaty",
    "Asia/Kolkata",
    "Asia/Shanghai",
    "Asia/Tokyo",
    "Australia/Sydney",
    "Pacific/Auckland",
)

# The words of the page, translated in the catalogues like every other message.
WORDS = {
    "programme": N_("Programme"),
    "skip": N_("Skip to the programme"),
    "languages": N_("Languages"),
    "event_time": N_("Times are in the event's time zone, {zone}."),
    "picker": N_("Also show the times in the time zone"),
    "picker_hint": N_("Your device's time zone is chosen first."),
    "calendar": N_("Add the whole programme to your calendar (.ics)"),
    "session_calendar": N_("Add to calendar (.ics)"),
    "webcast": N_("Watch the webcast"),
    "objectives": N_("Objectives"),
    "local": N_("Local time: {times}"),
    "other_date": N_("In that time zone this is on {date}."),
    "organiser": N_("Organised by {name}."),
}


@dataclass(frozen=True)
class Item:
    """A session or a break on the page, in the page's language."""

    title: str
    start: dt.datetime
    end: dt.datetime
    session: SessionView | None = None
    description: str = ""
    objectives: tuple[str, ...] = ()
    people: tuple[str, ...] = ()  # "Moderator: A" lines, only when the event publishes speakers


def write_site(view: PlanView, folder: Path) -> None:
    """Write `folder/<lang>/index.html` for every offered language and `folder/index.html` in the first."""
    languages = offered(view.event) or (SOURCE,)
    for language in languages:
        (folder / language).mkdir(parents=True, exist_ok=True)
        (folder / language / "index.html").write_bytes(page(view, language, languages, depth=2))
    (folder / "index.html").write_bytes(page(view, languages[0], languages, depth=1))


def page(view: PlanView, language: str, languages: tuple[str, ...], depth: int) -> bytes:
    """The page in `language`, for a file `depth` folders below OUT (1: site/, 2: site/<lang>/)."""
    event, t = view.event, translator(language)
    up = "../" * depth
    here = "" if depth == 1 else "../"  # from site/<lang>/ back to site/
    days: dict[dt.date, list[Item]] = {}
    for item in _items(view, t):
        days.setdefault(item.start.date(), []).append(item)
    zones = sorted(
        {event.timezone, *COMMON_ZONES} | {p.timezone for p in event.applicants if p.timezone and not p.withdrawn}
    )
    html = _environment().get_template("index.html.j2").render(
        language=language,
        intl_locale=BABEL_LOCALES.get(language, language).replace("_", "-"),  # the script's dates as Babel's
        title=localized(event.title, event.title_translations, language),
        event=event,
        days=[(t.date(day), items) for day, items in sorted(days.items())],
        zone_label=lambda when: _zone_label(when, event.timezone),
        words={key: t._(message) for key, message in WORDS.items()},
        zone_note=t._(WORDS["event_time"], zone=event.timezone),
        organiser=t._(WORDS["organiser"], name=event.organiser_name),
        others=[(code, language_name(code, code), f"{here}{code}/index.html") for code in languages],
        calendar=f"{up}calendar/",
        zones=zones,
    )
    return html.encode("utf-8")


def _items(view: PlanView, t: Translator) -> list[Item]:
    event, language = view.event, t.language
    items = [
        Item(
            localized(b.title, b.title_translations, language),
            event.localize(b.date, b.start),
            event.localize(b.date, b.end),
        )
        for b in event.breaks
        if any(s.start.date() == b.date for s in view.sessions)
    ]
    for s in view.sessions:
        objectives = tuple(
            " ".join(part for part in (f"{n}.", objective_label(event, n, language)) if part)
            for n in s.session.objectives
        )
        items.append(
            Item(
                localized(s.session.title, s.session.title_translations, language),
                s.start,
                s.end,
                s,
                localized(s.session.description, s.session.description_translations, language),
                objectives,
                _people(s, t) if event.publish_speakers else (),
            )
        )
    return sorted(items, key=lambda i: (i.start, i.session is not None))


def _people(s: SessionView, t: Translator) -> tuple[str, ...]:
    """Who holds a role, by role, names only."""
    lines = []
    if s.moderators:
        names = ", ".join(p.name for p in s.moderators)
        lines.append(t.n_("Moderator: {names}", "Moderators: {names}", len(s.moderators), names=names))
    if s.speakers:
        names = ", ".join(p.name for p in s.speakers)
        lines.append(t.n_("Speaker: {names}", "Speakers: {names}", len(s.speakers), names=names))
    if s.rapporteurs:
        names = ", ".join(p.name for p in s.rapporteurs)
        lines.append(t.n_("Rapporteur: {names}", "Rapporteurs: {names}", len(s.rapporteurs), names=names))
    return tuple(lines)


def _zone_label(when: dt.datetime, zone: str) -> str:
    """`CET (Europe/Zurich)`: the zone's abbreviation at that time, and its name."""
    abbreviation = when.strftime("%Z")
    return f"{abbreviation} ({zone})" if abbreviation and abbreviation != zone else zone


@functools.cache
def _environment() -> Environment:
    """One environment for every page: it parses the template once."""
    return Environment(
        loader=PackageLoader("scheduler", "templates/site"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
