"""Size limits of the input files, and the one bounded read that every reader uses.

A file given by mistake (a symlink to /dev/zero, a named pipe, a backup of a whole mailbox, a crafted workbook)
must be refused before it is read, not exhaust the memory. The limits are far above what a real meeting needs:
the largest UN virtual meetings have a few thousand applicants (about 1 MB as CSV, less as .xlsx), some
dozens of sessions (a few KB of TOML) and a plan.json of a few MB, so each limit leaves room of ten times or more.
"""

from __future__ import annotations

import math
import os
import stat
from pathlib import Path

MB = 1_000_000
EVENT_TOML = 1 * MB  # a few KB for a real event, even with a hundred sessions
APPLICANTS = 20 * MB  # applicants.xlsx and applicants.csv: about 100,000 people as CSV
REFERENCE = 1 * MB  # objectives.csv and member_states.csv: 23 objectives, 193 member States
PLAN_JSON = 50 * MB  # a plan of 5,000 people is under 5 MB
# Inside applicants.xlsx, a zip archive: what its directory declares, checked before anything is unpacked.
XLSX_UNPACKED = 100 * MB  # all members together, unpacked; 5,000 people take about 5 MB of sheet XML
XLSX_RATIO = 100  # unpacked size / packed size of a member; sheet XML packs 5 to 20 times, a zip bomb 1,000
XLSX_RATIO_FROM = 1 * MB  # the ratio is only checked for members larger than this: small ones pack oddly well
MAX_ROWS = 100_000  # filled rows of the applicants sheet or CSV file
MAX_COLUMNS = 200  # columns of the applicants sheet; the contract has 21


class FileRefused(OSError):
    """A file that is not read: not a regular file, or larger than its limit. `hint` says what to do."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.strerror = message  # what a reader that catches any OSError shows
        self.message = message
        self.hint = hint


def size_text(size: int) -> str:
    """A size as people read it: `2.5 MB`, `900 KB`, `120 bytes`."""
    if size >= MB:  # rounded up, so that a file just over a limit is not shown as the limit itself
        return f"{math.ceil(size / (MB / 10)) / 10:.1f} MB".replace(".0 MB", " MB")
    if size >= 1000:
        return f"{math.ceil(size / 1000)} KB"
    return f"{size} bytes"


def too_large(size: int, limit: int) -> str:
    return f"is {size_text(size)}, over the limit of {size_text(limit)}"


def read_limited(path: Path, limit: int) -> bytes:
    """The bytes of a regular file of at most `limit` bytes; `FileRefused` for anything else.

    At most limit + 1 bytes are read, whatever the file claims its size is: a device reports 0.
    FileNotFoundError and other OSErrors pass through as they are.
    """
    # O_NONBLOCK: opening a named pipe must not wait for a writer; it does nothing for a regular file.
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    with os.fdopen(descriptor, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            kind = "a folder" if stat.S_ISDIR(info.st_mode) else "a device or a pipe"
            raise FileRefused(f"is not a regular file but {kind}", "give a file saved on disk")
        if info.st_size > limit:
            raise FileRefused(too_large(info.st_size, limit), _hint(path))
        data = handle.read(limit + 1)
    if len(data) > limit:  # the file grew since it was measured
        raise FileRefused(too_large(len(data), limit), _hint(path))
    return data


def _hint(path: Path) -> str:
    return f"no real meeting's {path.name} is this large: check that it is the right file"
