"""The mapping file of `scheduler import`: which export column is which of ours, and what its answers mean.

```toml
[columns]                 # our column = the export's column header
email = "Email address"
[values.category]         # the export's answer = our value
"Civil society organisation" = "stakeholder"
[lists]                   # separators of multi-answer cells, by our column
languages = ";"
[derive]                  # our column built from several export columns, in order
interests = ["First choice", "Second choice", "Third choice"]
[defaults]                # optional: our value where the export has no answer
status = "active"
```
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scheduler.domain import GENDERS, LEVELS, STAKEHOLDER_GROUPS, Category, Role
from scheduler.load.applicants import CATEGORY_WORDS, COLUMNS, GENDER_WORDS, STATUSES, _one_of
from scheduler.load.encoding import decode
from scheduler.load.limits import EVENT_TOML, FileRefused, read_limited
from scheduler.load.problems import BadValue, Problem, control_character, did_you_mean, shown

TABLES = ("columns", "values", "lists", "derive", "defaults")
NEEDED = ("name", "email", "category", "interests")  # what a new person needs; ids are given by import
# Our columns whose cells hold several items: several rows of one person add up, in order of appearance.
LIST_COLUMNS = ("interests", "objectives", "languages", "fixed", "available")
# Our columns with a closed set of values: an answer must map to one of them.
CHOICES: dict[str, Callable[[Any], str]] = {
    "category": _one_of(tuple(c.value for c in Category), "category", CATEGORY_WORDS),
    "stakeholder_group": _one_of(STAKEHOLDER_GROUPS, "stakeholder group"),
    "gender": _one_of(GENDERS, "gender", GENDER_WORDS),
    "level": _one_of(LEVELS, "level"),
    "status": _one_of(STATUSES, "status"),
}
VALID: dict[str, tuple[str, ...]] = {
    "category": tuple(c.value for c in Category),
    "stakeholder_group": STAKEHOLDER_GROUPS,
    "gender": GENDERS,  # blank: not stated
    "level": LEVELS,
    "status": STATUSES,
}
SESSION_ROLE = re.compile(r"^[^:;,\s][^:;,]*:\s*(" + "|".join(r.value for r in Role) + r")$", re.IGNORECASE)
EXTRA = re.compile(r"^[a-z][a-z0-9_]{0,63}$")  # an optional column of ours, e.g. correspondence_language
MAX_SEPARATOR = 5


def answer_key(text: object) -> str:
    """An answer as it is looked up: letter case, spacing and the kind of dash do not count."""
    return " ".join(re.sub(r"[\u2010-\u2015\u2212]", "-", str(text)).casefold().split())


@dataclass
class Mapping:
    """A checked mapping file; `lines` locates each key for messages: (table, key) -> line."""

    file: str
    columns: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)  # by answer_key of the answer
    answers: dict[str, list[str]] = field(default_factory=dict)  # the answers as written, for hints
    lists: dict[str, str] = field(default_factory=dict)
    derive: dict[str, list[str]] = field(default_factory=dict)
    defaults: dict[str, str] = field(default_factory=dict)
    lines: dict[tuple[str, str], int] = field(default_factory=dict)

    def ours(self) -> list[str]:
        """Our columns that the export fills in, in the order of the contract, then any others."""
        named = {*self.columns, *self.derive, *self.defaults}
        return [c for c in COLUMNS if c in named] + sorted(named - set(COLUMNS))


def read_mapping(path: Path, headers: list[str]) -> tuple[Mapping, list[Problem]]:
    """Read and check a mapping file against the export's column headers; every problem is collected."""
    file = path.name
    mapping = Mapping(file)
    try:
        text, complaint, line = decode(read_limited(path, EVENT_TOML))
    except FileRefused as error:
        return mapping, [Problem(file, error.message, error.hint)]
    except OSError as error:
        return mapping, [Problem(file, f"cannot be read ({shown(error.strerror)})", "give the mapping file")]
    if complaint:
        return mapping, [Problem(file, complaint, "save it as UTF-8", line=line)]
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        found = re.search(r"line (\d+)", str(error))
        return mapping, [
            Problem(
                file,
                f"not valid TOML: {shown(error, 120)}",
                'write one line per key, like email = "Email address"',
                line=int(found[1]) if found else None,
            )
        ]
    mapping.lines = _key_lines(text)
    checker = _Checker(mapping, headers)
    checker.check(data)
    return mapping, checker.problems


