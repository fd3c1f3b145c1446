"""Input problems: where each one is (file, sheet, row, column or TOML key and line) and how to fix it."""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, located as precisely as the file allows."""

    file: str
    message: str
    hint: str = ""
    sheet: str = ""
    row: int | None = None
    column: str = ""
    key: str = ""
    line: int | None = None

    def location(self) -> str:
        parts = [self.file + (f":{self.line}" if self.line else "")]
        if self.sheet:
            parts.append(f"sheet {self.sheet}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column {self.column}")
        if self.key:
            parts.append(f"key {self.key}")
        return ", ".join(parts)

    def __str__(self) -> str:
        text = f"{self.location()}: {self.message}"
        if self.hint:
            # A suggested value reads as a question after the message; advice is marked as a hint.
            suggestion = self.hint.startswith(("did you mean", "expected one of"))
            text += f" ({self.hint})" if suggestion else f" (hint: {self.hint})"
        return _printable(text)


class InputError(Exception):
    """The event folder cannot be planned as it is; `problems` lists everything found, in file order."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = list(problems)
        listed = "".join(f"\n  {p}" for p in self.problems[:5])
        more = f"\n  ... and {len(self.problems) - 5} more" if len(self.problems) > 5 else ""
        super().__init__(f"{len(self.problems)} problem(s) in the input:{listed}{more}")


class BadValue(ValueError):
    """A value that cannot be used, with an optional hint such as the closest valid value."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.hint = hint


def shown(text: object, limit: int = 60) -> str:
    """User text as it may be echoed in a message: control characters blanked, long text shortened."""
    clean = _printable(str(text))
    return clean if len(clean) <= limit else clean[: limit - 1] + "…"


# C0 and C1 control characters and DEL. Tab and line breaks are not among them: a cell or a TOML string may hold
# them, and every output writes them escaped. The others (NUL, ESC, BEL, ...) corrupt calendar files and mail.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def control_character(text: str) -> str:
    """A description of the first control character in `text` ("U+001B at character 5"), or "" if none."""
    found = CONTROL.search(text)
    if found is None:
        return ""
    return f"U+{ord(found[0]):04X} at character {found.start() + 1}"


def _printable(text: str) -> str:
    return "".join(ch if ch.isprintable() else " " for ch in text)


def did_you_mean(value: str, valid: Iterable[str], *, cutoff: float = 0.6) -> str:
    """A hint naming the closest valid value to a typo, or listing the valid values when few."""
    if len(value) > 100:  # not a typo, and difflib is slow on long text
        value = ""
    return _closest(value, tuple(sorted(set(valid))), cutoff)


@functools.lru_cache(maxsize=4096)
def _closest(value: str, options: tuple[str, ...], cutoff: float) -> str:
    # Cached: a large file repeats the same typo on many rows, and difflib over ~600 time zones is slow.
    close = difflib.get_close_matches(value, options, n=1, cutoff=cutoff)
    if not close:
        close = [o for o in options if o.lower() == value.lower()]
    if not close and len(value) >= 4:  # a short form of a long name: Moldova for Republic of Moldova
        containing = [o for o in options if value.lower() in o.lower()]
        close = containing if len(containing) == 1 else []
    if close:
        return f'did you mean "{shown(close[0])}"?'
    if 0 < len(options) <= 12:
        return "expected one of: " + ", ".join(shown(o) for o in options)
    return ""
