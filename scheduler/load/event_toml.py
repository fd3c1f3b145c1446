"""`event.toml`: the organisers' definition of the event, checked key by key with line numbers."""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytz

from scheduler.domain import LEVELS, Break, Category, Day, Rules, Segments, Session, SessionKind, Translations
from scheduler.load.encoding import decode
from scheduler.load.limits import EVENT_TOML, FileRefused, read_limited
from scheduler.load.objectives import KnownObjectives
from scheduler.load.problems import BadValue, Problem, control_character, did_you_mean, shown
from scheduler.load.timeparse import parse_date, parse_datetime, parse_time

SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
SLUG_RULE = 'use letters, digits, "-", "_" or "." (at most 64 characters, no spaces or "/")'
# A pragmatic address check: one "@", no spaces or separators, a domain of dot-separated labels.
# An ISO 639 code, with an optional region or script: en, fr, ru, zh-Hans, pt-BR.
LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")
DOMAIN = re.compile(
    r"^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$"
)
EMAIL = re.compile(r"^[^@\s<>\"(),;:\[\]]+@[^\W_](?:[\w-]*[^\W_])?(?:\.[^\W_](?:[\w-]*[^\W_])?)+$")

EVENT_KEYS = {
    "id",
    "title",
    "timezone",
    "organiser",
    "uid_domain",
    "languages",
    "public_link",
    "speaker_link",
    "tech_check_minutes",
    "submission_deadline",
    "submission_word_limit",
    "description",
    "publish_speakers",
    "inscription_closes",
}
TOP_KEYS = {"event", "days", "breaks", "sessions", "rules"}
DAY_KEYS = {"date", "start", "end"}
BREAK_KEYS = {"date", "start", "end", "title"}
SESSION_KEYS = {
    "id",
    "title",
    "kind",
    "date",
    "start",
    "minutes",
    "after",
    "objectives",
    "moderators",
    "speakers",
    "rapporteurs",
    "eligible",
    "min_stakeholder_speakers",
    "min_level",
    "segments",
    "description",
    "co_chairs",
    "co_chairs_differ_in",
    "languages",
    "speaker_link",
}
# An organiser's translation of a text key, beside it: title_fr = "...", description_ru = "...".
TRANSLATED = re.compile(r"^(title|description)_([a-z]{2,3}(?:-[A-Za-z0-9]{2,8})?)$")
SEGMENT_KEYS = {"opening", "intervention", "discussion", "closing", "report", "group_statement", "reply"}
# The applicants columns whose values the co-chairs of a session may be asked to differ in.
DIFFER_COLUMNS = ("category", "country", "subregion", "stakeholder_group", "gender", "level", "organisation")
SPEAKING_ORDERS = ("inscription", "lots")
RULE_KEYS = {f.name for f in fields(Rules)}
UNCHECKED = "the sessions named in the applicants are checked once this is fixed"
# `scheduler init` writes each value the organisers must choose as "TODO: example": left so, it would be published.
PLACEHOLDER = re.compile(r"^\s*TODO\b")
# Upper bounds of the whole numbers: far above any real meeting, low enough that every sum the planner forms of them
# stays exact.
DAY_MINUTES = 24 * 60
MAX_COUNT = 1000
MAX_WEIGHT = 10**6
MAX_WORDS = 10**6
COUNT_HINT = f"counts of people and roles are at most {MAX_COUNT}"
# Brackets and braces nested deeper than this are refused before parsing: event.toml needs two levels, and the
# TOML parser recurses once per level.
MAX_NESTING = 20


@dataclass
class EventSpec:
    """What event.toml says, before the applicants are read."""

    id: str = ""
    title: str = ""
    timezone: str = ""  # empty when missing or invalid: nothing that depends on it is checked
    organiser_name: str = ""
    organiser_email: str = ""
    uid_domain: str = ""
    languages: tuple[str, ...] = ("en",)
    title_translations: Translations = ()
    public_link: str = ""
    speaker_link: str = ""
    publish_speakers: bool = False
    tech_check_minutes: int = 30
    submission_deadline: dt.date | None = None
    submission_word_limit: int = 5000
    inscription_closes: dt.datetime | None = None
    days: list[Day] = field(default_factory=list)
    breaks: list[Break] = field(default_factory=list)
    sessions: list[Session] = field(default_factory=list)
    rules: Rules = field(default_factory=Rules)
    # Every session id written in the file, including those of sessions with problems: naming one is no error.
    # None when the sessions could not be read at all (no file, not TOML, no [[sessions]]): any name is accepted.
    declared: set[str] | None = None


