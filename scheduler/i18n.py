"""Languages: which ones an event is written in, each person's, and the words, dates and times in each.

The messages are gettext catalogues, `scheduler/locale/<lang>/LC_MESSAGES/scheduler.po`, read as they are with
Babel when first needed (no compile step, nothing to forget to rebuild); English is the language of the code and
needs none. Dates, weekdays, times and plurals come from CLDR through Babel. Every exporter, and the public page,
takes its words from `translator(language)` and its organisers' texts from `localized`.
"""

from __future__ import annotations

import datetime as dt
import functools
import gettext
import io
from importlib import resources
from typing import Any

from babel import Locale
from babel.dates import format_date, format_skeleton
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from scheduler.domain import Applicant, Event, Translations

SOURCE = "en"  # the language of the messages in the code
DOMAIN = "scheduler"
LOCALE_DIR = resources.files("scheduler").joinpath("locale")
# UN English writes the day before the month and the 24-hour clock, as British English does.
BABEL_LOCALES = {"en": "en_GB"}
# CLDR puts a narrow no-break space in some dates ("2020 г."); older mail and calendar fonts show it as a box,
# and a plain space reads the same.
_SPACES = str.maketrans({"\u202f": " ", "\u00a0": " "})


def N_(message: str) -> str:  # noqa: N802 (gettext's name for "mark for translation, translate later")
    """Mark a message for the catalogues where it is defined; `Translator._` translates it where it is used."""
    return message


@functools.cache
def catalogue_languages() -> tuple[str, ...]:
    """The languages scheduler writes: English and every language with a catalogue."""
    found = {
        entry.name
        for entry in LOCALE_DIR.iterdir()
        if entry.joinpath("LC_MESSAGES", f"{DOMAIN}.po").is_file()
    }
    return tuple(sorted(found | {SOURCE}))


def offered(event: Event) -> tuple[str, ...]:
    """The event's languages that scheduler writes, in the event's order."""
    return tuple(code for code in event.languages if code in catalogue_languages())


def event_language(event: Event) -> str:
    """The event's first language, or English when scheduler writes none of the event's languages."""
    return next(iter(offered(event)), SOURCE)


def person_language(event: Event, person: Applicant) -> str:
    """`correspondence_language`, else the first of the person's languages that is offered, else the event's."""
    if person.correspondence_language in offered(event):
        return person.correspondence_language
    return next((code for code in person.languages if code in offered(event)), event_language(event))


def localized(text: str, translations: Translations, language: str) -> str:
    """An organiser's text in `language` when they translated it, else as written (the event's first language)."""
    for code, translated in translations:
        if code == language:
            return translated
    return text


def objective_label(event: Event, number: int, language: str) -> str:
    """The short label of an objective in `language`, else in the language of objectives.csv; "" if none."""
    return event.objective_translations.get(language, {}).get(number) or event.objective_titles.get(
        number, ""
    )


def language_name(code: str, language: str) -> str:
    """The name of language `code` written in `language` ("russe", "французский"), from CLDR."""
    name = _locale(language).languages.get(code.split("-", maxsplit=1)[0])
    return name or code


def missing_translations(event: Event) -> list[str]:
    """One line per offered language (after the first) saying which organisers' texts fall back to the first."""
    notes = []
    used = sorted({n for s in event.sessions for n in s.objectives} or event.objective_titles)
    for language in offered(event)[1:]:
        missing = []
        if not _has(event.title_translations, language):
            missing.append("the event title")
        titles = [s.id for s in event.sessions if not _has(s.title_translations, language)]
        if titles:
            missing.append("the titles of " + ", ".join(titles))
        texts = [
            s.id for s in event.sessions if s.description and not _has(s.description_translations, language)
        ]
        if texts:
            missing.append("the descriptions of " + ", ".join(texts))
        breaks = sorted({b.title for b in event.breaks if not _has(b.title_translations, language)})
        if breaks:
            missing.append("the breaks " + ", ".join(f'"{b}"' for b in breaks))
        labels = event.objective_translations.get(language, {})
        objectives = [str(n) for n in used if n in event.objective_titles and n not in labels]
        if objectives:
            missing.append("objectives " + ", ".join(objectives))
        if missing:
            notes.append(f"{language}: " + "; ".join(missing))
    return notes


def _has(translations: Translations, language: str) -> bool:
    return any(code == language for code, _ in translations)


class Translator:
    """The messages, dates and times of one language."""

    def __init__(self, language: str) -> None:
        self.language = language
        self.locale = _locale(language)
        self._messages = _messages(language)
        # Dates and times as written, by the wall-clock values they show: ten thousand invitations show a few
        # hundred of them, and Babel takes a while over each.
        self._written: dict[tuple[str, int, int, int], str] = {}

    def _(self, message: str, **values: Any) -> str:
        """`message` translated, with `{name}` fields filled in from `values`."""
        text = self._messages.gettext(message)
        return text.format(**values) if values else text

    def n_(self, singular: str, plural: str, n: int, **values: Any) -> str:
        """The form of the message for the number `n` (one, few, many… as the language has them), `{n}` filled."""
        return self._messages.ngettext(singular, plural, n).format(n=n, **values)

    def minutes(self, n: int) -> str:
        """`15 minutes`, `15 minutes`, `15 минут`."""
        return self.n_("{n} minute", "{n} minutes", n)

    def date(self, when: dt.date) -> str:
        """The full date: `Thursday, 12 November 2020`, `jeudi 12 novembre 2020`, `четверг, 12 ноября 2020 г.`"""
        key = ("date", when.year, when.month, when.day)
        if key not in self._written:
            self._written[key] = format_date(when, "full", locale=self.locale).translate(_SPACES)
        return self._written[key]

    def day(self, when: dt.datetime) -> str:
        """Weekday, day and month, short: `Fri 13 Nov`, `ven. 13 nov.`, `пт, 13 нояб.`"""
        key = ("day", when.year, when.month, when.day)
        if key not in self._written:
            self._written[key] = format_skeleton("MMMEd", when, locale=self.locale).translate(_SPACES)
        return self._written[key]

    def time(self, when: dt.datetime) -> str:
        """The wall-clock time as the language writes it on a 24-hour clock: `15:30`."""
        key = ("time", 0, when.hour, when.minute)
        if key not in self._written:
            self._written[key] = format_skeleton("Hm", when, locale=self.locale).translate(_SPACES)
        return self._written[key]


@functools.cache
def translator(language: str) -> Translator:
    """The `Translator` of a language scheduler writes; English for any other."""
    return Translator(language if language in catalogue_languages() else SOURCE)


@functools.cache
def _locale(language: str) -> Locale:
    return Locale.parse(BABEL_LOCALES.get(language, language))


def _messages(language: str) -> gettext.NullTranslations:
    """The catalogue of a language as gettext reads it, fuzzy entries left out; English needs none."""
    if language == SOURCE:
        return gettext.NullTranslations()
    with LOCALE_DIR.joinpath(language, "LC_MESSAGES", f"{DOMAIN}.po").open("rb") as po:
        catalogue = read_po(po, locale=language, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalogue)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)
