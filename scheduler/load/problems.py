"""Input problems: where each one is (file, sheet, row, column or TOML key and line) and how to fix it."""

from __future__ import annotations

import difflib
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
        return f"{text} (hint: {self.hint})" if self.hint else text


class InputError(Exception):
    """The event folder cannot be planned as it is; `problems` lists everything found, in file order."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = list(problems)
        super().__init__(f"{len(self.problems)} problem(s) in the input")


def did_you_mean(value: str, valid: Iterable[str], *, cutoff: float = 0.6) -> str:
    """A hint naming the closest valid value to a typo, or listing the valid values when few."""
    options = sorted(set(valid))
    close = difflib.get_close_matches(value, options, n=1, cutoff=cutoff)
    if not close:
        close = [o for o in options if o.lower() == value.lower()]
    if close:
        return f'did you mean "{close[0]}"?'
    if len(options) <= 12:
        return "expected one of: " + ", ".join(options)
    return ""