def key_lines(text: str) -> dict[str, int]:
    """The line of each key, as dotted paths like `event.timezone` or `sessions.2.start` (tables count from 1).

    tomllib reports no positions, so the lines are found by reading the text the simple way TOML files are
    written by hand: table headers and `key = value` lines.
    """
    lines: dict[str, int] = {}
    counts: dict[str, int] = {}
    prefix = ""
    # Lines end at "\n" only, as TOML counts them: splitlines() would also break at U+0085 or U+2028 in a string.
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip()
        header = re.match(r"^(\[\[?)\s*([^\]]+?)\s*\]", line)
        if header and header[1] == "[[":
            name = header[2]
            counts[name] = counts.get(name, 0) + 1
            prefix = f"{name}.{counts[name]}"
            lines.setdefault(prefix, number)
            lines.setdefault(name, number)
        elif header:
            prefix = header[2]
            lines.setdefault(prefix, number)
        elif "=" in line and not line.startswith("#"):
            key = line.split("=", 1)[0].strip().strip('"')
            lines.setdefault(f"{prefix}.{key}" if prefix else key, number)
    return lines


class _Reader:
    """Collects problems while reading the parsed TOML, naming each key and its line."""

    def __init__(self, file: str, text: str) -> None:
        self.file = file
        self.lines = key_lines(text)
        self.problems: list[Problem] = []
        self.misspelt: set[str] = set()  # paths of keys whose typo was reported: not reported missing too

    def problem(self, path: str, message: str, hint: str = "") -> None:
        line = self.lines.get(path)
        parent = path
        while line is None and "." in parent:
            parent = parent.rsplit(".", 1)[0]
            line = self.lines.get(parent)
        self.problems.append(Problem(self.file, message, hint, key=_display(path), line=line))

    def unknown_keys(self, table: dict[str, Any], allowed: set[str], path: str) -> None:
        for key in table:
            if key not in allowed:
                where = f"{path}.{key}" if path else key
                hint = did_you_mean(key, allowed)
                self.problem(where, f'unknown key "{shown(key)}"', hint)
                if hint.startswith("did you mean"):
                    meant = hint.split('"')[1]
                    self.misspelt.add(f"{path}.{meant}" if path else meant)

    def get(
        self,
        table: dict[str, Any],
        key: str,
        path: str,
        convert: Callable[[Any], Any],
        default: Any = None,
        *,
        required: bool = False,
    ) -> Any:
        where = f"{path}.{key}"
        if key not in table:
            if required and where not in self.misspelt:
                self.problem(path, f'missing key "{key}"', f"add `{key} = ...` to [{_display(path)}]")
            return default
        if not self.usable_text(where, table[key]):
            return default
        try:
            return convert(table[key])
        except (ValueError, TypeError) as error:
            self.problem(where, str(error), getattr(error, "hint", ""))
            return default

    def usable_text(self, path: str, value: Any) -> bool:
        """Report each text in `value` that holds a control character or is a template placeholder; True if none.

        Every key that is read passes here, so no text of the organisers reaches a calendar or a mail unchecked.
        """
        usable = True
        if isinstance(value, dict):
            for key, item in value.items():
                usable = self.usable_text(f"{path}.{key}", item) and usable
        elif isinstance(value, list):
            for item in value:
                usable = self.usable_text(path, item) and usable
        elif isinstance(value, str) and control_character(value):
            self.problem(
                path,
                f'"{shown(value)}" holds a control character ({control_character(value)})',
                "delete it, or type the text again: control characters corrupt calendar files and mail",
            )
            usable = False
        elif isinstance(value, str) and PLACEHOLDER.match(value):
            self.problem(
                path,
                f'"{shown(value)}" is still the example value of the template',
                "replace the example value",
            )
            usable = False
        return usable


def _translation_keys(table: dict[str, Any], bases: set[str]) -> set[str]:
    """The keys of `table` that translate one of its text keys `bases` (`title_fr`), allowed beside them."""
    return {key for key in table if (match := TRANSLATED.match(key)) and match[1] in bases}


def _translations(
    reader: _Reader, table: dict[str, Any], path: str, spec: EventSpec
) -> dict[str, Translations]:
    """The translations of the text keys of a table, by key (`title`, `description`), sorted by language; a
    problem for a language that is not one of the event's."""
    found: dict[str, list[tuple[str, str]]] = {"title": [], "description": []}
    for key in sorted(table):
        match = TRANSLATED.match(key)
        if not match or match[1] not in found:
            continue
        base, language = match[1], match[2]
        if language not in spec.languages:
            reader.problem(
                f"{path}.{key}",
                f'"{language}" is not one of the event\'s languages ({", ".join(spec.languages)})',
                f"add it to languages in [event], or delete {key}",
            )
            continue
        text = reader.get(table, key, path, _text)
        if text is not None:
            found[base].append((language, text))
    return {base: tuple(items) for base, items in found.items()}