class _Checker:
    def __init__(self, mapping: Mapping, headers: list[str]) -> None:
        self.mapping = mapping
        self.headers = headers
        self.problems: list[Problem] = []

    def problem(self, table: str, key: str, message: str, hint: str = "") -> None:
        where = f"{table}.{key}" if key else table
        lines = self.mapping.lines
        line = lines.get((table, key)) or lines.get((where, "")) or lines.get((table, ""))
        self.problems.append(Problem(self.mapping.file, message, hint, key=shown(where), line=line))

    def check(self, data: dict[str, Any]) -> None:
        for name, value in data.items():
            if name not in TABLES:
                self.problem(name, "", f'unknown table "{shown(name)}"', did_you_mean(name, TABLES))
            elif not isinstance(value, dict):
                self.problem(
                    name, "", f"[{name}] must be a table", f"write it as [{name}] on a line of its own"
                )
        self._columns(data.get("columns"))
        self._derive(data.get("derive"))
        self._lists(data.get("lists"))
        self._values(data.get("values"))
        self._defaults(data.get("defaults"))
        given = {*self.mapping.columns, *self.mapping.derive, *self.mapping.defaults}
        for column in NEEDED:
            if column not in given and not any(p.key.endswith(f".{column}") for p in self.problems):
                self.problems.append(
                    Problem(
                        self.mapping.file,
                        f'no export column is mapped to our "{column}"',
                        f'add {column} = "<the export\'s header>" under [columns]'
                        + (" (or the choice columns under [derive])" if column == "interests" else ""),
                        key="columns",
                        line=self.mapping.lines.get(("columns", "")),
                    )
                )

    def _our_column(self, table: str, name: str) -> bool:
        if name in COLUMNS:
            return True
        close = difflib.get_close_matches(name, COLUMNS, n=1, cutoff=0.75)
        if close or not EXTRA.match(name):
            hint = f'did you mean "{close[0]}"?' if close else "our columns are listed in docs/input.md"
            self.problem(table, name, f'unknown column of ours "{shown(name)}"', hint)
            return False
        return True

    def _header(self, table: str, key: str, header: object) -> str | None:
        if not isinstance(header, str) or not header.strip():
            self.problem(
                table, key, "must be the export's column header, in quotes", f'write {key} = "Email address"'
            )
            return None
        if header in self.headers:
            return header
        same = [h for h in self.headers if answer_key(h) == answer_key(header)]
        if same:
            return same[0]
        self.problem(
            table,
            key,
            f'the export has no column "{shown(header)}"',
            did_you_mean(header, [h for h in self.headers if h]),
        )
        return None

    def _table(self, data: object) -> dict[str, Any]:
        return data if isinstance(data, dict) else {}

    def _columns(self, data: object) -> None:
        for name, header in self._table(data).items():
            if self._our_column("columns", name):
                found = self._header("columns", name, header)
                if found is not None:
                    self.mapping.columns[name] = found

    def _derive(self, data: object) -> None:
        for name, headers in self._table(data).items():
            if not self._our_column("derive", name):
                continue
            if name in self.mapping.columns:
                self.problem("derive", name, f'"{name}" is also under [columns]', "keep it in one of the two")
                continue
            if not isinstance(headers, list) or not headers:
                self.problem(
                    "derive",
                    name,
                    "must list the export's columns",
                    f'write {name} = ["First choice", "Second choice"]',
                )
                continue
            found = [self._header("derive", name, h) for h in headers]
            if all(f is not None for f in found):
                self.mapping.derive[name] = [f for f in found if f is not None]

    def _lists(self, data: object) -> None:
        for name, separator in self._table(data).items():
            if not self._our_column("lists", name):
                continue
            if not isinstance(separator, str) or not separator or len(separator) > MAX_SEPARATOR:
                self.problem(
                    "lists", name, "must be the separator between answers, in quotes", f'write {name} = ";"'
                )
                continue
            self.mapping.lists[name] = separator

    def _values(self, data: object) -> None:
        for name, answers in self._table(data).items():
            if not self._our_column("values", name):
                continue
            table = f"values.{name}"
            if not isinstance(answers, dict):
                self.problem(
                    "values",
                    name,
                    f"[{table}] must be a table of answers",
                    f"write [{table}] on a line of its own",
                )
                continue
            mapped: dict[str, str] = {}
            for answer, ours in answers.items():
                value = self._our_value(table, answer, name, ours)
                if value is not None:
                    mapped[answer_key(answer)] = value
            self.mapping.values[name] = mapped
            self.mapping.answers[name] = list(answers)

    def _our_value(self, table: str, key: str, column: str, value: object) -> str | None:
        if not isinstance(value, str):
            self.problem(table, key, "must be our value, in quotes", f'write "{shown(key)}" = "<our value>"')
            return None
        if not value.strip() and "" not in VALID.get(column, ()):
            self.problem(table, key, "no value of ours is chosen for this answer", _choices(column))
            return None
        if control_character(value):
            self.problem(table, key, "holds a control character", "retype the value")
            return None
        try:
            return our_value(column, value)
        except BadValue as error:
            self.problem(table, key, str(error), error.hint)
            return None

    def _defaults(self, data: object) -> None:
        for name, value in self._table(data).items():
            if self._our_column("defaults", name):
                checked = self._our_value("defaults", name, name, value)
                if checked is not None:
                    self.mapping.defaults[name] = checked


def our_value(column: str, value: str) -> str:
    """A value as our column takes it (`member_state` for "Member State"); BadValue when it is not one."""
    if column in CHOICES:
        return CHOICES[column](value)
    if column == "interests":
        items = [i.strip() for i in re.split(r"[;,]", value) if i.strip()]
        for item in items:
            if not SESSION_ROLE.match(item):
                raise BadValue(f'"{shown(item)}" is not SESSION:ROLE', "write it like RT2:speaker")
        return "; ".join(items)
    return value.strip()


def _choices(column: str) -> str:
    if column in VALID:
        return "expected one of: " + ", ".join(v for v in VALID[column] if v)
    if column == "interests":
        return "write SESSION:ROLE, like RT2:speaker"
    return "write the value our column should hold"


def _key_lines(text: str) -> dict[tuple[str, str], int]:
    """The line of each table header and key: (table, "") and (table, key), for messages."""
    lines: dict[tuple[str, str], int] = {}
    table = ""
    for number, line in enumerate(text.splitlines(), start=1):
        header = re.match(r"\s*\[\s*([^\]\[]+?)\s*\]", line)
        if header:
            table = ".".join(_unquote(p) for p in re.findall(r'"[^"]*"|\'[^\']*\'|[^.\s]+', header[1]))
            lines.setdefault((table, ""), number)
            continue
        key = re.match(r'\s*("(?:[^"\\]|\\.)*"|\'[^\']*\'|[A-Za-z0-9_-]+)\s*=', line)
        if key:
            lines.setdefault((table, _unquote(key[1])), number)
    return lines


def _unquote(text: str) -> str:
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        try:
            return str(tomllib.loads(f"k = {text}")["k"])
        except tomllib.TOMLDecodeError:
            return text[1:-1]
    return text