def _display(path: str) -> str:
    """`sessions.2.start` -> `sessions[2].start`, as people count tables in the file."""
    return re.sub(r"\.(\d+)(?=\.|$)", r"[\1]", path)


def _found(value: Any) -> str:
    """A TOML value as it may be echoed, written the TOML way and shortened."""
    return shown(_as_toml(value))


def _as_toml(value: Any) -> str:
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, list):
        return "[" + ", ".join(_as_toml(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_as_toml(v)}" for k, v in value.items()) + " }"
    return str(value)


def _text(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise BadValue(f"expected text in quotes, found {_found(value)}")
    return value.strip()


def _flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise BadValue("must be true or false", "write true or false, without quotes")
    return value


def _int(minimum: int, maximum: int, hint: str) -> Callable[[Any], int]:
    """A whole number from `minimum` to `maximum`; `hint` says what the upper bound stands for."""

    def convert(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            quoted = "write the number without quotes" if isinstance(value, str) else ""
            raise BadValue(f"expected a whole number, found {_found(value)}", quoted)
        if value < minimum:
            raise BadValue(f"expected a number of at least {minimum}, found {_found(value)}")
        if value > maximum:
            raise BadValue(f"expected a number of at most {maximum}, found {_found(value)}", hint)
        return value

    return convert


def _minutes(minimum: int) -> Callable[[Any], int]:
    return _int(minimum, DAY_MINUTES, "a day has 24 x 60 = 1440 minutes")


def _count(minimum: int) -> Callable[[Any], int]:
    return _int(minimum, MAX_COUNT, COUNT_HINT)


_words = _int(1, MAX_WORDS, "a word limit is at most a million")


def _slug(value: Any) -> str:
    text = _text(value)
    if not SLUG.match(text):
        raise BadValue(f'"{shown(text)}" is not a valid id', SLUG_RULE)
    return text


def _domain(value: Any) -> str:
    text = _text(value)
    if not DOMAIN.match(text):
        raise BadValue(
            f'"{shown(text)}" is not a domain name',
            "write one of yours like review.example.org: calendar ids end with it",
        )
    return text


def _link(value: Any) -> str:
    """A web link: what calendar programs and mail make clickable, and nothing a browser would run."""
    text = _text(value)
    parts = urlsplit(text)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or any(c.isspace() for c in text):
        raise BadValue(f'"{shown(text)}" is not a web link', "write it like https://meet.example.org/j/123")
    return text


def _languages(value: Any) -> tuple[str, ...]:
    codes = _strings(value)
    for code in codes:
        if not LANGUAGE.match(code.lower()):
            raise BadValue(f'"{shown(code)}" is not a language code', 'write codes like ["en", "fr", "ru"]')
    return tuple(code.lower() for code in codes)


def _local_datetime(zone: str) -> Callable[[Any], dt.datetime]:
    """A date and time in the event's zone, as TOML writes it (2020-11-05T18:00:00) or as text; one with an offset
    is turned into the event's zone."""

    def convert(value: Any) -> dt.datetime:
        if isinstance(value, dt.datetime) and value.tzinfo is not None and zone:
            return value.astimezone(pytz.timezone(zone)).replace(tzinfo=None)
        if isinstance(value, dt.date | str):
            try:
                return parse_datetime(value)
            except ValueError:
                pass
        raise BadValue(
            f"expected a date and time, found {_found(value)}",
            "write it like 2020-11-05T18:00:00 (in the event's time zone)",
        )

    return convert


def _email(value: Any) -> str:
    text = _text(value)
    if not EMAIL.match(text):
        raise BadValue(f'"{shown(text)}" is not an e-mail address', "write it like name@example.org")
    return text


# Cities people write as a time zone that the time zone database files under another city's name.
CITY_ZONES = {
    "geneva": "Europe/Zurich",
    "bern": "Europe/Zurich",
    "the_hague": "Europe/Amsterdam",
    "strasbourg": "Europe/Paris",
    "frankfurt": "Europe/Berlin",
    "milan": "Europe/Rome",
    "ankara": "Europe/Istanbul",
    "astana": "Asia/Almaty",
    "washington": "America/New_York",
    "ottawa": "America/Toronto",
}
ZONES_BY_LOWER_CASE = {zone.lower(): zone for zone in pytz.all_timezones}


def timezone_name(value: Any) -> str:
    """An IANA time zone name such as Europe/Zurich, in any letter case; BadValue with a hint otherwise."""
    text = str(value).strip()
    zone = ZONES_BY_LOWER_CASE.get(text.lower())
    if zone is not None:
        return zone
    city = text.rsplit("/", 1)[-1].strip().lower().replace(" ", "_")
    hint = (
        f'{city.replace("_", " ").title()} is in "{CITY_ZONES[city]}"'
        if city in CITY_ZONES
        else did_you_mean(text, pytz.all_timezones)
    )
    raise BadValue(f'unknown time zone "{shown(text)}"', hint)


def _strings(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise BadValue(f'expected a list of texts like ["a", "b"], found {_found(value)}')
    return tuple(v.strip() for v in value)


def _objective_numbers(value: Any) -> tuple[int, ...]:
    if not isinstance(value, list) or not all(isinstance(v, int) and not isinstance(v, bool) for v in value):
        raise BadValue(
            f"expected a list of objective numbers, found {_found(value)}", "write it like [2, 5, 6]"
        )
    return tuple(value)


def read_event_toml(path: Path, objectives: KnownObjectives) -> tuple[EventSpec, list[Problem]]:
    """Read and check event.toml; every problem is collected, none raised."""
    file = path.name
    unread = EventSpec()
    try:
        text, complaint, line = decode(read_limited(path, EVENT_TOML))
    except FileNotFoundError:
        return unread, [Problem(file, "file not found", f"create it: see docs/input.md; {UNCHECKED}")]
    except FileRefused as refused:
        return unread, [Problem(file, refused.message, refused.hint)]
    except OSError as error:
        return unread, [Problem(file, f"cannot be read ({shown(error.strerror)})", UNCHECKED)]
    # A legacy encoding is reported, and the file is still read so that its other problems are found too.
    encoding = [Problem(file, complaint, "save the file as UTF-8", line=line)] if complaint else []
    data = _parse(file, text)
    if isinstance(data, Problem):
        return unread, [*encoding, data]
    reader = _Reader(file, text)
    spec = EventSpec()
    reader.unknown_keys(data, TOP_KEYS, "")
    _read_event(reader, data.get("event"), spec)
    unusable_dates = _read_days(reader, data, spec)
    _read_rules(reader, data.get("rules", {}), spec)
    _read_sessions(reader, data, spec, objectives, unusable_dates)
    return spec, encoding + sorted(reader.problems, key=lambda p: p.line or 0)


def _parse(file: str, text: str) -> dict[str, Any] | Problem:
    """The TOML document, or the problem that it is not valid TOML."""
    syntax = f"check quotes, brackets and `key = value` syntax; {UNCHECKED}"
    deep = _nesting_line(text)
    if deep is not None:
        return Problem(
            file,
            f"not valid TOML: brackets or braces nested more than {MAX_NESTING} deep",
            f"event.toml needs two levels at most, as in [[sessions]] or speakers = [4, 8]; {UNCHECKED}",
            line=deep,
        )
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        return Problem(
            file, f"not valid TOML: {shown(error, 120)}", syntax, line=_toml_error_line(str(error))
        )
    except ValueError:  # Python refuses to convert integers of more than 4,300 digits
        long = re.search(r"[0-9_]{4000,}", text)
        return Problem(
            file,
            "not valid TOML: a number with thousands of digits",
            f"numbers in event.toml are small: see docs/input.md; {UNCHECKED}",
            line=text.count("\n", 0, long.start()) + 1 if long else None,
        )
    except RecursionError:  # not expected after the check of the nesting: said plainly all the same
        return Problem(file, "not valid TOML: nested too deeply", syntax)


# A TOML string or comment (where brackets mean nothing), or a bracket or brace.
_BRACKETS = re.compile(
    r'"""(?:[^\\]|\\.)*?"""'  # a multi-line basic string
    r"|'''.*?'''"  # a multi-line literal string
    r'|"(?:[^"\\\n]|\\.)*"'  # a basic string
    r"|'[^'\n]*'"  # a literal string
    r"|#[^\n]*"  # a comment
    r"|[\[\]{}]",
    re.DOTALL,
)


def _nesting_line(text: str) -> int | None:
    """The line on which brackets and braces, outside strings and comments, first nest deeper than MAX_NESTING."""
    depth = 0
    for token in _BRACKETS.finditer(text):
        bracket = token[0]
        if bracket in ("[", "{"):
            depth += 1
            if depth > MAX_NESTING:
                return text.count("\n", 0, token.start()) + 1
        elif bracket in ("]", "}"):
            depth = max(0, depth - 1)
    return None


def _toml_error_line(message: str) -> int | None:
    match = re.search(r"line (\d+)", message)
    return int(match[1]) if match else None


def _read_event(reader: _Reader, table: Any, spec: EventSpec) -> None:
    if not isinstance(table, dict):
        reader.problem(
            "event", "missing table [event]", "start the file with [event] and its id, title, timezone"
        )
        return
    reader.unknown_keys(table, EVENT_KEYS | _translation_keys(table, {"title"}), "event")
    spec.id = reader.get(table, "id", "event", _slug, "", required=True)
    spec.title = reader.get(table, "title", "event", _text, "", required=True)
    spec.timezone = reader.get(table, "timezone", "event", timezone_name, "", required=True)
    spec.uid_domain = reader.get(table, "uid_domain", "event", _domain, "", required=True)
    spec.languages = reader.get(table, "languages", "event", _languages, ("en",))
    spec.title_translations = _translations(reader, table, "event", spec)["title"]
    reader.get(table, "description", "event", _text, "")  # not used: read only to check it
    spec.public_link = reader.get(table, "public_link", "event", _link, "")
    spec.speaker_link = reader.get(table, "speaker_link", "event", _link, "")
    spec.publish_speakers = reader.get(table, "publish_speakers", "event", _flag, False)
    spec.tech_check_minutes = reader.get(table, "tech_check_minutes", "event", _minutes(0), 30)
    spec.submission_deadline = reader.get(table, "submission_deadline", "event", parse_date, None)
    spec.submission_word_limit = reader.get(table, "submission_word_limit", "event", _words, 5000)
    spec.inscription_closes = reader.get(table, "inscription_closes", "event", _local_datetime(spec.timezone))
    organiser = table.get("organiser")
    if not isinstance(organiser, dict):
        reader.problem(
            "event.organiser",
            "missing or invalid organiser",
            'write organiser = { name = "...", email = "...@example.org" }',
        )
        return
    reader.unknown_keys(organiser, {"name", "email"}, "event.organiser")
    spec.organiser_name = reader.get(organiser, "name", "event.organiser", _text, "", required=True)
    spec.organiser_email = reader.get(organiser, "email", "event.organiser", _email, "", required=True)


def _tables(reader: _Reader, data: dict[str, Any], name: str) -> list[tuple[str, dict[str, Any]]]:
    value = data.get(name, [])
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        reader.problem(
            name, f"[[{name}]] must be a list of tables", f"write each entry under its own [[{name}]]"
        )
        return []
    return [(f"{name}.{i}", table) for i, table in enumerate(value, start=1)]


def _read_days(reader: _Reader, data: dict[str, Any], spec: EventSpec) -> set[dt.date] | None:
    """Read the days and breaks; return the dates of days with problems, None when the days are not known.

    Breaks and fixed sessions are not checked against days that have problems of their own.
    """
    unusable: set[dt.date] = set()
    tables = _tables(reader, data, "days")
    known = bool(tables)
    if not tables and "days" not in data and "days" not in reader.misspelt:
        reader.problem(
            "days", "no [[days]]: sessions have nowhere to go", "add a [[days]] with date, start and end"
        )
    for path, table in tables:
        reader.unknown_keys(table, DAY_KEYS, path)
        date = reader.get(table, "date", path, parse_date, required=True)
        start = reader.get(table, "start", path, parse_time, required=True)
        end = reader.get(table, "end", path, parse_time, required=True)
        if date and start and end and end <= start:
            reader.problem(
                f"{path}.end",
                f"the day ends ({end:%H:%M}) before it starts ({start:%H:%M})",
                "a day window ends after it starts, on the same date; for hours past midnight add a [[days]] "
                "on the next date starting at 00:00",
            )
        elif date and start and end:
            spec.days.append(Day(date, start, end))
            continue
        if date:
            unusable.add(date)
        else:
            known = False
    for path, table in _tables(reader, data, "breaks"):
        reader.unknown_keys(table, BREAK_KEYS | _translation_keys(table, {"title"}), path)
        date = reader.get(table, "date", path, parse_date, required=True)
        start = reader.get(table, "start", path, parse_time, required=True)
        end = reader.get(table, "end", path, parse_time, required=True)
        title = reader.get(table, "title", path, _text, "Break")
        translated = _translations(reader, table, path, spec)["title"]
        if not (date and start and end):
            continue
        if end <= start:
            reader.problem(f"{path}.end", f"the break ends ({end:%H:%M}) before it starts ({start:%H:%M})")
        elif (
            known
            and date not in unusable
            and not any(d.date == date and d.start <= start and end <= d.end for d in spec.days)
        ):
            reader.problem(
                path,
                f"the break {date} {start:%H:%M}-{end:%H:%M} is not inside a day window",
                "move the break into one of the [[days]], or delete it",
            )
        else:
            spec.breaks.append(Break(date, start, end, title, translated))
    return unusable if known else None


def _read_rules(reader: _Reader, table: Any, spec: EventSpec) -> None:
    if not isinstance(table, dict):
        reader.problem("rules", "[rules] must be a table of weights and switches")
        return
    reader.unknown_keys(table, RULE_KEYS, "rules")
    values = {}
    for key in sorted(RULE_KEYS & table.keys()):
        if key == "speaking_order":
            order = reader.get(table, key, "rules", _choice_text(SPEAKING_ORDERS, "speaking order"))
            if order is not None:
                values[key] = order
            continue
        minimum = 1 if key in {"max_roles_per_person", "slot_minutes"} else 0
        if key.startswith("weight_"):
            convert = _int(
                minimum,
                MAX_WEIGHT,
                "weights are at most a million: to make one rule count more, lower the others",
            )
        elif key == "slot_minutes":
            convert = _minutes(minimum)
        else:
            convert = _count(minimum)
        value = reader.get(table, key, "rules", convert)
        if value is not None:
            values[key] = value
    spec.rules = Rules(**values)


def _read_sessions(
    reader: _Reader,
    data: dict[str, Any],
    spec: EventSpec,
    objectives: KnownObjectives,
    unusable_dates: set[dt.date] | None,
) -> None:
    tables = _tables(reader, data, "sessions")
    if not tables and "sessions" not in data and "sessions" not in reader.misspelt:
        reader.problem(
            "sessions", "no [[sessions]]", "add at least one [[sessions]] with id, title and minutes"
        )
    if tables:
        spec.declared = {t["id"].strip() for _, t in tables if isinstance(t.get("id"), str)}
    known = spec.declared or set()
    ids: dict[str, str] = {}
    for path, table in tables:
        session = _read_session(reader, path, table, spec, objectives, unusable_dates)
        if session is None:
            continue
        if session.id in ids:
            reader.problem(
                f"{path}.id",
                f'duplicate session id "{session.id}" (also in {_display(ids[session.id])})',
                "give every session its own id",
            )
            continue
        ids[session.id] = path
        spec.sessions.append(session)
    for session in spec.sessions:
        path = ids[session.id]
        for other in session.after:
            if other == session.id:
                reader.problem(f"{path}.after", f'session "{other}" cannot come after itself')
            elif other not in known:
                reader.problem(
                    f"{path}.after",
                    f'unknown session "{shown(other)}" in after',
                    did_you_mean(other, known - {session.id}),
                )
    _check_order_cycles(reader, spec, ids)
    _check_fixed_overlaps(reader, spec, ids)


def _read_session(
    reader: _Reader,
    path: str,
    table: dict[str, Any],
    spec: EventSpec,
    known_objectives: KnownObjectives,
    unusable_dates: set[dt.date] | None,
) -> Session | None:
    reader.unknown_keys(table, SESSION_KEYS | _translation_keys(table, {"title", "description"}), path)
    before = len(reader.problems)
    translated = _translations(reader, table, path, spec)
    sid = reader.get(table, "id", path, _slug, required=True)
    title = reader.get(table, "title", path, _text, required=True)
    kind = reader.get(table, "kind", path, _choice(SessionKind, "kind"), SessionKind.OTHER)
    minutes = reader.get(table, "minutes", path, _minutes(1), required=True)
    date = reader.get(table, "date", path, parse_date)
    start = reader.get(table, "start", path, parse_time)
    after = reader.get(table, "after", path, _strings, ())
    objectives = reader.get(table, "objectives", path, _objective_numbers, ())
    moderators = reader.get(table, "moderators", path, _count(0), 1)
    rapporteurs = reader.get(table, "rapporteurs", path, _count(0), 0)
    speakers = reader.get(table, "speakers", path, _speaker_range, (0, 0))
    eligible = reader.get(table, "eligible", path, _categories, tuple(Category))
    min_stakeholders = reader.get(table, "min_stakeholder_speakers", path, _count(0), 0)
    min_level = reader.get(table, "min_level", path, _choice_text(LEVELS, "level"))
    segments = reader.get(table, "segments", path, _segments)
    description = reader.get(table, "description", path, _text, "")
    co_chairs = reader.get(table, "co_chairs", path, _count(0), 0)
    differ_in = reader.get(table, "co_chairs_differ_in", path, _choice_text(DIFFER_COLUMNS, "column"), "")
    languages = reader.get(table, "languages", path, _languages, ())
    speaker_link = reader.get(table, "speaker_link", path, _link, "")
    for code in languages:
        if code not in spec.languages:
            reader.problem(
                f"{path}.languages",
                f'"{code}" is not one of the event\'s languages ({", ".join(spec.languages)})',
                "interpretation is arranged for the event: add the language to languages in [event], or delete it "
                "here",
            )
    if differ_in and co_chairs < 2:
        reader.problem(
            f"{path}.co_chairs_differ_in",
            f"co_chairs_differ_in needs at least 2 co-chairs, but {sid or 'the session'} has {co_chairs}",
            "set co_chairs = 2, or delete co_chairs_differ_in",
        )
    if ("date" in table) != ("start" in table):
        reader.problem(
            path,
            "give both date and start to fix the session's time, or neither to let it be placed",
            "add the missing key, or delete the other",
        )
        date = start = None
    unknown = known_objectives.unknown(objectives)
    if unknown:
        reader.problem(f"{path}.objectives", *unknown)
    if len(reader.problems) > before or sid is None or title is None or minutes is None:
        return None
    if min_stakeholders > speakers[1]:
        reader.problem(
            f"{path}.min_stakeholder_speakers",
            f"{min_stakeholders} stakeholder speakers are required but at most {speakers[1]} speakers fit",
            "lower min_stakeholder_speakers or raise the maximum of speakers",
        )
    if min_stakeholders and Category.STAKEHOLDER not in eligible:
        reader.problem(
            f"{path}.min_stakeholder_speakers",
            "stakeholder speakers are required but not eligible",
            'add "stakeholder" to eligible',
        )
    if segments is not None:
        shortest = min(segments.intervention, segments.group_minutes)
        needed = segments.fixed_minutes() + shortest * speakers[0]
        if needed > minutes:
            reader.problem(
                f"{path}.segments",
                f"the segments need {needed} minutes with {speakers[0]} speakers, but the session has {minutes}",
                "shorten the segments or lengthen the session",
            )
    session = Session(
        id=sid,
        title=title,
        kind=kind,
        minutes=minutes,
        date=date,
        start=start,
        after=after,
        objectives=objectives,
        moderators=moderators,
        speakers=speakers,
        rapporteurs=rapporteurs,
        eligible=eligible,
        min_stakeholder_speakers=min_stakeholders,
        min_level=min_level,
        segments=segments,
        description=description,
        title_translations=translated["title"],
        description_translations=translated["description"],
        co_chairs=co_chairs,
        co_chairs_differ_in=differ_in,
        languages=languages,
        speaker_link=speaker_link,
    )
    if session.is_fixed:
        days_known = unusable_dates is not None and session.date not in unusable_dates
        _check_fixed_time(reader, path, session, spec, days_known)
    elif spec.days and unusable_dates == set():
        _check_length(reader, path, session, spec)
    return session


def _check_length(reader: _Reader, path: str, session: Session, spec: EventSpec) -> None:
    """A session to be placed must fit whole in a day window between breaks: otherwise no plan exists."""
    stretches = []
    for day in spec.days:
        begin = dt.datetime.combine(day.date, day.start)
        end = dt.datetime.combine(day.date, day.end)
        pauses = sorted(
            (dt.datetime.combine(b.date, b.start), dt.datetime.combine(b.date, b.end))
            for b in spec.breaks
            if b.date == day.date
        )
        for pause_start, pause_end in [*pauses, (end, end)]:
            if begin < pause_start <= end:
                stretches.append((pause_start - begin, begin, pause_start))
            begin = max(begin, pause_end)
    nothing = (dt.timedelta(0), begin, begin)  # breaks that fill every day
    longest, start, end = max(stretches, key=lambda stretch: stretch[0], default=nothing)
    if dt.timedelta(minutes=session.minutes) > longest:
        reader.problem(
            f"{path}.minutes",
            f"{session.id} lasts {session.minutes} minutes, but no day window has that long free of breaks "
            f"(the longest: {longest.seconds // 60} minutes, {start:%H:%M}-{end:%H:%M} on {start.date()})",
            "shorten the session, or lengthen a day or move its breaks",
        )


def _choice_text(valid: tuple[str, ...] | list[str], noun: str) -> Callable[[Any], str]:
    def convert(value: Any) -> str:
        text = _text(value)
        if text not in valid:
            raise BadValue(f'unknown {noun} "{shown(text)}"', did_you_mean(text, valid))
        return text

    return convert


def _choice(enum: Any, noun: str) -> Callable[[Any], Any]:
    check = _choice_text([e.value for e in enum], noun)
    return lambda value: enum(check(value))


def _categories(value: Any) -> tuple[Category, ...]:
    convert = _choice(Category, "category")
    return tuple(convert(v) for v in _strings(value))


def _speaker_range(value: Any) -> tuple[int, int]:
    if isinstance(value, int) and not isinstance(value, bool):
        value = [value, value]
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in value)
    ):
        raise BadValue(f"expected [min, max], found {_found(value)}", "write it like speakers = [6, 12]")
    if value[1] > MAX_COUNT:
        raise BadValue(f"expected at most {MAX_COUNT} speakers, found {_found(value[1])}", COUNT_HINT)
    if value[0] > value[1]:
        raise BadValue(
            f"speakers min {value[0]} is greater than max {value[1]}", "write the smaller number first"
        )
    return value[0], value[1]


def _segments(value: Any) -> Segments:
    if not isinstance(value, dict):
        raise BadValue(
            f"expected a table of minutes, found {_found(value)}",
            "write it like { opening = 5, intervention = 5, discussion = 20, closing = 5 }",
        )
    unknown = sorted(set(value) - SEGMENT_KEYS)
    if unknown:
        raise BadValue(f'unknown segment "{shown(unknown[0])}"', did_you_mean(unknown[0], SEGMENT_KEYS))
    minutes: dict[str, int | None] = {}
    for key in sorted(SEGMENT_KEYS):
        try:
            minutes[key] = _minutes(0)(value.get(key, 0))
        except BadValue as error:
            raise BadValue(f"{key}: {error}", error.hint) from None
    if minutes["intervention"] == 0:
        raise BadValue("segments.intervention must be at least 1 minute")
    if "group_statement" not in value:
        minutes["group_statement"] = None  # as long as an intervention
    elif minutes["group_statement"] == 0:
        raise BadValue(
            "segments.group_statement must be at least 1 minute", "leave it out to give group statements the "
            "minutes of an intervention"
        )
    return Segments(**minutes)  # type: ignore[arg-type]  # every count but group_statement is an int


def _check_fixed_time(
    reader: _Reader, path: str, session: Session, spec: EventSpec, days_known: bool
) -> None:
    """A fixed session must lie inside a day window and outside every break (days with problems are skipped)."""
    if session.date is None or session.start is None:
        return
    start = dt.datetime.combine(session.date, session.start)
    end = start + dt.timedelta(minutes=session.minutes)
    window = f"{start:%H:%M}-{end:%H:%M}"
    days = [d for d in spec.days if d.date == session.date]
    inside = any(
        dt.datetime.combine(d.date, d.start) <= start and end <= dt.datetime.combine(d.date, d.end)
        for d in days
    )
    if days_known and not days:
        reader.problem(
            f"{path}.date",
            f"{session.id} is on {session.date}, which is not one of the [[days]]",
            "add a [[days]] for that date or move the session",
        )
    elif days_known and not inside:
        spans = ", ".join(f"{d.start:%H:%M}-{d.end:%H:%M}" for d in days)
        reader.problem(
            f"{path}.start",
            f"{session.id} ({window} on {session.date}) is outside the day window {spans}",
            "move the session or widen the day",
        )
    for brk in spec.breaks:
        brk_start, brk_end = dt.datetime.combine(brk.date, brk.start), dt.datetime.combine(brk.date, brk.end)
        if start < brk_end and brk_start < end:
            reader.problem(
                f"{path}.start",
                f"{session.id} ({window}) overlaps the {brk.title.lower()} {brk.start:%H:%M}-{brk.end:%H:%M}",
                "move the session or the break",
            )


def _check_fixed_overlaps(reader: _Reader, spec: EventSpec, paths: dict[str, str]) -> None:
    fixed = sorted(
        (dt.datetime.combine(s.date, s.start), s.id, s)
        for s in spec.sessions
        if s.date is not None and s.start is not None
    )
    latest: tuple[dt.datetime, Session] | None = None  # the session that ends last among those before
    for start, _, session in fixed:
        if latest is not None and start < latest[0]:
            reader.problem(
                f"{paths[session.id]}.start",
                f"{session.id} starts at {start:%H:%M}, before {latest[1].id} ends ({latest[0]:%H:%M}): "
                "sessions may not overlap",
                "move one of them",
            )
        end = start + dt.timedelta(minutes=session.minutes)
        if latest is None or end > latest[0]:
            latest = (end, session)
    by_id = {s.id: s for s in spec.sessions}
    for session in spec.sessions:
        for other_id in session.after:
            other = by_id.get(other_id)
            if other is None or other is session:
                continue
            if session.date is None or session.start is None or other.date is None or other.start is None:
                continue  # only two fixed times can contradict an `after` here
            other_end = dt.datetime.combine(other.date, other.start) + dt.timedelta(minutes=other.minutes)
            if dt.datetime.combine(session.date, session.start) < other_end:
                reader.problem(
                    f"{paths[session.id]}.after",
                    f"{session.id} must come after {other.id}, but its fixed time is earlier",
                    "change the after list or the fixed times",
                )


def _check_order_cycles(reader: _Reader, spec: EventSpec, paths: dict[str, str]) -> None:
    after = {s.id: [a for a in s.after if a in paths and a != s.id] for s in spec.sessions}
    state: dict[str, int] = {}  # 1: being visited, 2: done

    def visit(sid: str, trail: list[str]) -> None:
        state[sid] = 1
        for other in after[sid]:
            if state.get(other) == 1:
                cycle = [*trail[trail.index(other) :], sid, other] if other in trail else [sid, other]
                reader.problem(
                    f"{paths[sid]}.after",
                    "sessions wait for each other: " + " after ".join(cycle),
                    "remove one of these from an after list",
                )
            elif other not in state:
                visit(other, [*trail, sid])
        state[sid] = 2

    for sid in after:
        if sid not in state:
            visit(sid, [])
